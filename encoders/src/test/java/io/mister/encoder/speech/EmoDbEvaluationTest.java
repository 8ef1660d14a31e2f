package io.mister.encoder.speech;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The quality bar of the speech encoder: speaker-independent emotion accuracy on EmoDB. */
class EmoDbEvaluationTest {

    @Test
    void leaveOneSpeakerOutAccuracyOnSevenEmotionsIsAtLeast55Percent() throws Exception {
        EmoDbEvaluation.Result result = EmoDbEvaluation.evaluate(EmoDbCorpus.locate());
        System.out.print(result.toMarkdown());

        assertThat(result.utterances()).isEqualTo(339);
        assertThat(result.accuracyBySpeaker()).hasSize(7);
        assertThat(result.accuracy()).isGreaterThanOrEqualTo(0.55);
        assertThat(result.unweightedAverageRecall()).isGreaterThan(1.0 / 7 * 3); // far above chance (14%)
    }
}
