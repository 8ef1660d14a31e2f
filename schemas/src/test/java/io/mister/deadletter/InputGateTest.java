package io.mister.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import io.mister.events.Utterance;
import io.mister.serde.EventSerdes;
import io.mister.serde.SerdeSettings;
import io.mister.testing.SampleEvents;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class InputGateTest {

    private final EventSerdes serdes = new EventSerdes(SerdeSettings.singleObject());
    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> input;
    private TestOutputTopic<String, Utterance> accepted;
    private TestOutputTopic<byte[], byte[]> deadLetters;

    @BeforeEach
    void start() {
        Topology topology = new Topology();
        topology.addSource("in", Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer(), "in");
        topology.addProcessor("gate", InputGate.supplier("test-stage", () -> serdes.utterance().deserializer(),
                (key, u) -> {
                    if (u.getSeq() < 0) {
                        throw new RejectedRecordException(DeadLetterReason.NEGATIVE_SEQ, "seq " + u.getSeq() + " < 0");
                    }
                    return u;
                }, "out", "dlq"), "in");
        topology.addSink("out", "out", Serdes.String().serializer(), serdes.utterance().serializer(), "gate");
        topology.addSink("dlq", "dlq", new ByteArraySerializer(), new ByteArraySerializer(), "gate");
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "gate-test");
        driver = new TopologyTestDriver(topology, props);
        input = driver.createInputTopic("in", new ByteArraySerializer(), new ByteArraySerializer());
        accepted = driver.createOutputTopic("out", new StringDeserializer(), serdes.utterance().deserializer());
        deadLetters = driver.createOutputTopic("dlq", new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void aValidRecordPassesDecodedAndKeyed() {
        Utterance u = SampleEvents.utterance("c1", 0, "hello", null);
        input.pipeInput("c1".getBytes(StandardCharsets.UTF_8), serdes.utterance().serializer().serialize("in", u));

        assertThat(accepted.readKeyValue()).satisfies(kv -> {
            assertThat(kv.key).isEqualTo("c1");
            assertThat(kv.value).isEqualTo(u);
        });
        assertThat(deadLetters.isEmpty()).isTrue();
    }

    @Test
    void undecodableBytesGoToTheDeadLetterTopicUnchangedWithTheReasonAndTheStreamGoesOn() {
        byte[] poison = "not avro".getBytes(StandardCharsets.UTF_8);
        input.pipeInput("c1".getBytes(StandardCharsets.UTF_8), poison);
        input.pipeInput("c1".getBytes(StandardCharsets.UTF_8),
                serdes.utterance().serializer().serialize("in", SampleEvents.utterance("c1", 1, "still flowing", null)));

        TestRecord<byte[], byte[]> letter = deadLetters.readRecord();
        assertThat(letter.value()).isEqualTo(poison);
        assertThat(new String(letter.key(), StandardCharsets.UTF_8)).isEqualTo("c1");
        assertThat(DeadLetterHeaders.read(letter.headers(), DeadLetterHeaders.REASON)).isEqualTo("UNDECODABLE");
        assertThat(DeadLetterHeaders.read(letter.headers(), DeadLetterHeaders.STAGE)).isEqualTo("test-stage");
        assertThat(DeadLetterHeaders.read(letter.headers(), DeadLetterHeaders.SOURCE_TOPIC)).isEqualTo("in");
        assertThat(DeadLetterHeaders.read(letter.headers(), DeadLetterHeaders.SOURCE_OFFSET)).isEqualTo("0");
        assertThat(DeadLetterHeaders.read(letter.headers(), DeadLetterHeaders.ERROR_MESSAGE)).contains("NOT_FRAMED");
        assertThat(accepted.readValue().getText()).isEqualTo("still flowing");
    }

    @Test
    void aRejectedRecordCarriesTheValidatorsReasonAndMessage() {
        byte[] bytes = serdes.utterance().serializer().serialize("in", SampleEvents.utterance("c1", -4, "x", null));
        input.pipeInput("c1".getBytes(StandardCharsets.UTF_8), bytes);

        TestRecord<byte[], byte[]> letter = deadLetters.readRecord();
        assertThat(letter.value()).isEqualTo(bytes);
        assertThat(DeadLetterHeaders.read(letter.headers(), DeadLetterHeaders.REASON)).isEqualTo("NEGATIVE_SEQ");
        assertThat(DeadLetterHeaders.read(letter.headers(), DeadLetterHeaders.ERROR_MESSAGE)).isEqualTo("seq -4 < 0");
        assertThat(DeadLetterHeaders.read(letter.headers(), DeadLetterHeaders.ERROR_CLASS))
                .isEqualTo(RejectedRecordException.class.getName());
        assertThat(accepted.isEmpty()).isTrue();
    }

    @Test
    void aTombstoneIsDeadLetteredNotDropped() {
        input.pipeInput("c1".getBytes(StandardCharsets.UTF_8), (byte[]) null);
        assertThat(DeadLetterHeaders.read(deadLetters.readRecord().headers(), DeadLetterHeaders.REASON)).isEqualTo("UNDECODABLE");
    }

    @Test
    void everyDeadLetterIsCounted() {
        input.pipeInput("c1".getBytes(StandardCharsets.UTF_8), new byte[] {1, 2, 3});
        input.pipeInput("c1".getBytes(StandardCharsets.UTF_8), new byte[] {4});

        double total = driver.metrics().entrySet().stream()
                .filter(e -> e.getKey().name().equals("dead-letters-total") && e.getKey().group().equals(DeadLetters.METRIC_GROUP))
                .filter(e -> "test-stage".equals(e.getKey().tags().get("stage")))
                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue())
                .sum();
        assertThat(total).isEqualTo(2.0);
    }

}
