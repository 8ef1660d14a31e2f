package io.mister.app;

/**
 * The head of the app's end-to-end tests (app/demo/make-test-head.py): untrained, small, and declaring
 * the built-in {@value #TEXT_ENCODER} text encoder, which loads fast; tests that run it check plumbing,
 * never accuracy, and must configure that encoder (the default is the shipped fine-tuned one).
 */
public final class UntrainedHead {

    /** Relative to the app module, the tests' working directory. */
    public static final String PATH = "src/test/resources/models/untrained-head.onnx";

    /** The text encoder the head was made for (value of encoder.text). */
    public static final String TEXT_ENCODER = "all-minilm-l6-v2-q";

    private UntrainedHead() {}
}
