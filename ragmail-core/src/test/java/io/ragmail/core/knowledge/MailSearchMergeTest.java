package io.ragmail.core.knowledge;

import io.ragmail.core.EvidenceStrength;
import io.ragmail.core.KnowledgeDocument;
import io.ragmail.core.KnowledgeQuery;
import io.ragmail.core.KnowledgeStore;
import io.ragmail.core.NoopKnowledgeStore;
import io.ragmail.core.Passage;
import org.junit.jupiter.api.Test;

import java.util.Collection;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** How MailSearch merges per-question results and sums up evidence (the real store: MailSearchTest in the testkit). */
class MailSearchMergeTest {

    /** Answers each query with the passages scripted for the longest key it contains. */
    private record ScriptedStore(Map<String, List<Passage>> answers) implements KnowledgeStore {
        @Override
        public List<Passage> search(KnowledgeQuery query) {
            return answers.entrySet().stream().filter(e -> query.text().contains(e.getKey()))
                    .max(java.util.Comparator.comparingInt(e -> e.getKey().length()))
                    .map(Map.Entry::getValue).orElse(List.of());
        }

        @Override
        public void upsert(List<KnowledgeDocument> documents) {
        }

        @Override
        public void delete(Collection<String> sourceIds) {
        }
    }

    private static Passage passage(String id, double similarity, double coverage) {
        return new Passage(id, id, "text of " + id, 1, similarity, coverage);
    }

    @Test
    void each_question_gets_a_place_for_its_best_page() {
        KnowledgeStore store = new ScriptedStore(Map.of(
                "P-1 in stock? And what", List.of(passage("p1", .7, .6), passage("p2", .7, .6), passage("p3", .7, .6),
                        passage("p4", .7, .6), passage("p5", .7, .6)),
                "in stock?", List.of(passage("p1", .7, .6), passage("p2", .7, .6)),
                "returns policy?", List.of(passage("returns", .8, .9), passage("p1", .6, .2))));

        MailSearch.Result result = MailSearch.builder().store(store).build()
                .search("", "Is P-1 in stock?\nAnd what is your returns policy?");

        assertThat(result.passages()).extracting(Passage::sourceId).containsExactly("p1", "returns", "p2", "p3", "p4");
    }

    @Test
    void a_mail_is_as_well_supported_as_its_worst_supported_question() {
        KnowledgeStore store = new ScriptedStore(Map.of(
                "P-1 in stock? And do you", List.of(passage("p1", .8, .9)),
                "in stock?", List.of(passage("p1", .8, .9)),
                "liquid nitrogen?", List.of(passage("p9", .55, 0.0))));

        EvidenceStrength evidence = MailSearch.builder().store(store).build()
                .search("", "Is P-1 in stock?\nAnd do you also deliver liquid nitrogen?").evidence();

        assertThat(evidence.score()).isEqualTo(0.0);
        assertThat(evidence.detail()).contains("p9");
    }

    @Test
    void without_a_knowledge_base_or_match_signals_the_evidence_is_unknown() {
        EvidenceStrength none = MailSearch.builder().store(NoopKnowledgeStore.INSTANCE).build()
                .search("Price", "What does it cost?").evidence();
        EvidenceStrength noSignals = MailSearch.builder()
                .store(new ScriptedStore(Map.of("cost", List.of(new Passage("p1", "t", "x", 0.5))))).build()
                .search("Price", "What does it cost?").evidence();

        assertThat(none.known()).isFalse();
        assertThat(noSignals.known()).isFalse();
    }
}
