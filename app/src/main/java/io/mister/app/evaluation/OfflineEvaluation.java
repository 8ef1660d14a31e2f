package io.mister.app.evaluation;

import io.mister.events.UtteranceEmbedding;
import io.mister.inference.SessionSettings;
import io.mister.processor.context.Turn;
import io.mister.processor.inference.ConversationScorer;
import io.mister.processor.inference.EmotionHead;
import io.mister.processor.inference.ScoredTurn;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Scores an embeddings file with a head through the processor's own {@link ConversationScorer} (the
 * code path serving uses): every conversation whole (what final events say) and as growing prefixes
 * (what provisional events say). Turns without a gold label are scored as context but not counted.
 */
public final class OfflineEvaluation {

    private OfflineEvaluation() {}

    public static EvaluationResult run(Path model, Path data, SessionSettings session, int windowTurns, int batch)
            throws IOException {
        Map<String, List<UtteranceEmbedding>> conversations = EmbeddingFile.readConversations(data);
        try (EmotionHead head = EmotionHead.load(model, session)) {
            ConversationScorer scorer = ConversationScorer.offline(head, windowTurns, batch);
            List<String> labels = head.spec().labels();
            List<String> gold = new ArrayList<>();
            List<String> finals = new ArrayList<>();
            List<String> provisional = new ArrayList<>();
            for (List<UtteranceEmbedding> conversation : conversations.values()) {
                List<Turn> turns = conversation.stream().map(Turn::of).toList();
                List<ScoredTurn> whole = scorer.scoreWhole(turns);
                List<ScoredTurn> prefixes = scorer.scorePrefixes(turns);
                for (int i = 0; i < conversation.size(); i++) {
                    String label = conversation.get(i).getLabel();
                    if (label == null) {
                        continue;
                    }
                    gold.add(label);
                    finals.add(labels.get(whole.get(i).label()));
                    provisional.add(labels.get(prefixes.get(i).label()));
                }
            }
            return new EvaluationResult("offline", head.spec().modelVersion(),
                    ClassificationReport.of(labels, gold, finals), ClassificationReport.of(labels, gold, provisional),
                    Map.of("conversations", conversations.size(), "data", data.toString()));
        }
    }
}
