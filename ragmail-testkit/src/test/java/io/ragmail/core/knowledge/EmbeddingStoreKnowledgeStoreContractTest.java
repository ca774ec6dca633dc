package io.ragmail.core.knowledge;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.store.embedding.inmemory.InMemoryEmbeddingStore;
import io.ragmail.core.KnowledgeStore;
import io.ragmail.testkit.contract.KnowledgeStoreContract;

/** The adapter over langchain4j's in-memory embedding store passes the same kit as the Lucene store. */
class EmbeddingStoreKnowledgeStoreContractTest extends KnowledgeStoreContract {

    @Override
    protected KnowledgeStore newStore() {
        return EmbeddingStoreKnowledgeStore.builder()
                .embeddingStore(new InMemoryEmbeddingStore<TextSegment>())
                .embeddingModel(TestModels.bge())
                .build();
    }
}
