package io.mister.encoder.speech;

import io.mister.encoder.audio.AudioDecoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Fits the shipped standardisation statistics of {@code mister-prosody} on the EmoDB training
 * speakers (03, 08, 09, 10, 11, 12, 13; never 14-16) and writes them as JSON. Run once when the
 * features change (and bump {@link ProsodySpeechEncoder#ID}'s version), from the repository root:
 *
 * <pre>
 * encoders/scripts/fit-prosody-standardization.sh
 * </pre>
 *
 * Arguments: [output file] [EmoDB folder]; defaults: the resource under
 * {@code encoders/src/main/resources} and {@code ../shared/data/emodb}.
 */
public final class StandardizationFitter {

    static final Path DEFAULT_OUTPUT =
            Path.of("encoders/src/main/resources/io/mister/encoder/speech", Standardization.DEFAULT_RESOURCE);

    private StandardizationFitter() {
    }

    public static void main(String[] args) throws IOException {
        Path output = args.length > 0 ? Path.of(args[0]) : DEFAULT_OUTPUT;
        EmoDbCorpus corpus = args.length > 1 ? new EmoDbCorpus(Path.of(args[1])) : EmoDbCorpus.locate();
        Standardization fitted = fit(corpus);
        Files.createDirectories(output.toAbsolutePath().getParent());
        Files.writeString(output, fitted.toJson());
        System.out.println("wrote " + output + " (" + fitted.fittedOn() + ")");
    }

    /** Raw features of every training utterance, then per-dimension mean and standard deviation. */
    static Standardization fit(EmoDbCorpus corpus) throws IOException {
        List<EmoDbCorpus.Utterance> utterances = corpus.utterances();
        AudioDecoder decoder = new AudioDecoder();
        List<double[]> raw = new ArrayList<>();
        try (ProsodySpeechEncoder encoder = new ProsodySpeechEncoder(Standardization.identity())) {
            for (EmoDbCorpus.Utterance u : utterances) {
                raw.add(encoder.rawFeatures(EmoDbCorpus.decode(u, decoder)));
            }
        }
        String speakers = String.join(",", new TreeSet<>(utterances.stream().map(EmoDbCorpus.Utterance::speaker).toList()));
        return Standardization.fit(raw, "EmoDB speakers " + speakers + " (" + utterances.size()
                + " utterances); StandardizationFitter");
    }
}
