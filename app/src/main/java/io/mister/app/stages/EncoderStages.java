package io.mister.app.stages;

import io.mister.app.config.MisterConfig;
import io.mister.app.runner.StreamsStage;
import io.mister.topics.Topics;

/** Builds the encoder stage (text + speech encoders, stateless). */
final class EncoderStages {

    private EncoderStages() {}

    static StreamsStage create(MisterConfig config, Topics topics) {
        throw new UnsupportedOperationException("The encoder stage is not merged into this build yet");
    }
}
