package io.ragmail.config;

import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.mistralai.MistralAiEmbeddingModel;

import java.time.Duration;

/**
 * The one class that links against langchain4j-mistral-ai's embedding model. Kept apart from
 * {@link KnowledgeIndex} so that the index opens with the in-process model when that optional
 * dependency is absent: this class is only loaded once {@code mistral-embed} is asked for and the
 * client was found.
 */
final class MistralEmbedding {

    private MistralEmbedding() {
    }

    static EmbeddingModel create(String apiKey, String baseUrl, String modelName, Duration timeout, int maxRetries) {
        return MistralAiEmbeddingModel.builder()
                .apiKey(apiKey)
                .baseUrl(baseUrl)
                .modelName(modelName)
                .timeout(timeout)
                .maxRetries(maxRetries)
                .logRequests(false)
                .logResponses(false)
                .build();
    }
}
