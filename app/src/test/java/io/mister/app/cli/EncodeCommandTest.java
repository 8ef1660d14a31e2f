package io.mister.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.specific.SpecificDatumReader;
import io.mister.events.UtteranceEmbedding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class EncodeCommandTest {

  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = new CommandLine(new EncodeCommand());
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    return cli.execute(args);
  }

  @Test
  void encodesACsvIntoAnAvroFileAndDrawsProgress() throws Exception {
    Path csv = dir.resolve("tiny.csv");
    Files.writeString(csv, "Sr No.,Utterance,Speaker,Emotion,Sentiment,Dialogue_ID,Utterance_ID\r\n"
        + "1,\"Hi, you.\",Ross,Joy,positive,3,0\r\n2,Go away!,Rachel,Anger,negative,3,1\r\n");
    Path avro = dir.resolve("out/tiny.avro");

    int exit = run("--input", csv.toString(), "--output", avro.toString(), "--device", "cpu",
        "--text-encoder", "all-minilm-l6-v2-q");

    assertThat(exit).as(err.toString()).isZero();
    assertThat(out.toString()).contains("Wrote 2 utterances of 1 dialogues").contains("all-minilm-l6-v2-q@1");
    assertThat(err.toString()).contains("2/2 (100%)");
    try (DataFileReader<UtteranceEmbedding> reader =
        new DataFileReader<>(avro.toFile(), new SpecificDatumReader<>(UtteranceEmbedding.class))) {
      assertThat(reader.next().getLabel()).isEqualTo("joy");
      assertThat(reader.next().getLabel()).isEqualTo("anger");
    }
  }

  @Test
  void aMissingInputIsAUsageError() {
    assertThat(run("--input", dir.resolve("nope.csv").toString(), "--output", "x.avro")).isEqualTo(2);
    assertThat(err.toString()).contains("nope.csv");
  }

  @Test
  void anUnknownDeviceIsAUsageError() throws Exception {
    Path csv = Files.writeString(dir.resolve("a.csv"), "Utterance,Speaker,Emotion,Dialogue_ID,Utterance_ID\n");
    assertThat(run("--input", csv.toString(), "--output", "x.avro", "--device", "tpu")).isEqualTo(2);
  }

  @Test
  void anUnknownTextEncoderFailsWithTheChoices() throws Exception {
    Path csv = Files.writeString(dir.resolve("a.csv"), "Utterance,Speaker,Emotion,Dialogue_ID,Utterance_ID\n");
    assertThat(run("--input", csv.toString(), "--output", dir.resolve("x.avro").toString(),
        "--text-encoder", "gpt-9")).isEqualTo(1);
    assertThat(err.toString()).contains("bge-small-en-v15-q");
  }
}
