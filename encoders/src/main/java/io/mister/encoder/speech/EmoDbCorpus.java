package io.mister.encoder.speech;

import io.mister.encoder.audio.AudioDecoder;
import io.mister.encoder.audio.PcmAudio;
import io.mister.events.Audio;
import java.io.IOException;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/**
 * The EmoDB copy under {@code ../shared/data/emodb}: its {@code labels.csv} and wav files. Only
 * the speakers listed in {@link #TRAINING_SPEAKERS} are present (14-16 are held back for
 * independent evaluation and must never be used for tuning).
 */
public final class EmoDbCorpus {

    /** The speakers of this copy; statistics and classifiers may be fitted on them. */
    public static final Set<String> TRAINING_SPEAKERS = Set.of("03", "08", "09", "10", "11", "12", "13");

    /** One labelled utterance. */
    public record Utterance(Path wav, String speaker, String emotion, String textCode) {
    }

    private final Path root;

    /** @param root the folder holding {@code labels.csv} and {@code wav/} */
    public EmoDbCorpus(Path root) {
        this.root = root;
    }

    /** The default location relative to the repository root, or to a module folder beneath it. */
    public static EmoDbCorpus locate() {
        for (Path candidate : List.of(Path.of("../shared/data/emodb"), Path.of("../../shared/data/emodb"))) {
            if (Files.isRegularFile(candidate.resolve("labels.csv"))) {
                return new EmoDbCorpus(candidate);
            }
        }
        throw new IllegalStateException("EmoDB not found at ../shared/data/emodb (relative to the repository root)");
    }

    public Path root() {
        return root;
    }

    /** The utterances of the training speakers, in file order; refuses a copy with held-out speakers. */
    public List<Utterance> utterances() throws IOException {
        List<Utterance> out = new ArrayList<>();
        try (Reader in = Files.newBufferedReader(root.resolve("labels.csv"))) {
            for (CSVRecord r : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build().parse(in)) {
                String speaker = r.get("speaker");
                if (!TRAINING_SPEAKERS.contains(speaker)) {
                    throw new IllegalStateException("EmoDB speaker " + speaker + " is held out for evaluation; "
                            + "remove it from " + root);
                }
                out.add(new Utterance(root.resolve(r.get("file")), speaker, r.get("emotion"), r.get("text_code")));
            }
        }
        return out;
    }

    /** Decodes one utterance as the encoder stage would: WAV bytes through the {@link AudioDecoder}. */
    public static PcmAudio decode(Utterance u, AudioDecoder decoder) throws IOException {
        Audio audio = Audio.newBuilder().setEncoding(AudioDecoder.WAV).setSampleRate(0).setChannels(1)
                .setBytes(ByteBuffer.wrap(Files.readAllBytes(u.wav()))).build();
        return decoder.decode(audio);
    }
}
