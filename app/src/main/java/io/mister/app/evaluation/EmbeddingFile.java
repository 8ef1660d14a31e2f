package io.mister.app.evaluation;

import io.mister.events.UtteranceEmbedding;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;

/**
 * Avro container files of {@link UtteranceEmbedding} records (with gold labels): what the training
 * kit trains on and what {@code evaluate --offline} scores.
 */
public final class EmbeddingFile {

    private EmbeddingFile() {}

    /** Reads a file and groups it into conversations (file order of first appearance), turns by seq. */
    public static Map<String, List<UtteranceEmbedding>> readConversations(Path file) throws IOException {
        Map<String, List<UtteranceEmbedding>> conversations = new LinkedHashMap<>();
        try (DataFileReader<UtteranceEmbedding> reader = new DataFileReader<>(file.toFile(),
                new SpecificDatumReader<>(UtteranceEmbedding.class))) {
            for (UtteranceEmbedding embedding : reader) {
                conversations.computeIfAbsent(embedding.getConversationId(), c -> new ArrayList<>()).add(embedding);
            }
        }
        conversations.values().forEach(turns -> turns.sort(Comparator.comparingLong(UtteranceEmbedding::getSeq)));
        return conversations;
    }

    public static void write(Path file, Collection<UtteranceEmbedding> embeddings) throws IOException {
        try (DataFileWriter<UtteranceEmbedding> writer = new DataFileWriter<>(new SpecificDatumWriter<>(UtteranceEmbedding.class))) {
            writer.create(UtteranceEmbedding.getClassSchema(), file.toFile());
            for (UtteranceEmbedding embedding : embeddings) {
                writer.append(embedding);
            }
        }
    }
}
