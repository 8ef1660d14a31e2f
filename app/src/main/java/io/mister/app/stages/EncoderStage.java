package io.mister.app.stages;

import io.mister.app.runner.StreamsStage;
import io.mister.encoder.Encoder;
import io.mister.encoder.audio.PcmAudio;
import io.mister.encoder.stage.EncoderStageSettings;
import io.mister.encoder.stage.EncoderTopology;
import io.mister.encoder.text.TextEncoder;
import io.mister.topics.Topics;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.streams.Topology;

/**
 * The encoder stage as a runnable stage: utterances and control events in; utterance embeddings and the
 * control events, ordered behind them, out.
 */
public final class EncoderStage implements StreamsStage {

    private final Topics topics;
    private final TextEncoder text;
    private final Encoder<PcmAudio> speech;
    private final EncoderStageSettings settings;
    private final AtomicBoolean closed = new AtomicBoolean();

    public EncoderStage(Topics topics, TextEncoder text, Encoder<PcmAudio> speech, EncoderStageSettings settings) {
        this.topics = topics;
        this.text = text;
        this.speech = speech;
        this.settings = settings;
    }

    /** What a head model must expect to be fed by these encoders. */
    public io.mister.processor.inference.InputExpectations expectations() {
        return new io.mister.processor.inference.InputExpectations(text.id().tag(), text.id().dim(),
                speech.id().tag(), speech.id().dim(), null);
    }

    @Override
    public String name() {
        return EncoderTopology.STAGE;
    }

    @Override
    public List<String> inputTopics() {
        return List.of(topics.names().utterances(), topics.names().control());
    }

    @Override
    public List<String> outputTopics() {
        return List.of(topics.names().embeddings(), topics.names().embeddingsControl(), topics.names().utterancesDlq());
    }

    @Override
    public Topology buildTopology() {
        return EncoderTopology.buildTopology(topics, text, speech, settings);
    }

    @Override
    public java.util.Map<String, Object> streamsOverrides() {
        // Micro-batches flush on a wall-clock punctuator; commit often so embeddings publish promptly under EOS.
        // poll.ms at the punctuator's interval: with sparse input a partly filled batch would otherwise wait for
        // the stream thread's 100 ms poll before its punctuator runs.
        return java.util.Map.of(org.apache.kafka.streams.StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100,
                org.apache.kafka.streams.StreamsConfig.POLL_MS_CONFIG, settings.flushCheckInterval().toMillis());
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            text.close();
            speech.close();
        }
    }
}
