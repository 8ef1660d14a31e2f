package io.mister.processor.context;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The metadata's binary form, including state written by the first release (format 1). */
class ConversationMetaTest {

    @Test
    void roundTripsWithAWaitingEnded() {
        ConversationMeta meta = ConversationMeta.open(1_000)
                .withArrival(new PendingArrival("c", 0, 1, 0), List.of(), 2_000)
                .withUnstoredArrival()
                .withEndRequested(5, 3_000);

        ConversationMeta read = ConversationMeta.fromBytes("c", meta.toBytes());

        assertThat(read).isEqualTo(meta);
        assertThat(read.received()).isEqualTo(2);
        assertThat(read.endRequested()).isTrue();
        assertThat(read.endDue()).isFalse();
    }

    @Test
    void readsTheFirstReleasesFormatWithEveryStoredTurnReceivedAndNoEndWaiting() {
        ByteBuffer v1 = ByteBuffer.allocate(1 + 8 + 4 + 4 + 8 + 8 + 4 + 20);
        v1.put((byte) 1).putLong(6).putInt(7).putInt(7).putLong(2_000).putLong(-1).putInt(1);
        v1.putLong(6).putInt(7).putLong(6);

        ConversationMeta read = ConversationMeta.fromBytes("c", v1.array());

        assertThat(read.maxSeq()).isEqualTo(6);
        assertThat(read.received()).isEqualTo(7);
        assertThat(read.endRequested()).isFalse();
        assertThat(read.pending()).containsExactly(new PendingArrival("c", 6, 7, 6));
    }
}
