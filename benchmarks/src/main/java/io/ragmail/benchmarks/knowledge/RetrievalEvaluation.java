package io.ragmail.benchmarks.knowledge;

import io.ragmail.core.KnowledgeQuery;
import io.ragmail.core.KnowledgeStore;
import io.ragmail.core.Passage;
import io.ragmail.testkit.knowledge.QuestionCategory;
import io.ragmail.testkit.knowledge.SampleQuestion;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Recall@k and mean reciprocal rank of a store over labelled questions. A question counts as found at
 * rank r when the r-th distinct source id of the result is one of its expected ids; recall@5 is the
 * share of questions found at rank 5 or better (any one expected source is enough), MRR is the mean of
 * 1/r over all questions (0 when not found in the first {@link #DEFAULT_DEPTH} sources).
 *
 * <pre>{@code
 * Report report = RetrievalEvaluation.evaluate(store, SampleKnowledge.questions());
 * double recall = report.overall().recallAt5();
 * }</pre>
 */
public final class RetrievalEvaluation {

    /** Passages asked for per question; MRR is computed over this depth. */
    public static final int DEFAULT_DEPTH = 10;
    /** The k of recall@k. */
    public static final int RECALL_K = 5;

    private RetrievalEvaluation() {
    }

    /** Runs every question against the store. */
    public static Report evaluate(KnowledgeStore store, List<SampleQuestion> questions) {
        List<Outcome> outcomes = new ArrayList<>();
        for (SampleQuestion q : questions) {
            List<Passage> passages = store.search(new KnowledgeQuery(q.text(), DEFAULT_DEPTH, Map.of()));
            outcomes.add(new Outcome(q, rank(q, passages)));
        }
        return new Report(outcomes);
    }

    /** 1-based rank of the first distinct source that answers the question, or 0 when none does. */
    public static int rank(SampleQuestion question, List<Passage> passages) {
        Set<String> sources = new LinkedHashSet<>();
        for (Passage p : passages) {
            sources.add(p.sourceId());
        }
        int rank = 0;
        for (String source : sources) {
            rank++;
            if (question.isAnsweredBy(source)) {
                return rank;
            }
        }
        return 0;
    }

    /** One question's result: the rank of its first correct source (0 = not found). */
    public record Outcome(SampleQuestion question, int rank) {
    }

    /** Recall@5 and MRR of a set of outcomes. */
    public record Metrics(int questions, double recallAt5, double mrr) {
        static Metrics of(List<Outcome> outcomes) {
            int found = 0;
            double reciprocal = 0;
            for (Outcome o : outcomes) {
                if (o.rank() >= 1 && o.rank() <= RECALL_K) {
                    found++;
                }
                if (o.rank() >= 1) {
                    reciprocal += 1.0 / o.rank();
                }
            }
            int n = outcomes.size();
            return new Metrics(n, n == 0 ? 0 : (double) found / n, n == 0 ? 0 : reciprocal / n);
        }
    }

    /** Metrics overall and per question category, plus the individual outcomes. */
    public record Report(List<Outcome> outcomes) {
        public Report {
            outcomes = List.copyOf(outcomes);
        }

        public Metrics overall() {
            return Metrics.of(outcomes);
        }

        public Map<QuestionCategory, Metrics> byCategory() {
            Map<QuestionCategory, List<Outcome>> grouped = new EnumMap<>(QuestionCategory.class);
            for (Outcome o : outcomes) {
                grouped.computeIfAbsent(o.question().category(), c -> new ArrayList<>()).add(o);
            }
            Map<QuestionCategory, Metrics> result = new EnumMap<>(QuestionCategory.class);
            grouped.forEach((c, list) -> result.put(c, Metrics.of(list)));
            return result;
        }

        /** Questions whose answer was not in the first {@link #RECALL_K} sources. */
        public List<Outcome> misses() {
            return outcomes.stream().filter(o -> o.rank() == 0 || o.rank() > RECALL_K).toList();
        }
    }
}
