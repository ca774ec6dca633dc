package io.ragmail.benchmarks.knowledge;

import io.ragmail.benchmarks.SearchSpeed;
import io.ragmail.core.KnowledgeDocument;
import io.ragmail.core.KnowledgeQuery;
import io.ragmail.core.knowledge.LuceneKnowledgeStore;
import io.ragmail.testkit.knowledge.SampleKnowledge;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The Lucene configurations the harness compares, on a small index (seconds). */
class LuceneStoreConfigurationsTest {

    @TempDir
    Path dir;

    @Test
    void the_three_configurations_differ_only_in_the_rankings_they_fuse() throws Exception {
        List<KnowledgeDocument> docs = SyntheticChunks.generate(SampleKnowledge.documents(), 200, 7);
        PrecomputedEmbeddingModel model = new PrecomputedEmbeddingModel(SearchSpeed.DIMENSION, Map.of());
        String code = "ACE-500";
        for (StoreConfiguration c : LuceneStoreConfigurations.all()) {
            Path d = dir.resolve(c.name());
            LuceneKnowledgeStore store = (LuceneKnowledgeStore) c.open(d, model);
            try {
                for (int from = 0; from < docs.size(); from += 50) {
                    store.upsert(docs.subList(from, from + 50));
                }
                c.flush(store, d);
                assertThat(store.segmentCount()).as(c.name() + " is merged after the bulk load").isEqualTo(1);
                assertThat(store.chunkCount()).isEqualTo(200);
                assertThat(store.search(KnowledgeQuery.of("how flammable is " + code))).as(c.name()).isNotEmpty();
            } finally {
                c.close(store);
            }
        }
    }

    @Test
    void search_speed_measures_the_lucene_hybrid_on_a_small_index() throws Exception {
        SearchSpeed.SearchResult r = SearchSpeed.measureSearch(LuceneStoreConfigurations.hybrid(), 300, 20, 5);
        assertThat(r.chunks()).isEqualTo(300);
        assertThat(r.p99Millis()).isGreaterThanOrEqualTo(r.p50Millis()).isPositive();
        assertThat(r.diskMegabytes()).isPositive();
    }
}
