package io.mister.encoder.offline;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads MELD-format CSV files ({@code Sr No., Utterance, Speaker, Emotion, Sentiment, Dialogue_ID,
 * Utterance_ID, ...}): RFC 4180 quoting (commas, quotes and newlines inside quoted fields), CRLF or
 * LF line ends, UTF-8 with or without a byte-order mark. Columns are found by name, so their order
 * and any extra columns do not matter. Dialogues come out ordered by {@code Dialogue_ID}, their
 * turns by {@code Utterance_ID}.
 */
public final class MeldCsvReader {

  static final String UTTERANCE = "Utterance";
  static final String SPEAKER = "Speaker";
  static final String EMOTION = "Emotion";
  static final String DIALOGUE_ID = "Dialogue_ID";
  static final String UTTERANCE_ID = "Utterance_ID";
  static final String START_TIME = "StartTime";

  private static final List<String> REQUIRED =
      List.of(UTTERANCE, SPEAKER, EMOTION, DIALOGUE_ID, UTTERANCE_ID);

  private MeldCsvReader() {}

  public static List<MeldDialogue> read(Path csv) throws IOException {
    try (BufferedReader reader = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
      return read(reader, csv.toString());
    }
  }

  /** Reads from any reader; {@code source} names it in error messages. */
  public static List<MeldDialogue> read(Reader reader, String source) throws IOException {
    skipByteOrderMark(reader);
    CSVFormat format =
        CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).setTrim(false).build();
    Map<Integer, List<MeldTurn>> byDialogue = new TreeMap<>();
    try (CSVParser parser = format.parse(reader)) {
      List<String> missing =
          REQUIRED.stream().filter(c -> !parser.getHeaderMap().containsKey(c)).toList();
      if (!missing.isEmpty()) {
        throw new IllegalArgumentException(
            source + ": not a MELD CSV, missing column(s) " + missing + " (header: "
                + parser.getHeaderNames() + ")");
      }
      boolean hasStart = parser.getHeaderMap().containsKey(START_TIME);
      for (CSVRecord record : parser) {
        MeldTurn turn =
            new MeldTurn(
                integer(record, DIALOGUE_ID, source),
                integer(record, UTTERANCE_ID, source),
                record.get(UTTERANCE),
                record.get(SPEAKER),
                record.get(EMOTION),
                hasStart && record.isSet(START_TIME) ? record.get(START_TIME) : "",
                record.getRecordNumber());
        byDialogue.computeIfAbsent(turn.dialogueId(), k -> new ArrayList<>()).add(turn);
      }
    } catch (java.io.UncheckedIOException e) {
      throw e.getCause();
    }
    List<MeldDialogue> dialogues = new ArrayList<>(byDialogue.size());
    for (Map.Entry<Integer, List<MeldTurn>> entry : byDialogue.entrySet()) {
      List<MeldTurn> turns = entry.getValue();
      turns.sort(Comparator.comparingInt(MeldTurn::utteranceId));
      for (int i = 1; i < turns.size(); i++) {
        if (turns.get(i).utteranceId() == turns.get(i - 1).utteranceId()) {
          throw new IllegalArgumentException(
              source + ": dialogue " + entry.getKey() + " has Utterance_ID "
                  + turns.get(i).utteranceId() + " twice (records " + turns.get(i - 1).line()
                  + " and " + turns.get(i).line() + ")");
        }
      }
      dialogues.add(new MeldDialogue(entry.getKey(), turns));
    }
    return dialogues;
  }

  private static int integer(CSVRecord record, String column, String source) {
    if (!record.isSet(column)) {
      throw new IllegalArgumentException(
          source + ": record " + record.getRecordNumber() + " has no " + column);
    }
    String value = record.get(column).trim();
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          source + ": record " + record.getRecordNumber() + ": " + column + " '" + value
              + "' is not an integer", e);
    }
  }

  /** Consumes a leading U+FEFF if there is one (Excel writes it; it would spoil the first header). */
  private static void skipByteOrderMark(Reader reader) throws IOException {
    if (!reader.markSupported()) {
      throw new IllegalArgumentException("reader must support mark (wrap it in a BufferedReader)");
    }
    reader.mark(1);
    if (reader.read() != '\uFEFF') {
      reader.reset();
    }
  }

  /** Total number of turns. */
  public static int turnCount(List<MeldDialogue> dialogues) {
    return dialogues.stream().mapToInt(d -> d.turns().size()).sum();
  }
}
