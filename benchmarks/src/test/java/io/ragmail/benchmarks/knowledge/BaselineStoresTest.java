package io.ragmail.benchmarks.knowledge;

import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel;
import io.ragmail.core.KnowledgeDocument;
import io.ragmail.core.KnowledgeQuery;
import io.ragmail.core.KnowledgeStore;
import io.ragmail.core.Passage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Both baselines with the real in-process model: they must behave like knowledge stores to be fair baselines. */
class BaselineStoresTest {

    private static EmbeddingModel model;

    @BeforeAll
    static void loadModel() {
        model = new BgeSmallEnV15QuantizedEmbeddingModel();
    }

    static List<StoreConfiguration> baselines() {
        return BaselineConfigurations.all();
    }

    private static final List<KnowledgeDocument> DOCS = List.of(
            new KnowledgeDocument("sds:acetone", "Acetone safety", "Acetone is a highly flammable liquid; flash point -20 °C. Keep away from sparks.", Map.of("type", "sds")),
            new KnowledgeDocument("faq:returns", "Returns", "Unopened products can be sent back within 14 days for a credit note.", Map.of("type", "faq")),
            new KnowledgeDocument("faq:payment", "Payment", "We accept bank transfer and credit cards; invoices are due in 30 days.", Map.of("type", "faq")));

    @ParameterizedTest
    @MethodSource("baselines")
    void finds_the_passage_by_meaning_and_keeps_it_after_reopening(StoreConfiguration c, @TempDir Path dir) throws Exception {
        KnowledgeStore store = c.open(dir, model);
        store.upsert(DOCS);
        assertThat(top(store, "can I send back a box I never opened?")).isEqualTo("faq:returns");
        c.flush(store, dir);
        c.close(store);

        KnowledgeStore reopened = c.open(dir, model);
        assertThat(top(reopened, "how easily does acetone catch fire?")).isEqualTo("sds:acetone");
    }

    @ParameterizedTest
    @MethodSource("baselines")
    void upsert_replaces_and_delete_removes_a_source(StoreConfiguration c, @TempDir Path dir) throws Exception {
        KnowledgeStore store = c.open(dir, model);
        store.upsert(DOCS);
        store.upsert(List.of(new KnowledgeDocument("faq:returns", "Returns", "Returns are no longer accepted.", Map.of("type", "faq"))));
        List<Passage> returns = store.search(new KnowledgeQuery("returns", 10, Map.of()));
        assertThat(returns).filteredOn(p -> p.sourceId().equals("faq:returns"))
                .extracting(Passage::text).containsExactly("Returns are no longer accepted.");

        store.delete(List.of("faq:returns"));
        assertThat(store.search(new KnowledgeQuery("returns", 10, Map.of()))).extracting(Passage::sourceId)
                .containsExactlyInAnyOrder("sds:acetone", "faq:payment");
    }

    @ParameterizedTest
    @MethodSource("baselines")
    void metadata_filters_restrict_the_result(StoreConfiguration c, @TempDir Path dir) throws Exception {
        KnowledgeStore store = c.open(dir, model);
        store.upsert(DOCS);
        assertThat(store.search(new KnowledgeQuery("acetone flash point", 5, Map.of("type", "faq"))))
                .extracting(Passage::sourceId).containsOnly("faq:returns", "faq:payment");
    }

    private static String top(KnowledgeStore store, String question) {
        return store.search(KnowledgeQuery.of(question)).get(0).sourceId();
    }
}
