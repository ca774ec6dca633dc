package io.ragmail.core.knowledge.internal;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.output.Response;
import io.ragmail.core.NonRetriableException;
import io.ragmail.core.RagmailException;
import io.ragmail.core.RetriableException;

import java.util.ArrayList;
import java.util.List;

/** Batched calls to an {@link EmbeddingModel}, with its failures mapped onto ragmail's exceptions. */
public final class Embeddings {

    private static final String COMPONENT = "knowledge";

    private Embeddings() {
    }

    /** Embeds {@code texts} in batches of at most {@code batchSize}; one vector per text, in order. */
    public static List<float[]> embedAll(EmbeddingModel model, List<String> texts, int batchSize) {
        List<float[]> vectors = new ArrayList<>(texts.size());
        for (int from = 0; from < texts.size(); from += batchSize) {
            List<TextSegment> batch = new ArrayList<>();
            for (String text : texts.subList(from, Math.min(texts.size(), from + batchSize))) {
                batch.add(TextSegment.from(text));
            }
            List<Embedding> embeddings;
            try {
                Response<List<Embedding>> response = model.embedAll(batch);
                embeddings = response == null ? null : response.content();
            } catch (RuntimeException e) {
                throw translate(e);
            }
            if (embeddings == null || embeddings.size() != batch.size()) {
                throw new NonRetriableException(COMPONENT, "the embedding model returned "
                        + (embeddings == null ? "nothing" : embeddings.size() + " vectors")
                        + " for " + batch.size() + " texts");
            }
            for (Embedding embedding : embeddings) {
                vectors.add(embedding.vector());
            }
        }
        return vectors;
    }

    /** Embeds one query text. */
    public static float[] embed(EmbeddingModel model, String text) {
        return embedAll(model, List.of(text), 1).get(0);
    }

    /** A langchain4j or runtime failure as a ragmail exception, retriable unless langchain4j says otherwise. */
    public static RagmailException translate(RuntimeException e) {
        if (e instanceof RagmailException ragmail) {
            return ragmail;
        }
        if (e instanceof dev.langchain4j.exception.AuthenticationException) {
            // ragmail's type, so mail waits for the operator instead of failing for good; the cause carries
            // the server's body, never the key
            return new io.ragmail.core.AuthenticationException(COMPONENT,
                    "the embedding model refused the credentials (authentication failed): check its API key", e);
        }
        String message = "the embedding model failed: " + e.getClass().getSimpleName();
        if (e instanceof dev.langchain4j.exception.NonRetriableException
                || e instanceof IllegalArgumentException) {
            return new NonRetriableException(COMPONENT, message, e);
        }
        return new RetriableException(COMPONENT, message, e);
    }
}
