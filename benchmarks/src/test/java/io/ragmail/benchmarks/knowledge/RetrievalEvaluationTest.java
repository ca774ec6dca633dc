package io.ragmail.benchmarks.knowledge;

import io.ragmail.core.KnowledgeQuery;
import io.ragmail.core.KnowledgeStore;
import io.ragmail.core.KnowledgeDocument;
import io.ragmail.core.Passage;
import io.ragmail.testkit.knowledge.QuestionCategory;
import io.ragmail.testkit.knowledge.SampleQuestion;
import org.junit.jupiter.api.Test;

import java.util.Collection;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class RetrievalEvaluationTest {

    private static Passage p(String id) {
        return new Passage(id, "", "text", 1.0);
    }

    @Test
    void rank_counts_distinct_sources_not_passages() {
        SampleQuestion q = new SampleQuestion("q1", "acetone?", List.of("sds:acetone"), QuestionCategory.SYNONYM);
        // two passages of the same source take one rank
        assertThat(RetrievalEvaluation.rank(q, List.of(p("a"), p("a"), p("b"), p("sds:acetone")))).isEqualTo(3);
        assertThat(RetrievalEvaluation.rank(q, List.of(p("a"), p("b")))).isZero();
    }

    @Test
    void any_expected_source_counts_as_found() {
        SampleQuestion q = new SampleQuestion("q1", "67-64-1 sizes?", List.of("product:ACE-500", "product:ACE-1000"), QuestionCategory.CAS);
        assertThat(RetrievalEvaluation.rank(q, List.of(p("x"), p("product:ACE-1000")))).isEqualTo(2);
    }

    @Test
    void recall_at_5_and_mrr_are_computed_per_category_and_overall() {
        // a store that answers from a fixed table, to check the arithmetic
        Map<String, List<Passage>> answers = Map.of(
                "first", List.of(p("a")),                                          // rank 1
                "third", List.of(p("x"), p("y"), p("b")),                          // rank 3
                "sixth", List.of(p("1"), p("2"), p("3"), p("4"), p("5"), p("c")),  // rank 6: outside recall@5
                "none", List.of(p("z")));                                          // not found
        KnowledgeStore table = new KnowledgeStore() {
            @Override
            public List<Passage> search(KnowledgeQuery query) {
                return answers.get(query.text());
            }

            @Override
            public void upsert(List<KnowledgeDocument> documents) {
            }

            @Override
            public void delete(Collection<String> sourceIds) {
            }
        };
        var report = RetrievalEvaluation.evaluate(table, List.of(
                new SampleQuestion("1", "first", List.of("a"), QuestionCategory.CODE),
                new SampleQuestion("2", "third", List.of("b"), QuestionCategory.CODE),
                new SampleQuestion("3", "sixth", List.of("c"), QuestionCategory.FAQ),
                new SampleQuestion("4", "none", List.of("d"), QuestionCategory.FAQ)));

        assertThat(report.overall().recallAt5()).isEqualTo(0.5);
        assertThat(report.overall().mrr()).isCloseTo((1 + 1 / 3.0 + 1 / 6.0) / 4, within(1e-9));
        assertThat(report.byCategory().get(QuestionCategory.CODE).recallAt5()).isEqualTo(1.0);
        assertThat(report.byCategory().get(QuestionCategory.FAQ).recallAt5()).isEqualTo(0.0);
        assertThat(report.misses()).extracting(o -> o.question().id()).containsExactly("3", "4");
    }

    @Test
    void percentile_uses_nearest_rank() {
        long[] values = new long[100];
        for (int i = 0; i < 100; i++) {
            values[i] = 100 - i;
        }
        assertThat(Measurements.percentile(values, 50)).isEqualTo(50);
        assertThat(Measurements.percentile(values, 99)).isEqualTo(99);
        assertThat(Measurements.percentile(new long[] {7}, 99)).isEqualTo(7);
    }
}
