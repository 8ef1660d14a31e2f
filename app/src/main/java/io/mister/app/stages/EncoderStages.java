package io.mister.app.stages;

import io.mister.app.config.MisterConfig;
import io.mister.app.runner.StreamsStage;
import io.mister.encoder.text.TextEncoder;
import io.mister.encoder.speech.ProsodySpeechEncoder;
import io.mister.encoder.text.TextEncoders;
import io.mister.topics.Topics;

/** Builds the encoder stage (text + speech encoders, stateless apart from its batch buffer). */
final class EncoderStages {

    private EncoderStages() {}

    static StreamsStage create(MisterConfig config, Topics topics) {
        TextEncoder text = TextEncoders.open(config.textEncoder(), config.sessionSettings());
        try {
            return new EncoderStage(topics, text, new ProsodySpeechEncoder(), config.encoderSettings());
        } catch (RuntimeException e) {
            text.close();
            throw e;
        }
    }
}
