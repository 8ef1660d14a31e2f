package io.mister.processor.inference;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.mister.inference.OnnxModel;
import io.mister.inference.SessionSettings;
import io.mister.processor.context.Turn;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The MiSTER-E head: one ONNX model that scores windows of turns per docs/model-contract.md. Loaded once
 * and shared by all stream threads (the session is thread-safe); each caller brings its own
 * {@link HeadInputs}. Every tensor and result is closed before {@link #score} returns.
 */
public final class EmotionHead implements AutoCloseable {

    static final List<String> INPUTS = List.of("text", "speech", "text_mask", "speech_mask", "valid");
    static final List<String> OUTPUTS = List.of("probs", "gate", "expert_probs");

    private final OnnxModel model;
    private final HeadSpec spec;

    private EmotionHead(OnnxModel model, HeadSpec spec) {
        this.model = model;
        this.spec = spec;
    }

    /** Loads a head and checks it against the contract (inputs, outputs, metadata). */
    public static EmotionHead load(Path file, SessionSettings settings) {
        return of(OnnxModel.load(file, settings));
    }

    /** Wraps a loaded model after checking the contract; closes the model if it breaks it. */
    public static EmotionHead of(OnnxModel model) {
        try {
            HeadSpec spec = HeadSpec.fromMetadata(model.name(), model.metadata());
            requireContract(model, spec);
            return new EmotionHead(model, spec);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    private static void requireContract(OnnxModel model, HeadSpec spec) {
        OrtSession session = model.session();
        List<String> problems = new ArrayList<>();
        Set<String> inputs = session.getInputNames();
        Set<String> outputs = session.getOutputNames();
        INPUTS.stream().filter(name -> !inputs.contains(name)).forEach(name -> problems.add("input '" + name + "' is missing"));
        OUTPUTS.stream().filter(name -> !outputs.contains(name)).forEach(name -> problems.add("output '" + name + "' is missing"));
        try {
            Map<String, NodeInfo> inputInfo = session.getInputInfo();
            lastDimension(inputInfo, "text", spec.textDim(), problems);
            lastDimension(inputInfo, "speech", spec.speechDim(), problems);
            lastDimension(session.getOutputInfo(), "probs", spec.labels().size(), problems);
        } catch (OrtException e) {
            problems.add("cannot read the model's signature: " + e.getMessage());
        }
        if (!problems.isEmpty()) {
            throw new ModelMismatchException("Model " + model.name() + " breaks the head contract: " + String.join("; ", problems));
        }
    }

    private static void lastDimension(Map<String, NodeInfo> info, String name, int expected, List<String> problems) {
        NodeInfo node = info.get(name);
        if (node == null || !(node.getInfo() instanceof TensorInfo tensor)) {
            return;
        }
        long[] shape = tensor.getShape();
        long last = shape.length == 0 ? -1 : shape[shape.length - 1];
        if (last > 0 && last != expected) {
            problems.add("'" + name + "' has last dimension " + last + " but the metadata declares " + expected);
        }
    }

    public HeadSpec spec() {
        return spec;
    }

    public String name() {
        return model.name();
    }

    public OnnxModel model() {
        return model;
    }

    /**
     * Scores windows in one call: the batch is padded to its longest window (valid = 0 on padding), and
     * each window gets back its own turns' scores.
     */
    public List<SequenceScores> score(List<? extends List<Turn>> windows, HeadInputs inputs) {
        if (windows.isEmpty()) {
            return List.of();
        }
        int batch = windows.size();
        int maxTurns = windows.stream().mapToInt(List::size).max().orElse(0);
        if (maxTurns == 0) {
            throw new IllegalArgumentException("Cannot score empty windows");
        }
        inputs.fill(windows, maxTurns, spec.textDim(), spec.speechDim());
        OrtEnvironment env = OnnxModel.environment();
        long[] grid = {batch, maxTurns};
        try (OnnxTensor text = OnnxTensor.createTensor(env, inputs.text(), new long[] {batch, maxTurns, spec.textDim()});
             OnnxTensor speech = OnnxTensor.createTensor(env, inputs.speech(), new long[] {batch, maxTurns, spec.speechDim()});
             OnnxTensor textMask = OnnxTensor.createTensor(env, inputs.textMask(), grid);
             OnnxTensor speechMask = OnnxTensor.createTensor(env, inputs.speechMask(), grid);
             OnnxTensor valid = OnnxTensor.createTensor(env, inputs.valid(), grid);
             OrtSession.Result result = model.session().run(Map.of(
                     "text", text, "speech", speech, "text_mask", textMask, "speech_mask", speechMask, "valid", valid),
                     Set.copyOf(OUTPUTS))) {
            FloatBuffer probs = output(result, "probs");
            FloatBuffer gate = output(result, "gate");
            FloatBuffer experts = output(result, "expert_probs");
            return split(windows, maxTurns, probs, gate, experts);
        } catch (OrtException e) {
            throw new IllegalStateException("Head " + model.name() + " failed to score a batch of " + batch + " windows: "
                    + e.getMessage(), e);
        }
    }

    private static FloatBuffer output(OrtSession.Result result, String name) {
        return ((OnnxTensor) result.get(name).orElseThrow(() -> new IllegalStateException("no output " + name)))
                .getFloatBuffer();
    }

    private List<SequenceScores> split(List<? extends List<Turn>> windows, int maxTurns,
                                       FloatBuffer probs, FloatBuffer gate, FloatBuffer experts) {
        int classes = spec.labels().size();
        List<SequenceScores> scores = new ArrayList<>(windows.size());
        for (int b = 0; b < windows.size(); b++) {
            int turns = windows.get(b).size();
            scores.add(new SequenceScores(turns, classes,
                    slice(probs, b * maxTurns * classes, turns * classes),
                    slice(gate, b * maxTurns * SequenceScores.EXPERTS, turns * SequenceScores.EXPERTS),
                    slice(experts, b * maxTurns * SequenceScores.EXPERTS * classes, turns * SequenceScores.EXPERTS * classes)));
        }
        return scores;
    }

    private static float[] slice(FloatBuffer buffer, int offset, int length) {
        float[] values = new float[length];
        buffer.get(offset, values, 0, length);
        return values;
    }

    @Override
    public void close() {
        model.close();
    }
}
