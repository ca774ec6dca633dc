package io.ragmail.core.knowledge;

import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The default model runs bge in its own one-thread ONNX session; its vectors must be langchain4j's,
 * or indexes written before would silently hold incomparable vectors.
 */
class DefaultEmbeddingModelTest {

    @Test
    void the_default_model_makes_the_same_vectors_as_langchain4j_s_bge_class_under_the_same_name() {
        EmbeddingModel ours = LuceneKnowledgeStore.defaultEmbeddingModel();
        EmbeddingModel langchain = new BgeSmallEnV15QuantizedEmbeddingModel();
        String text = LuceneKnowledgeStore.BGE_QUERY_INSTRUCTION + "Is your nail polish remover a fire risk?";

        float[] a = ours.embed(text).content().vector();
        float[] b = langchain.embed(text).content().vector();

        assertThat(a).hasSize(384);
        for (int i = 0; i < a.length; i++) {
            assertThat(a[i]).as("dimension " + i).isCloseTo(b[i], within(1e-4f));
        }
        assertThat(io.ragmail.core.knowledge.internal.DefaultEmbeddingModel.nameOf(ours)).isEqualTo("bge-small-en-v1.5-q");
    }
}
