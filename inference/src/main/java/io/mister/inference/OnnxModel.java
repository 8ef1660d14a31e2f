package io.mister.inference;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One loaded ONNX model: a session created once and shared by every thread that scores with it
 * (OrtSession.run is thread-safe), and the device it actually runs on. Close it to free native memory.
 */
public final class OnnxModel implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(OnnxModel.class);

    private final String name;
    private final OrtSession session;
    private final Device activeDevice;
    private final Map<String, String> metadata;

    private OnnxModel(String name, OrtSession session, Device activeDevice) throws OrtException {
        this.name = name;
        this.session = session;
        this.activeDevice = activeDevice;
        this.metadata = Map.copyOf(session.getMetadata().getCustomMetadata());
    }

    public static OnnxModel load(Path file, SessionSettings settings) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("ONNX model not found: " + file.toAbsolutePath());
        }
        try {
            return open(file.toString(), Files.readAllBytes(file), settings);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("Cannot read ONNX model " + file + ": " + e.getMessage(), e);
        }
    }

    public static OnnxModel load(String name, byte[] model, SessionSettings settings) {
        return open(name, model, settings);
    }

    private static OnnxModel open(String name, byte[] model, SessionSettings settings) {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try {
            if (settings.device() != Device.CPU) {
                try (OrtSession.SessionOptions options = baseOptions(settings)) {
                    // getAvailableProviders() lists CUDA even when it cannot load: only trying tells.
                    options.addCUDA(settings.cudaDeviceId());
                    return new OnnxModel(name, env.createSession(model, options), Device.CUDA);
                } catch (OrtException | RuntimeException | UnsatisfiedLinkError e) {
                    if (settings.device() == Device.CUDA) {
                        throw new CudaUnavailableException("CUDA was required (device=cuda) but cannot be used for "
                                + name + ": " + e.getMessage()
                                + ". Install the NVIDIA driver, CUDA 12 and cuDNN 9, or set device=auto or cpu.", e);
                    }
                    LOG.info("CUDA unavailable for {}, running on CPU ({})", name, firstLine(e.getMessage()));
                }
            }
            try (OrtSession.SessionOptions options = baseOptions(settings)) {
                return new OnnxModel(name, env.createSession(model, options), Device.CPU);
            }
        } catch (OrtException e) {
            throw new IllegalArgumentException("Not a loadable ONNX model: " + name + ": " + e.getMessage(), e);
        }
    }

    private static OrtSession.SessionOptions baseOptions(SessionSettings settings) throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(settings.intraOpThreads());
        options.setInterOpNumThreads(1);
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        return options;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no reason given";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    public String name() {
        return name;
    }

    public OrtSession session() {
        return session;
    }

    public Device activeDevice() {
        return activeDevice;
    }

    /** The model's custom metadata (ONNX metadata_props). */
    public Map<String, String> metadata() {
        return metadata;
    }

    public static OrtEnvironment environment() {
        return OrtEnvironment.getEnvironment();
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            LOG.warn("Closing ONNX session {} failed: {}", name, e.getMessage());
        }
    }
}
