package io.ragmail.core.knowledge;

import io.ragmail.core.KnowledgeStore;
import io.ragmail.testkit.contract.KnowledgeStoreContract;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

class LuceneKnowledgeStoreContractTest extends KnowledgeStoreContract {

    @TempDir
    Path dir;

    @Override
    protected KnowledgeStore newStore() {
        return LuceneKnowledgeStore.builder().directory(dir.resolve("index")).embeddingModel(TestModels.bge()).build();
    }
}
