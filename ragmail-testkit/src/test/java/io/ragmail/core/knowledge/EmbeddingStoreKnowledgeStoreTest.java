package io.ragmail.core.knowledge;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.store.embedding.EmbeddingMatch;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import dev.langchain4j.store.embedding.EmbeddingSearchResult;
import dev.langchain4j.store.embedding.EmbeddingStore;
import dev.langchain4j.store.embedding.inmemory.InMemoryEmbeddingStore;
import io.ragmail.core.KnowledgeDocument;
import io.ragmail.core.KnowledgeStore;
import io.ragmail.core.NonRetriableException;
import io.ragmail.testkit.contract.KnowledgeStoreContract;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EmbeddingStoreKnowledgeStoreTest {

    private static final KnowledgeDocument HANDBOOK = new KnowledgeDocument("faq:handbook", "Solvent handbook",
            "Acetone evaporates fast and is highly flammable. Keep it away from sparks and open flames. "
                    + "Isopropanol cleans circuit boards and leaves no residue. Ethanol is sold denatured for cleaning. "
                    + "Store every solvent in a cool, ventilated room, in closed containers, away from oxidisers.",
            Map.of("type", "faq"));

    private final InMemoryEmbeddingStore<TextSegment> embeddingStore = new InMemoryEmbeddingStore<>();

    /** The same kit as every other store. */
    @Nested
    class Contract extends KnowledgeStoreContract {
        @Override
        protected KnowledgeStore newStore() {
            return EmbeddingStoreKnowledgeStore.builder().embeddingStore(new InMemoryEmbeddingStore<TextSegment>())
                    .embeddingModel(TestModels.bge()).build();
        }
    }

    @Test
    void the_wrapped_store_holds_every_chunk_with_its_source_id_title_and_metadata_until_replaced_or_deleted() {
        KnowledgeStore store = EmbeddingStoreKnowledgeStore.builder().embeddingStore(embeddingStore)
                .embeddingModel(TestModels.bge()).chunkSize(120).chunkOverlap(0).build();

        store.upsert(List.of(HANDBOOK));
        List<TextSegment> held = segmentsHeld();
        assertThat(held).hasSizeGreaterThan(1);
        assertThat(held).allSatisfy(segment -> {
            assertThat(segment.metadata().getString(EmbeddingStoreKnowledgeStore.SOURCE_ID_KEY)).isEqualTo("faq:handbook");
            assertThat(segment.metadata().getString(EmbeddingStoreKnowledgeStore.TITLE_KEY)).isEqualTo("Solvent handbook");
            assertThat(segment.metadata().getString("type")).isEqualTo("faq");
        });

        store.upsert(List.of(new KnowledgeDocument("faq:handbook", "Solvent handbook", "Now one short paragraph.", Map.of())));
        assertThat(segmentsHeld()).extracting(TextSegment::text).containsExactly("Now one short paragraph.");

        store.delete(List.of("faq:handbook"));
        assertThat(segmentsHeld()).isEmpty();
    }

    @Test
    void a_store_that_cannot_remove_by_metadata_is_a_clear_error_not_something_to_retry() {
        EmbeddingStore<TextSegment> withoutFilteredRemoval = new EmbeddingStore<>() {
            @Override public String add(Embedding embedding) { return embeddingStore.add(embedding); }
            @Override public void add(String id, Embedding embedding) { embeddingStore.add(id, embedding); }
            @Override public String add(Embedding embedding, TextSegment segment) { return embeddingStore.add(embedding, segment); }
            @Override public List<String> addAll(List<Embedding> embeddings) { return embeddingStore.addAll(embeddings); }
            @Override public EmbeddingSearchResult<TextSegment> search(EmbeddingSearchRequest request) {
                return embeddingStore.search(request);
            }
        };
        KnowledgeStore store = EmbeddingStoreKnowledgeStore.builder().embeddingStore(withoutFilteredRemoval)
                .embeddingModel(TestModels.bge()).build();

        assertThatThrownBy(() -> store.upsert(List.of(HANDBOOK)))
                .isInstanceOf(NonRetriableException.class)
                .hasMessageContaining("does not support upsert with metadata filters");
    }

    private List<TextSegment> segmentsHeld() {
        Embedding any = TestModels.bge().embed("solvent").content();
        return embeddingStore.search(EmbeddingSearchRequest.builder().queryEmbedding(any).maxResults(1000).minScore(0.0).build())
                .matches().stream().map(EmbeddingMatch::embedded).toList();
    }
}
