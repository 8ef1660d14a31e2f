package io.mister.app.demo;

import io.mister.events.Audio;
import io.mister.events.ControlType;
import io.mister.events.ConversationControl;
import io.mister.events.Utterance;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Turns the script into a timeline of events, as a contact centre would publish them: STARTED, one
 * utterance per turn at the moment the turn ends (its audio length, or a reading time for chat),
 * ENDED. Conversations overlap: each starts a little after the previous one.
 */
public final class DemoReplay {

    /** One event to publish {@code atMs} after the replay starts. */
    public record Step(long atMs, String conversationId, Object event) {}

    private static final long CONVERSATION_STAGGER_MS = 1_500;
    private static final long PAUSE_BETWEEN_TURNS_MS = 500;

    private DemoReplay() {}

    /**
     * @param audioDir where generate-audio.sh wrote the WAVs; null or missing files mean text only
     */
    public static List<Step> plan(DemoScript script, Path audioDir) {
        List<Step> steps = new ArrayList<>();
        for (int c = 0; c < script.conversations().size(); c++) {
            DemoScript.Conversation conversation = script.conversations().get(c);
            long clock = c * CONVERSATION_STAGGER_MS;
            steps.add(new Step(clock, conversation.id(), control(conversation.id(), ControlType.STARTED, null)));
            for (int t = 0; t < conversation.turns().size(); t++) {
                DemoScript.Turn turn = conversation.turns().get(t);
                byte[] wav = conversation.spoken() ? readAudio(audioDir, DemoScript.audioFileName(conversation, t)) : null;
                long start = clock;
                long duration = wav != null ? wavDurationMs(wav) : readingTimeMs(turn.text());
                clock += duration;
                Utterance utterance = Utterance.newBuilder()
                        .setConversationId(conversation.id())
                        .setUtteranceId(conversation.id() + "-" + t)
                        .setSeq(t)
                        .setSpeakerRole(turn.speaker())
                        .setStartMs(start - c * CONVERSATION_STAGGER_MS)
                        .setEndMs(clock - c * CONVERSATION_STAGGER_MS)
                        .setEventTime(java.time.Instant.EPOCH) // stamped when published
                        .setLanguage("en-US")
                        .setText(turn.text())
                        .setAudio(wav == null ? null : new Audio("WAV", 16_000, 1, ByteBuffer.wrap(wav)))
                        .setAttributes(Map.of("channel", conversation.channel(), "source", "mister-demo"))
                        .build();
                steps.add(new Step(clock, conversation.id(), utterance));
                clock += PAUSE_BETWEEN_TURNS_MS;
            }
            // The ENDED announces the turns sent, so the pipeline waits for every one of them.
            steps.add(new Step(clock, conversation.id(),
                    control(conversation.id(), ControlType.ENDED, (long) conversation.turns().size())));
        }
        steps.sort(Comparator.comparingLong(Step::atMs));
        return steps;
    }

    private static ConversationControl control(String id, ControlType type, Long turnCount) {
        return new ConversationControl(id, type, java.time.Instant.EPOCH, turnCount);
    }

    private static byte[] readAudio(Path audioDir, String name) {
        if (audioDir == null) {
            return null;
        }
        Path file = audioDir.resolve(name);
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }

    /** Duration of a 16-bit PCM WAV from its byte rate (header bytes 28-31) and data size. */
    static long wavDurationMs(byte[] wav) {
        ByteBuffer header = ByteBuffer.wrap(wav).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        int byteRate = header.getInt(28);
        return byteRate <= 0 ? 1_000 : (long) (wav.length - 44) * 1000 / byteRate;
    }

    /** How long a chat message takes to type and send: ~55 ms per character, at least 0.8 s. */
    static long readingTimeMs(String text) {
        return Math.max(800, text.length() * 55L);
    }
}
