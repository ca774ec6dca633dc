package io.ragmail.core.knowledge;

import io.ragmail.core.KnowledgeQuery;
import io.ragmail.core.Passage;
import io.ragmail.testkit.knowledge.SampleKnowledge;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The warm-up searches at open: how many queries reach the model, and that they change nothing. */
class LuceneKnowledgeStoreWarmUpTest {

    @TempDir
    Path dir;

    private int textsEmbeddedAtOpen(Path index, Integer warmUpSearches) {
        CountingEmbeddingModel model = new CountingEmbeddingModel(TestModels.bge());
        LuceneKnowledgeStore.Builder builder = LuceneKnowledgeStore.builder().directory(index).embeddingModel(model);
        if (warmUpSearches != null) {
            builder.warmUpSearches(warmUpSearches);
        }
        try (LuceneKnowledgeStore store = builder.build()) {
            return model.texts.get();
        }
    }

    @Test
    void warm_up_embeds_the_asked_number_of_queries_at_open_and_none_with_a_callers_model_by_default() {
        try (LuceneKnowledgeStore store = LuceneKnowledgeStore.builder().directory(dir.resolve("kb"))
                .embeddingModel(TestModels.bge()).build()) {
            store.upsert(SampleKnowledge.documents().subList(0, 20));
        }

        int none = textsEmbeddedAtOpen(dir.resolve("kb"), 0);
        int byDefault = textsEmbeddedAtOpen(dir.resolve("kb"), null);
        int three = textsEmbeddedAtOpen(dir.resolve("kb"), 3);

        assertThat(byDefault).isEqualTo(none); // a remote model would be billed for each
        assertThat(three).isEqualTo(none + 3);
    }

    @Test
    void a_warmed_up_store_answers_exactly_as_a_cold_one() {
        Path index = dir.resolve("kb");
        try (LuceneKnowledgeStore store = LuceneKnowledgeStore.builder().directory(index).embeddingModel(TestModels.bge()).build()) {
            store.upsert(SampleKnowledge.documents().subList(0, 40));
        }
        KnowledgeQuery query = KnowledgeQuery.of("How long does delivery take?");
        List<Passage> cold;
        try (LuceneKnowledgeStore store = LuceneKnowledgeStore.builder().directory(index).embeddingModel(TestModels.bge())
                .warmUpSearches(0).build()) {
            cold = store.search(query);
        }

        List<Passage> warm;
        try (LuceneKnowledgeStore store = LuceneKnowledgeStore.builder().directory(index).embeddingModel(TestModels.bge())
                .warmUpSearches(5).build()) {
            warm = store.search(query);
        }

        assertThat(warm).isNotEmpty().isEqualTo(cold);
    }

    @Test
    void warm_up_searches_are_bounded() {
        assertThatThrownBy(() -> LuceneKnowledgeStore.builder().directory(dir).warmUpSearches(101).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("warmUpSearches");
    }
}
