package io.mister.processor.support;

import io.mister.events.EncoderInfo;
import io.mister.events.UtteranceEmbedding;
import io.mister.processor.context.Turn;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Deterministic test turns: the embedding values follow from (conversation, seq). */
public final class Turns {

    public static final long T0 = 1_767_000_000_000L;

    private Turns() {}

    public static UtteranceEmbedding embedding(String conversationId, long seq, boolean text, boolean speech) {
        Random random = new Random(conversationId.hashCode() * 31L + seq);
        return UtteranceEmbedding.newBuilder()
                .setConversationId(conversationId)
                .setUtteranceId(conversationId + "-u" + seq)
                .setSeq(seq)
                .setEventTime(Instant.ofEpochMilli(T0 + seq * 1000))
                .setTextEmbedding(text ? vector(random, Fixtures.TEXT_DIM) : null)
                .setSpeechEmbedding(speech ? vector(random, Fixtures.SPEECH_DIM) : null)
                .setTextEncoder(new EncoderInfo("test-text", "1", Fixtures.TEXT_DIM))
                .setSpeechEncoder(new EncoderInfo("test-speech", "1", Fixtures.SPEECH_DIM))
                .setEncodedAt(Instant.ofEpochMilli(T0 + seq * 1000 + 5))
                .build();
    }

    public static UtteranceEmbedding embedding(String conversationId, long seq) {
        return embedding(conversationId, seq, true, true);
    }

    /** The same turn as the head sees it. */
    public static Turn turn(UtteranceEmbedding e) {
        return Turn.of(e);
    }

    public static List<Turn> conversation(String conversationId, int turns) {
        List<Turn> list = new ArrayList<>();
        for (int seq = 0; seq < turns; seq++) {
            list.add(turn(embedding(conversationId, seq)));
        }
        return list;
    }

    private static List<Float> vector(Random random, int dim) {
        List<Float> values = new ArrayList<>(dim);
        for (int i = 0; i < dim; i++) {
            values.add((float) random.nextGaussian());
        }
        return values;
    }

}
