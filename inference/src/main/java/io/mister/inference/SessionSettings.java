package io.mister.inference;

/**
 * How to open an ONNX session.
 *
 * @param device where to run
 * @param intraOpThreads threads per inference call; on small hosts 1 per stream thread is best
 * @param cudaDeviceId which GPU, when CUDA is used
 */
public record SessionSettings(Device device, int intraOpThreads, int cudaDeviceId) {

    public SessionSettings {
        if (device == null) {
            throw new IllegalArgumentException("device is required (auto, cuda or cpu)");
        }
        if (intraOpThreads < 1) {
            throw new IllegalArgumentException("intraOpThreads must be >= 1, was " + intraOpThreads);
        }
        if (cudaDeviceId < 0) {
            throw new IllegalArgumentException("cudaDeviceId must be >= 0, was " + cudaDeviceId);
        }
    }

    public static SessionSettings cpu(int threads) {
        return new SessionSettings(Device.CPU, threads, 0);
    }

    public static SessionSettings defaults() {
        return new SessionSettings(Device.AUTO, 1, 0);
    }
}
