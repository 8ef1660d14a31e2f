package io.mister.processor.support;

import io.mister.inference.SessionSettings;
import io.mister.processor.inference.EmotionHead;
import io.mister.processor.inference.InputExpectations;
import io.mister.processor.inference.ModelHolder;
import java.nio.file.Path;

/** The real ONNX test heads made by training/make_fixture.py (text_dim 8, speech_dim 6, 7 labels). */
public final class Fixtures {

    public static final Path TINY_HEAD = Path.of("src/test/resources/models/tiny-head.onnx");
    public static final Path TINY_HEAD_V2 = Path.of("src/test/resources/models/tiny-head-v2.onnx");
    public static final Path PARITY = Path.of("src/test/resources/models/tiny-head-parity.json");
    public static final int TEXT_DIM = 8;
    public static final int SPEECH_DIM = 6;
    public static final String TEXT_ENCODER = "test-text@1";
    public static final String SPEECH_ENCODER = "test-speech@1";
    public static final SessionSettings CPU = SessionSettings.cpu(1);

    private Fixtures() {}

    public static EmotionHead head(Path file) {
        return EmotionHead.load(file, CPU);
    }

    public static ModelHolder holder(Path file) {
        return ModelHolder.load(file, CPU, InputExpectations.fromModel());
    }
}
