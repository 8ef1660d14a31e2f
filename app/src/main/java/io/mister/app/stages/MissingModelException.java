package io.mister.app.stages;

import java.nio.file.Path;

/** The head model file is not there; the message tells the user how to get one. */
public final class MissingModelException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public MissingModelException(Path model) {
        super("Model file " + model.toAbsolutePath() + " does not exist. Train and export one with the training kit "
                + "(see training/README.md), or point model.path / --model at an existing .onnx head.");
    }
}
