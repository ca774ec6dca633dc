package io.ragmail.core.knowledge;

import dev.langchain4j.model.embedding.EmbeddingModel;

/** The real in-process model, loaded once per test JVM (loading takes about a second). */
final class TestModels {

    private TestModels() {
    }

    static EmbeddingModel bge() {
        return Holder.BGE;
    }

    private static final class Holder {
        static final EmbeddingModel BGE = LuceneKnowledgeStore.defaultEmbeddingModel();
    }
}
