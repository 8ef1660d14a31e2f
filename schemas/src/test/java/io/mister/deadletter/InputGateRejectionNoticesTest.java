package io.mister.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import io.mister.events.Utterance;
import io.mister.serde.EventSerdes;
import io.mister.serde.SerdeSettings;
import io.mister.testing.SampleEvents;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;

/** A gate built with rejection notices tells the accepted child, under the key, what it dead-lettered. */
class InputGateRejectionNoticesTest {

    private final EventSerdes serdes = new EventSerdes(SerdeSettings.singleObject());

    private Processor<byte[], byte[], Object, Object> gate(MockProcessorContext<Object, Object> context) {
        Processor<byte[], byte[], Object, Object> gate = InputGate.withRejectionNotices("test-stage",
                () -> serdes.utterance().deserializer(), (key, u) -> {
                    if (u.getSeq() < 0) {
                        throw new RejectedRecordException(DeadLetterReason.NEGATIVE_SEQ, "seq < 0");
                    }
                    return u;
                }, "out", "dlq").get();
        context.setRecordMetadata("in", 0, 0);
        gate.init(context);
        return gate;
    }

    @Test
    void aDeadLetteredRecordWithAKeyIsAlsoNoticedToTheAcceptedChild() {
        MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
        Processor<byte[], byte[], Object, Object> gate = gate(context);
        Utterance negative = SampleEvents.utterance("c1", -1, "negative", null);

        gate.process(new Record<>("c1".getBytes(StandardCharsets.UTF_8), serdes.utterance().serializer().serialize("in", negative), 5L));
        gate.process(new Record<>("c1".getBytes(StandardCharsets.UTF_8), "not avro".getBytes(StandardCharsets.UTF_8), 6L));
        gate.process(new Record<>(null, "no key".getBytes(StandardCharsets.UTF_8), 7L));

        List<MockProcessorContext.CapturedForward<?, ?>> toDlq = context.forwarded("dlq");
        List<MockProcessorContext.CapturedForward<?, ?>> notices = context.forwarded("out");
        assertThat(toDlq).hasSize(3);
        assertThat(notices).as("one notice per keyed rejection, none for the unkeyed one")
                .extracting(f -> f.record().key(), f -> f.record().value(), f -> f.record().timestamp())
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("c1", new RejectedInput(DeadLetterReason.NEGATIVE_SEQ), 5L),
                        org.assertj.core.groups.Tuple.tuple("c1", new RejectedInput(DeadLetterReason.UNDECODABLE), 6L));
    }
}
