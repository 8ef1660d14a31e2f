package io.mister.inference;

/** CUDA was required ({@link Device#CUDA}) but ONNX Runtime could not load its CUDA provider. */
public final class CudaUnavailableException extends RuntimeException {
    public CudaUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
