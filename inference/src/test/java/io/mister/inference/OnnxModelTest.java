package io.mister.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtSession;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Device selection on a machine without a usable GPU (the build machines). A tiny ONNX graph,
 * {@code y = 2 * x}, stands in for real models; it was made with the onnx Python package.
 */
class OnnxModelTest {

  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final Logger logger = (Logger) LoggerFactory.getLogger(OnnxModel.class);

  @BeforeEach
  void captureLogs() {
    logs.start();
    logger.addAppender(logs);
  }

  @AfterEach
  void releaseLogs() {
    logger.detachAppender(logs);
  }

  @Test
  void autoFallsBackToCpuAndSaysWhyInOneLine() throws Exception {
    assumeNoGpu();

    try (OnnxModel model = OnnxModel.load("double", doubleModel(), SessionSettings.defaults())) {
      assertThat(model.activeDevice()).isEqualTo(Device.CPU);
      assertThat(run(model, new float[] {1, 2, 3})).containsExactly(2, 4, 6);
    }

    List<String> lines = logs.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    assertThat(lines).hasSize(1);
    assertThat(lines.get(0)).startsWith("CUDA unavailable for double, running on CPU (").doesNotContain("\n");
  }

  @Test
  void cudaFailsFastWithAClearException() {
    assumeNoGpu();

    assertThatThrownBy(() -> OnnxModel.load("double", doubleModel(), new SessionSettings(Device.CUDA, 1, 0)))
        .isInstanceOf(CudaUnavailableException.class)
        .hasMessageContaining("device=cuda")
        .hasMessageContaining("double");
  }

  @Test
  void cpuNeitherTriesCudaNorLogsAFallback() throws Exception {
    try (OnnxModel model = OnnxModel.load("double", doubleModel(), SessionSettings.cpu(1))) {
      assertThat(model.activeDevice()).isEqualTo(Device.CPU);
      assertThat(model.metadata()).containsEntry("purpose", "device selection tests");
      assertThat(run(model, new float[] {0.5f, -1, 4})).containsExactly(1, -2, 8);
    }
    assertThat(logs.list).isEmpty();
  }

  @Test
  void aModelFileIsLoadedFromDisk(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    Path file = dir.resolve("double.onnx");
    Files.write(file, doubleModel());
    try (OnnxModel model = OnnxModel.load(file, SessionSettings.cpu(1))) {
      assertThat(run(model, new float[] {3, 3, 3})).containsExactly(6, 6, 6);
    }
  }

  @Test
  void bytesThatAreNotOnnxAreRefusedWithTheModelName() {
    assertThatThrownBy(() -> OnnxModel.load("garbage", new byte[] {1, 2, 3}, SessionSettings.cpu(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("garbage");
  }

  @Test
  void aMissingFileIsRefusedWithItsPath() {
    assertThatThrownBy(() -> OnnxModel.load(Path.of("no/such/model.onnx"), SessionSettings.cpu(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("model.onnx");
  }

  private static float[] run(OnnxModel model, float[] x) throws Exception {
    try (OnnxTensor input = OnnxTensor.createTensor(OnnxModel.environment(), new float[][] {x});
        OrtSession.Result result = model.session().run(Map.of("x", input))) {
      return ((float[][]) result.get(0).getValue())[0];
    }
  }

  private static byte[] doubleModel() throws IOException {
    try (InputStream in = OnnxModelTest.class.getResourceAsStream("double.onnx")) {
      return in.readAllBytes();
    }
  }

  /** These tests describe a machine without a GPU; on one with a driver they do not apply. */
  private static void assumeNoGpu() {
    assumeFalse(Files.exists(Path.of("/dev/nvidiactl")), "an NVIDIA device is present");
  }
}
