package io.mister.app.evaluation;

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
import org.apache.commons.csv.CSVRecord;

/** Reads a MELD-format CSV (Utterance, Speaker, Emotion, Dialogue_ID, Utterance_ID) into labelled conversations. */
public final class MeldCsv {

    /** One labelled turn; {@code utteranceId} is MELD's (may skip numbers), the seq is its position. */
    public record Turn(int utteranceId, String speaker, String text, String emotion) {}

    /** One dialogue, turns in Utterance_ID order. */
    public record Conversation(int dialogueId, List<Turn> turns) {}

    private MeldCsv() {}

    public static List<Conversation> read(Path csv) throws IOException {
        Map<Integer, List<Turn>> dialogues = new TreeMap<>();
        try (Reader reader = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build();
            for (CSVRecord row : format.parse(reader)) {
                int dialogue = Integer.parseInt(row.get("Dialogue_ID").trim());
                dialogues.computeIfAbsent(dialogue, d -> new ArrayList<>()).add(new Turn(
                        Integer.parseInt(row.get("Utterance_ID").trim()), row.get("Speaker"),
                        row.get("Utterance").replace('\u0092', '\''), row.get("Emotion").trim().toLowerCase(java.util.Locale.ROOT)));
            }
        }
        List<Conversation> conversations = new ArrayList<>();
        dialogues.forEach((id, turns) -> {
            turns.sort(Comparator.comparingInt(Turn::utteranceId));
            conversations.add(new Conversation(id, List.copyOf(turns)));
        });
        return conversations;
    }
}
