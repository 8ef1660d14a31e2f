package io.mister.inference;

/** Where ONNX models run. */
public enum Device {
    /** CUDA when it loads, else CPU, with one log line saying why. The default. */
    AUTO,
    /** CUDA or fail fast with {@link CudaUnavailableException}. */
    CUDA,
    /** CPU only. */
    CPU
}
