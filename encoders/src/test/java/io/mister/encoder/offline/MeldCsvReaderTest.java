package io.mister.encoder.offline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class MeldCsvReaderTest {

  /** Every quirk at once: BOM, CRLF, quoted commas, doubled quotes, a newline inside a field,
   *  typographic punctuation and accents, rows out of order, a gap in Utterance_ID. */
  static final String QUIRKY =
      "\uFEFFSr No.,Utterance,Speaker,Emotion,Sentiment,Dialogue_ID,Utterance_ID,Season,Episode,StartTime,EndTime\r\n"
          + "1,\"Oh my God, he’s lost it.\",Phoebe,Sadness,negative,7,0,4,7,\"00:20:57,256\",\"00:21:00,049\"\r\n"
          + "2,\"She said \"\"no\"\"… again\",Monica,Anger,negative,7,3,4,7,\"00:21:01,927\",\"00:21:03,261\"\r\n"
          + "3,\"Line one\r\nline two\",Joey,Neutral,neutral,2,1,1,1,\"00:00:01,000\",\"00:00:02,000\"\r\n"
          + "4,Café — naïve,Rachel,JOY,positive,2,0,1,1,\"00:00:00,500\",\"00:00:01,000\"\r\n"
          + "5,What?,Monica,surprise,negative,7,1,4,7,,\r\n";

  @Test
  void readsEveryQuirkAndOrdersDialoguesAndTurns() throws Exception {
    List<MeldDialogue> dialogues =
        MeldCsvReader.read(new BufferedReader(new StringReader(QUIRKY)), "quirky.csv");

    assertThat(dialogues).extracting(MeldDialogue::dialogueId).containsExactly(2, 7);
    MeldDialogue two = dialogues.get(0);
    assertThat(two.turns()).extracting(MeldTurn::utteranceId).containsExactly(0, 1);
    assertThat(two.turns().get(0).text()).isEqualTo("Café — naïve");
    assertThat(two.turns().get(0).emotion()).isEqualTo("JOY");
    assertThat(two.turns().get(1).text()).isEqualTo("Line one\r\nline two");
    MeldDialogue seven = dialogues.get(1);
    assertThat(seven.turns()).extracting(MeldTurn::utteranceId).containsExactly(0, 1, 3);
    assertThat(seven.turns().get(0).text()).isEqualTo("Oh my God, he’s lost it.");
    assertThat(seven.turns().get(0).speaker()).isEqualTo("Phoebe");
    assertThat(seven.turns().get(0).startTime()).isEqualTo("00:20:57,256");
    assertThat(seven.turns().get(2).text()).isEqualTo("She said \"no\"… again");
    assertThat(seven.turns().get(2).mediaName()).isEqualTo("dia7_utt3");
    assertThat(MeldCsvReader.turnCount(dialogues)).isEqualTo(5);
  }

  @Test
  void columnsAreFoundByNameInAnyOrderWithLfLineEnds() throws Exception {
    String csv = "Utterance_ID,Dialogue_ID,Emotion,Speaker,Utterance\n1,0,fear,Ross,\"Hi, there\"\n0,0,joy,Ross,Hello\n";
    List<MeldDialogue> dialogues =
        MeldCsvReader.read(new BufferedReader(new StringReader(csv)), "reordered.csv");

    assertThat(dialogues.get(0).turns()).extracting(MeldTurn::text)
        .containsExactly("Hello", "Hi, there");
    assertThat(dialogues.get(0).turns().get(0).startTime()).isEmpty();
  }

  @Test
  void aFileWithoutTheMeldColumnsIsRefusedNamingThem() {
    assertThatThrownBy(() -> MeldCsvReader.read(
            new BufferedReader(new StringReader("text,label\nhi,joy\n")), "other.csv"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("other.csv")
        .hasMessageContaining("Dialogue_ID");
  }

  @Test
  void aNonNumericIdIsRefusedWithItsRecordNumber() {
    String csv = "Utterance,Speaker,Emotion,Dialogue_ID,Utterance_ID\nHi,Ross,joy,x,0\n";
    assertThatThrownBy(() -> MeldCsvReader.read(new BufferedReader(new StringReader(csv)), "bad.csv"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("record 1")
        .hasMessageContaining("Dialogue_ID 'x'");
  }

  @Test
  void aRepeatedUtteranceIdIsRefused() {
    String csv = "Utterance,Speaker,Emotion,Dialogue_ID,Utterance_ID\nHi,Ross,joy,1,0\nHo,Ross,joy,1,0\n";
    assertThatThrownBy(() -> MeldCsvReader.read(new BufferedReader(new StringReader(csv)), "dup.csv"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Utterance_ID 0 twice");
  }

  @Test
  void readsTheWholeMeldDevSplit() throws Exception {
    List<MeldDialogue> dialogues = MeldCsvReader.read(MeldFiles.DEV);

    assertThat(dialogues).hasSize(114);
    assertThat(MeldCsvReader.turnCount(dialogues)).isEqualTo(1109);
    assertThat(dialogues).allSatisfy(d -> assertThat(d.turns())
        .isSortedAccordingTo(java.util.Comparator.comparingInt(MeldTurn::utteranceId)));
    long withGaps = dialogues.stream()
        .filter(d -> d.turns().get(d.turns().size() - 1).utteranceId() != d.turns().size() - 1)
        .count();
    assertThat(withGaps).isEqualTo(2); // as the data's README says
    assertThat(dialogues.stream().mapToInt(d -> d.turns().size()).max().orElseThrow()).isEqualTo(23);
  }

  /** Where the shared MELD files are, relative to the module directory tests run in. */
  static final class MeldFiles {
    static final Path DEV = Path.of("../../shared/data/meld/dev_sent_emo.csv");

    private MeldFiles() {}
  }
}
