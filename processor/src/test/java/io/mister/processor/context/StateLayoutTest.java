package io.mister.processor.context;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.junit.jupiter.api.Test;

/** The byte layout of keys and values: order, prefixes and round trips. */
class StateLayoutTest {

    @Test
    void turnKeysSortByConversationThenSeqAndNoConversationIsAPrefixOfAnother() {
        List<Bytes> keys = new ArrayList<>(List.of(TurnKey.of("c-1", 256), TurnKey.of("c-10", 0), TurnKey.of("c-1", 2),
                TurnKey.of("c-1", 10)));
        keys.sort(Bytes::compareTo);
        assertThat(keys).containsExactly(TurnKey.of("c-1", 2), TurnKey.of("c-1", 10), TurnKey.of("c-1", 256), TurnKey.of("c-10", 0));
        assertThat(TurnKey.of("c-10", 0).compareTo(TurnKey.last("c-1"))).isPositive();
        assertThat(TurnKey.seq(TurnKey.of("c-1", 256))).isEqualTo(256);
        assertThat(TurnKey.conversationId(TurnKey.of("c-10", 5))).isEqualTo("c-10");
    }

    @Test
    void metadataKeysLiveInTheirOwnKeySpace() {
        Bytes meta = TurnKey.meta("c-1");
        assertThat(meta.compareTo(TurnKey.firstMeta())).isPositive();
        assertThat(meta.compareTo(TurnKey.lastMeta())).isNegative();
        assertThat(TurnKey.first("c-1").compareTo(TurnKey.lastMeta())).isPositive();
        assertThat(TurnKey.conversationId(meta)).isEqualTo("c-1");
    }

    @Test
    void valuesRoundTrip() {
        Turn turn = new Turn("u-7", 7, 123L, new float[] {1f, -2f}, null);
        StoredTurn stored = StoredTurn.fromBytes(7, new StoredTurn(turn, 3).toBytes());
        assertThat(stored.arrival()).isEqualTo(3);
        assertThat(stored.turn().utteranceId()).isEqualTo("u-7");
        assertThat(stored.turn().text()).containsExactly(1f, -2f);
        assertThat(stored.turn().speech()).isNull();

        ConversationMeta meta = ConversationMeta.open(10)
                .withArrival(new PendingArrival("c", 4, 1, 4), List.of(), 11)
                .withArrival(new PendingArrival("c", 2, 2, 4), List.of(new PendingArrival("c", 4, 1, 4)), 12);
        ConversationMeta read = ConversationMeta.fromBytes("c", meta.toBytes());
        assertThat(read).isEqualTo(meta);
        assertThat(read.maxSeq()).isEqualTo(4);
        assertThat(read.turnCount()).isEqualTo(2);
        assertThat(read.endedAt(99).ended()).isTrue();

        TurnOutput output = new TurnOutput("u-7", 7, 123L, 1, 2, new float[] {0.25f, 0.75f}, "m-1");
        TurnOutput back = TurnOutput.fromBytes(7, output.toBytes());
        assertThat(back.confidence()).isEqualTo(0.75f);
        assertThat(back.revision()).isEqualTo(2);
        assertThat(back.modelVersion()).isEqualTo("m-1");
    }
}
