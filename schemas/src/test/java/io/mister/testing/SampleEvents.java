package io.mister.testing;

import io.mister.events.Audio;
import io.mister.events.ControlType;
import io.mister.events.ConversationControl;
import io.mister.events.EmotionEvent;
import io.mister.events.EncoderInfo;
import io.mister.events.ExpertProbabilities;
import io.mister.events.ExpertWeights;
import io.mister.events.Utterance;
import io.mister.events.UtteranceEmbedding;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

/** Fully populated sample records for tests of every module. */
public final class SampleEvents {

    public static final long T0 = 1_764_400_000_000L;
    public static final List<String> LABELS = List.of("neutral", "joy", "surprise", "anger", "sadness", "disgust", "fear");

    private SampleEvents() {}

    public static Utterance utterance(String conversationId, long seq, String text, Audio audio) {
        return Utterance.newBuilder()
                .setConversationId(conversationId)
                .setUtteranceId(conversationId + "-u" + seq)
                .setSeq(seq)
                .setSpeakerRole(seq % 2 == 0 ? "agent" : "customer")
                .setStartMs(seq * 3000)
                .setEndMs(seq * 3000 + 2500)
                .setEventTime(java.time.Instant.ofEpochMilli(T0 + seq * 3000 + 2500))
                .setLanguage("en-US")
                .setText(text)
                .setAudio(audio)
                .setAttributes(Map.of("channel", "voice"))
                .build();
    }

    public static Audio pcmAudio(short... samples) {
        ByteBuffer bytes = ByteBuffer.allocate(samples.length * 2).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (short s : samples) {
            bytes.putShort(s);
        }
        bytes.flip();
        return Audio.newBuilder().setEncoding("PCM_S16LE").setSampleRate(16000).setChannels(1).setBytes(bytes).build();
    }

    public static ConversationControl ended(String conversationId) {
        return ConversationControl.newBuilder().setConversationId(conversationId).setType(ControlType.ENDED)
                .setEventTime(java.time.Instant.ofEpochMilli(T0 + 60_000)).build();
    }

    public static UtteranceEmbedding embedding(String conversationId, long seq, float[] text, float[] speech) {
        return UtteranceEmbedding.newBuilder()
                .setConversationId(conversationId)
                .setUtteranceId(conversationId + "-u" + seq)
                .setSeq(seq)
                .setSpeakerRole("customer")
                .setEventTime(java.time.Instant.ofEpochMilli(T0 + seq * 3000))
                .setText(text == null ? null : "turn " + seq)
                .setTextEmbedding(toList(text))
                .setSpeechEmbedding(toList(speech))
                .setTextEncoder(new EncoderInfo("test-text", "1", text == null ? 8 : text.length))
                .setSpeechEncoder(new EncoderInfo("test-speech", "1", speech == null ? 6 : speech.length))
                .setLabel("joy")
                .setEncodedAt(java.time.Instant.ofEpochMilli(T0 + seq * 3000 + 40))
                .build();
    }

    public static EmotionEvent emotion(String conversationId, long seq) {
        List<Float> probs = List.of(0.1f, 0.5f, 0.1f, 0.1f, 0.1f, 0.05f, 0.05f);
        return EmotionEvent.newBuilder()
                .setConversationId(conversationId)
                .setUtteranceId(conversationId + "-u" + seq)
                .setSeq(seq)
                .setLabel("joy")
                .setConfidence(0.5f)
                .setLabels(LABELS)
                .setProbabilities(probs)
                .setExpertWeights(new ExpertWeights(0.2f, 0.5f, 0.3f))
                .setExpertProbabilities(new ExpertProbabilities(probs, probs, probs))
                .setTextPresent(true)
                .setSpeechPresent(true)
                .setRevision(0)
                .setFinal$(false)
                .setModelVersion("test-1")
                .setTextEncoder("test-text@1")
                .setSpeechEncoder("test-speech@1")
                .setEventTime(java.time.Instant.ofEpochMilli(T0))
                .setEmittedAt(java.time.Instant.ofEpochMilli(T0 + 120))
                .setLatencyMs(120)
                .build();
    }

    private static List<Float> toList(float[] values) {
        if (values == null) {
            return null;
        }
        java.util.ArrayList<Float> list = new java.util.ArrayList<>(values.length);
        for (float v : values) {
            list.add(v);
        }
        return list;
    }
}
