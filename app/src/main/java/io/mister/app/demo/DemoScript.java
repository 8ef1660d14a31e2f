package io.mister.app.demo;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * The bundled sample conversations (demo/conversations.yaml): who says what, and the emotion the
 * script intends (which drives the synthetic voice and the summary, never the model).
 */
public record DemoScript(List<Conversation> conversations) {

    public static final String RESOURCE = "/demo/conversations.yaml";

    /** One conversation; chat conversations have no audio. */
    public record Conversation(String id, String channel, Map<String, String> voices, List<Turn> turns) {
        public boolean spoken() {
            return !"chat".equals(channel);
        }
    }

    /** One turn as written. */
    public record Turn(String speaker, String emotion, String text) {}

    public static DemoScript bundled() {
        try (InputStream in = DemoScript.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("Missing resource " + RESOURCE);
            }
            return new ObjectMapper(new YAMLFactory())
                    .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
                    .readValue(in, DemoScript.class);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + RESOURCE, e);
        }
    }

    public int turnCount() {
        return conversations.stream().mapToInt(c -> c.turns().size()).sum();
    }

    /** The audio file name of a turn, as app/demo/generate-audio.sh writes it. */
    public static String audioFileName(Conversation conversation, int turn) {
        return String.format("%s-%02d.wav", conversation.id(), turn);
    }
}
