package io.ragmail.core.knowledge;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.output.Response;
import io.ragmail.core.KnowledgeDocument;
import io.ragmail.core.KnowledgeQuery;
import io.ragmail.core.Passage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How the Lucene store ranks: one passage per source, typos, merging, the query instruction. */
class LuceneKnowledgeStoreRankingTest {

    @TempDir
    Path dir;

    private static final List<KnowledgeDocument> SOLVENTS = List.of(
            new KnowledgeDocument("sds:toluene", "Toluene safety data sheet",
                    "Toluene, CAS 108-88-3, UN1294. Highly flammable liquid and vapour. May be fatal if swallowed "
                            + "and enters airways. Flash point 4 C.", Map.of("type", "sds")),
            new KnowledgeDocument("sds:xylene", "Xylene safety data sheet",
                    "Xylene (dimethylbenzene), CAS 1330-20-7, UN1307. Flammable liquid and vapour. Harmful in contact "
                            + "with skin or if inhaled.", Map.of("type", "sds")),
            new KnowledgeDocument("sds:glycerol", "Glycerol safety data sheet",
                    "Glycerol (glycerine), CAS 56-81-5. Not classified as hazardous. Hygroscopic: keep the container "
                            + "closed.", Map.of("type", "sds")),
            new KnowledgeDocument("faq:shipping", "Shipping times",
                    "We ship every order within two working days. Flammable goods travel by road.", Map.of("type", "faq")));

    private LuceneKnowledgeStore.Builder builder() {
        return LuceneKnowledgeStore.builder().directory(dir.resolve("index")).embeddingModel(TestModels.bge());
    }

    private static List<String> ids(List<Passage> passages) {
        return passages.stream().map(Passage::sourceId).toList();
    }

    /** A long manual whose every chunk is about flammability, next to three short sheets. */
    private static KnowledgeDocument longManual() {
        StringBuilder text = new StringBuilder();
        for (int i = 1; i <= 12; i++) {
            text.append("Section ").append(i).append(": flammable solvents must be stored away from ignition sources; ")
                    .append("flammable vapour can travel to a distant spark. Rule ").append(i).append(" of the flammable store.\n\n");
        }
        return new KnowledgeDocument("manual:storage", "Storage manual for flammable liquids", text.toString(), Map.of());
    }

    @Test
    void a_long_document_takes_one_result_slot_so_other_sources_get_the_rest() throws IOException {
        List<KnowledgeDocument> docs = new ArrayList<>(SOLVENTS);
        docs.add(longManual());
        try (LuceneKnowledgeStore store = builder().chunkSize(300).chunkOverlap(0).build()) {
            store.upsert(docs);
            assertThat(store.chunkCount()).isGreaterThan(8);

            List<Passage> passages = store.search(new KnowledgeQuery("flammable liquid storage", 4, Map.of()));

            assertThat(ids(passages)).hasSize(4).doesNotHaveDuplicates().contains("manual:storage");
        }
    }

    @Test
    void more_passages_per_source_when_asked_come_together_after_their_source() throws IOException {
        List<KnowledgeDocument> docs = new ArrayList<>(SOLVENTS);
        docs.add(longManual());
        try (LuceneKnowledgeStore store = builder().chunkSize(300).chunkOverlap(0).maxPassagesPerSource(3).build()) {
            store.upsert(docs);

            List<String> ids = ids(store.search(new KnowledgeQuery("flammable store rules for solvents", 10, Map.of())));

            assertThat(ids.stream().filter("manual:storage"::equals).count()).isEqualTo(3);
            int first = ids.indexOf("manual:storage");
            assertThat(ids.subList(first, first + 3)).containsOnly("manual:storage");
        }
    }

    @Test
    void a_misspelt_product_name_is_found_by_keywords_through_fuzzy_matching() throws IOException {
        KnowledgeQuery typo = new KnowledgeQuery("do you sell tolune?", 2, Map.of());
        KnowledgeQuery typo2 = new KnowledgeQuery("is glicerine hazardous", 2, Map.of());
        try (LuceneKnowledgeStore keywordsOnly = builder().vectorWeight(0).build()) {
            keywordsOnly.upsert(SOLVENTS);

            assertThat(ids(keywordsOnly.search(typo))).first().isEqualTo("sds:toluene");
            assertThat(ids(keywordsOnly.search(typo2))).first().isEqualTo("sds:glycerol");
        }
    }

    @Test
    void without_fuzzy_matching_a_misspelt_name_finds_nothing_by_keywords() throws IOException {
        try (LuceneKnowledgeStore keywordsOnly = builder().vectorWeight(0).fuzzyTypos(false).build()) {
            keywordsOnly.upsert(SOLVENTS);

            assertThat(ids(keywordsOnly.search(new KnowledgeQuery("do you sell tolune?", 2, Map.of())))).doesNotContain("sds:toluene");
        }
    }

