package io.ragmail.benchmarks.knowledge;

import io.ragmail.core.KnowledgeQuery;
import io.ragmail.core.KnowledgeStore;
import io.ragmail.core.EvidenceStrength;
import io.ragmail.core.Passage;
import io.ragmail.core.knowledge.MailSearch;
import io.ragmail.core.knowledge.QueryRewriter;
import io.ragmail.core.knowledge.QueryLanguage;
import io.ragmail.core.review.DefaultReviewPolicy;
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

    /** Runs every question's text, as it is, against the store. */
    public static Report evaluate(KnowledgeStore store, List<SampleQuestion> questions) {
        List<Outcome> outcomes = new ArrayList<>();
        for (SampleQuestion q : questions) {
            List<Passage> passages = store.search(new KnowledgeQuery(q.text(), DEFAULT_DEPTH, Map.of()));
            EvidenceStrength evidence = MailSearch.evidence(List.of(passages), QueryLanguage.detect(q.text()));
            outcomes.add(new Outcome(q, rank(q, passages), evidence.score(), evidence.language()));
        }
        return new Report(outcomes);
    }

    /**
     * Runs every question as the pipeline searches a mail: {@link MailSearch} (bounded query without
     * quoted thread and signature, one search per question of a multi-question mail, merged).
     */
    public static Report evaluateAsMail(KnowledgeStore store, List<SampleQuestion> questions) {
        return evaluateAsMail(store, questions, QueryRewriter.NONE);
    }

    /** Like {@link #evaluateAsMail(KnowledgeStore, List)}, non-English mail also searched with {@code rewriter}'s rewrite. */
    public static Report evaluateAsMail(KnowledgeStore store, List<SampleQuestion> questions, QueryRewriter rewriter) {
        MailSearch search = MailSearch.builder().store(store).maxResults(DEFAULT_DEPTH).queryRewriter(rewriter).build();
        List<Outcome> outcomes = new ArrayList<>();
        for (SampleQuestion q : questions) {
            MailSearch.Result result = search.search("", q.text());
            outcomes.add(new Outcome(q, rank(q, result.passages()), result.evidence().score(), result.evidence().language()));
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

    /**
     * One question's result: the rank of its first correct source (0 = not found, always for an
     * unanswerable question) and the evidence strength of the result (NaN when the store reports none).
     */
    public record Outcome(SampleQuestion question, int rank, double evidence, String detectedLanguage) {

        /** Whether the review policy's evidence rule, at its default thresholds, sends this mail to review. */
        public boolean flaggedByDefaultPolicy() {
            boolean nonEnglish = !detectedLanguage.isEmpty() && !detectedLanguage.equals("en");
            return evidence < (nonEnglish ? DefaultReviewPolicy.DEFAULT_MIN_EVIDENCE_NON_ENGLISH
                    : DefaultReviewPolicy.DEFAULT_MIN_EVIDENCE);
        }
    }

    /** Recall@5 and MRR of a set of outcomes; unanswerable questions do not count (they have no rank). */
    public record Metrics(int questions, double recallAt5, double mrr) {
        static Metrics of(List<Outcome> all) {
            List<Outcome> outcomes = all.stream().filter(o -> o.question().answerable()).toList();
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

        /** Answerable questions whose answer was not in the first {@link #RECALL_K} sources. */
        public List<Outcome> misses() {
            return outcomes.stream().filter(o -> o.question().answerable() && (o.rank() == 0 || o.rank() > RECALL_K)).toList();
        }

        /**
         * The highest evidence threshold below which at most {@code 1 - keep} of the answerable
         * questions fall (they would go to review for weak evidence); NaN without evidence.
         */
        public double thresholdKeeping(double keep) {
            double[] answerable = outcomes.stream().filter(o -> o.question().answerable() && !Double.isNaN(o.evidence()))
                    .mapToDouble(Outcome::evidence).sorted().toArray();
            if (answerable.length == 0) {
                return Double.NaN;
            }
            int mayLose = (int) Math.floor(answerable.length * (1 - keep) + 1e-9);
            return answerable[mayLose]; // scores below this one: at most mayLose answerable questions
        }

        /** Share of answerable questions whose evidence is at or above {@code threshold}. */
        public double answerableKept(double threshold) {
            List<Outcome> answerable = outcomes.stream().filter(o -> o.question().answerable()).toList();
            return answerable.isEmpty() ? Double.NaN
                    : (double) answerable.stream().filter(o -> !(o.evidence() < threshold)).count() / answerable.size();
        }

        /** Share of unanswerable questions whose evidence is below {@code threshold} (sent to review). */
        public double unanswerableCaught(double threshold) {
            List<Outcome> unanswerable = outcomes.stream().filter(o -> !o.question().answerable()).toList();
            return unanswerable.isEmpty() ? Double.NaN
                    : (double) unanswerable.stream().filter(o -> o.evidence() < threshold).count() / unanswerable.size();
        }
    }
}
