package io.ragmail.core.knowledge;

import io.ragmail.core.NonRetriableException;

/**
 * The index on disk holds vectors made by another embedding model (or of another dimension) than
 * the one the store was opened with. Vectors of different models cannot be compared: open with the
 * same model, or ask the store to rebuild ({@code LuceneKnowledgeStore.Builder#rebuildOnModelChange}).
 */
public class EmbeddingModelMismatchException extends NonRetriableException {

    private static final long serialVersionUID = 1L;

    private final String indexedModel;
    private final String requestedModel;

    public EmbeddingModelMismatchException(String indexedModel, String requestedModel) {
        super("knowledge", "the knowledge index was built with embedding model " + indexedModel
                + " but is opened with " + requestedModel
                + "; open it with the same model or set rebuildOnModelChange(true) to re-embed every source");
        this.indexedModel = indexedModel;
        this.requestedModel = requestedModel;
    }

    /** The model (name and dimension) recorded in the index. */
    public String indexedModel() {
        return indexedModel;
    }

    /** The model (name and dimension) the store was opened with. */
    public String requestedModel() {
        return requestedModel;
    }
}