    @Test
    void a_correctly_spelt_word_is_not_matched_fuzzily() throws IOException {
        // "xylene" is in the index: no fuzzy expansion, so nothing but xylene's sheet matches it
        try (LuceneKnowledgeStore keywordsOnly = builder().vectorWeight(0).build()) {
            keywordsOnly.upsert(SOLVENTS);

            assertThat(ids(keywordsOnly.search(new KnowledgeQuery("xylene", 4, Map.of())))).containsExactly("sds:xylene");
        }
    }

    @Test
    void optimize_merges_to_one_segment_and_keeps_every_result_identical() throws IOException {
        List<KnowledgeQuery> queries = List.of(new KnowledgeQuery("is toluene flammable", 4, Map.of()),
                new KnowledgeQuery("UN1307", 4, Map.of()), new KnowledgeQuery("how fast do you deliver", 4, Map.of()),
                new KnowledgeQuery("flammable", 4, Map.of("type", "sds")));
        try (LuceneKnowledgeStore store = builder().build()) {
            for (KnowledgeDocument doc : SOLVENTS) {
                store.upsert(List.of(doc)); // one commit, one segment each
            }
            assertThat(store.segmentCount()).isGreaterThan(1);
            List<List<Passage>> before = queries.stream().map(store::search).toList();

            store.optimize();

            assertThat(store.segmentCount()).isEqualTo(1);
            assertThat(queries.stream().map(store::search).toList()).isEqualTo(before);
        }
        try (LuceneKnowledgeStore reopened = builder().build()) {
            assertThat(reopened.segmentCount()).isEqualTo(1);
            assertThat(reopened.chunkCount()).isEqualTo(SOLVENTS.size());
        }
    }

    @Test
    void the_query_not_the_passages_gets_the_query_prefix() throws IOException {
        RecordingModel model = new RecordingModel(TestModels.bge());
        try (LuceneKnowledgeStore store = LuceneKnowledgeStore.builder().directory(dir.resolve("index")).embeddingModel(model)
                .queryPrefix(LuceneKnowledgeStore.BGE_QUERY_INSTRUCTION).build()) {
            store.upsert(SOLVENTS.subList(0, 1));
            store.search(KnowledgeQuery.of("is toluene flammable"));
        }
        assertThat(model.texts).hasSize(2);
        assertThat(model.texts.get(0)).startsWith("Toluene safety data sheet");
        assertThat(model.texts.get(1)).isEqualTo(LuceneKnowledgeStore.BGE_QUERY_INSTRUCTION + "is toluene flammable");
    }

    @Test
    void another_model_gets_no_query_prefix_unless_one_is_set() throws IOException {
        RecordingModel model = new RecordingModel(TestModels.bge());
        try (LuceneKnowledgeStore store = LuceneKnowledgeStore.builder().directory(dir.resolve("index")).embeddingModel(model).build()) {
            store.search(KnowledgeQuery.of("is toluene flammable"));
        }
        assertThat(model.texts).containsExactly("is toluene flammable");
    }

    @Test
    void relative_score_fusion_finds_an_exact_identifier_and_a_paraphrase() throws IOException {
        try (LuceneKnowledgeStore store = builder().fusion(LuceneKnowledgeStore.Fusion.RELATIVE_SCORE).build()) {
            store.upsert(SOLVENTS);

            assertThat(ids(store.search(new KnowledgeQuery("SDS for 1330-20-7 please", 3, Map.of())))).first().isEqualTo("sds:xylene");
            assertThat(ids(store.search(new KnowledgeQuery("when will my parcel arrive?", 3, Map.of())))).first().isEqualTo("faq:shipping");
        }
    }

    @Test
    void invalid_ranking_settings_are_rejected_with_the_setting_named() {
        assertThatThrownBy(() -> builder().titleBoost(0).build()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("titleBoost");
        assertThatThrownBy(() -> builder().fusion(null)).isInstanceOf(NullPointerException.class).hasMessageContaining("fusion");
        assertThatThrownBy(() -> builder().queryPrefix(null)).isInstanceOf(NullPointerException.class).hasMessageContaining("queryPrefix");
    }

    /** The real model, remembering every text it was asked to embed; reports no model name. */
    private static final class RecordingModel implements EmbeddingModel {
        private final EmbeddingModel delegate;
        final List<String> texts = new CopyOnWriteArrayList<>();

        RecordingModel(EmbeddingModel delegate) {
            this.delegate = delegate;
        }

        @Override
        public Response<List<Embedding>> embedAll(List<TextSegment> segments) {
            segments.forEach(s -> texts.add(s.text()));
            return delegate.embedAll(segments);
        }

        @Override
        public int dimension() {
            return delegate.dimension();
        }
    }
}
