package io.ragmail.core.knowledge;

import dev.langchain4j.data.document.Metadata;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.exception.UnsupportedFeatureException;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.store.embedding.EmbeddingMatch;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import dev.langchain4j.store.embedding.EmbeddingStore;
import dev.langchain4j.store.embedding.filter.Filter;
import io.ragmail.core.KnowledgeDocument;
import io.ragmail.core.KnowledgeQuery;
import io.ragmail.core.KnowledgeStore;
import io.ragmail.core.Passage;
import io.ragmail.core.RagmailException;
import io.ragmail.core.RetriableException;
import io.ragmail.core.knowledge.internal.Chunker;
import io.ragmail.core.knowledge.internal.DocumentBatches;
import io.ragmail.core.knowledge.internal.Embeddings;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import static dev.langchain4j.store.embedding.filter.MetadataFilterBuilder.metadataKey;

/**
 * A {@link KnowledgeStore} over any langchain4j {@link EmbeddingStore} (pgvector, Elasticsearch,
 * OpenSearch, Qdrant, …) and {@link EmbeddingModel}: vector search only, for deployments that
 * outgrow one machine's Lucene index. The store must support metadata filters and
 * {@code removeAll(Filter)}.
 *
 * <p>An upsert removes every segment whose {@code source_id} metadata is the document's source id
 * and adds the new chunks; unlike {@link LuceneKnowledgeStore} it is not atomic (a search between
 * the two steps may miss the document) and it always re-embeds.
 *
 * <pre>{@code
 * KnowledgeStore store = EmbeddingStoreKnowledgeStore.builder()
 *         .embeddingStore(pgVectorStore)
 *         .embeddingModel(mistralEmbed)
 *         .build();
 * }</pre>
 */
public final class EmbeddingStoreKnowledgeStore implements KnowledgeStore {

    /** Metadata key holding a segment's source id. */
    public static final String SOURCE_ID_KEY = "source_id";
    /** Metadata key holding a segment's document title. */
    public static final String TITLE_KEY = "title";

    private static final String COMPONENT = "knowledge";

    private final EmbeddingStore<TextSegment> embeddingStore;
    private final EmbeddingModel embeddingModel;
    private final Chunker chunker;
    private final int embeddingBatchSize;

    private EmbeddingStoreKnowledgeStore(Builder b) {
        this.embeddingStore = b.embeddingStore;
        this.embeddingModel = b.embeddingModel;
        this.chunker = new Chunker(b.chunkSize, b.chunkOverlap);
        this.embeddingBatchSize = b.embeddingBatchSize;
    }

    /** A builder; the embedding store and model are required. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public List<Passage> search(KnowledgeQuery query) {
        Objects.requireNonNull(query, "query");
        if (query.text().isBlank()) {
            return List.of();
        }
        float[] vector = Embeddings.embed(embeddingModel, query.text());
        Filter filter = null;
        for (Map.Entry<String, String> entry : new TreeMap<>(query.filters()).entrySet()) {
            Filter one = metadataKey(entry.getKey()).isEqualTo(entry.getValue());
            filter = filter == null ? one : filter.and(one);
        }
        try {
            List<EmbeddingMatch<TextSegment>> matches = embeddingStore.search(EmbeddingSearchRequest.builder()
                    .queryEmbedding(Embedding.from(vector))
                    .maxResults(query.maxResults())
                    .filter(filter)
                    .build()).matches();
            List<Passage> passages = new ArrayList<>();
            for (EmbeddingMatch<TextSegment> match : matches) {
                TextSegment segment = match.embedded();
                if (segment == null || segment.metadata().getString(SOURCE_ID_KEY) == null) {
                    continue;
                }
                passages.add(new Passage(segment.metadata().getString(SOURCE_ID_KEY),
                        segment.metadata().getString(TITLE_KEY), segment.text(), match.score()));
            }
            return List.copyOf(passages);
        } catch (RuntimeException e) {
            throw storeFailure("search", e);
        }
    }

    @Override
    public void upsert(List<KnowledgeDocument> documents) {
        Objects.requireNonNull(documents, "documents");
        Map<String, KnowledgeDocument> latest = DocumentBatches.latestPerSource(documents);
        for (KnowledgeDocument document : latest.values()) {
            List<TextSegment> segments = new ArrayList<>();
            List<String> texts = new ArrayList<>();
            for (String chunk : chunker.split(document.text())) {
                Map<String, Object> metadata = new LinkedHashMap<>(document.metadata());
                metadata.put(SOURCE_ID_KEY, document.sourceId());
                metadata.put(TITLE_KEY, document.title());
                segments.add(TextSegment.from(chunk, Metadata.from(metadata)));
                texts.add(Chunker.embeddingText(document.title(), chunk));
            }
            List<float[]> vectors = Embeddings.embedAll(embeddingModel, texts, embeddingBatchSize);
            List<Embedding> embeddings = vectors.stream().map(Embedding::from).toList();
            try {
                embeddingStore.removeAll(metadataKey(SOURCE_ID_KEY).isEqualTo(document.sourceId()));
                if (!segments.isEmpty()) {
                    embeddingStore.addAll(embeddings, segments);
                }
            } catch (RuntimeException e) {
                throw storeFailure("upsert", e);
            }
        }
    }

    @Override
    public void delete(Collection<String> sourceIds) {
        Objects.requireNonNull(sourceIds, "sourceIds");
        if (sourceIds.isEmpty()) {
            return;
        }
        try {
            embeddingStore.removeAll(metadataKey(SOURCE_ID_KEY).isIn(new LinkedHashSet<>(sourceIds)));
        } catch (RuntimeException e) {
            throw storeFailure("delete", e);
        }
    }

    private static RagmailException storeFailure(String operation, RuntimeException e) {
        if (e instanceof RagmailException ragmail) {
            return ragmail;
        }
        // langchain4j's EmbeddingStore throws UnsupportedFeatureException for what a store lacks
        if (e instanceof UnsupportedOperationException || e instanceof UnsupportedFeatureException) {
            return new io.ragmail.core.NonRetriableException(COMPONENT,
                    "the embedding store does not support " + operation + " with metadata filters", e);
        }
        return new RetriableException(COMPONENT, "embedding store " + operation + " failed: " + e.getClass().getSimpleName(), e);
    }

    /**
     * Settings of an {@link EmbeddingStoreKnowledgeStore}.
     *
     * <pre>{@code
     * EmbeddingStoreKnowledgeStore.builder().embeddingStore(store).embeddingModel(model).chunkSize(1000).build();
     * }</pre>
     */
    public static final class Builder {
        private EmbeddingStore<TextSegment> embeddingStore;
        private EmbeddingModel embeddingModel;
        private int chunkSize = LuceneKnowledgeStore.DEFAULT_CHUNK_SIZE;
        private int chunkOverlap = LuceneKnowledgeStore.DEFAULT_CHUNK_OVERLAP;
        private int embeddingBatchSize = LuceneKnowledgeStore.DEFAULT_EMBEDDING_BATCH_SIZE;

        private Builder() {
        }

        /** Where segments and vectors live. Required. */
        public Builder embeddingStore(EmbeddingStore<TextSegment> embeddingStore) {
            this.embeddingStore = embeddingStore;
            return this;
        }

        /** The model for chunks and queries. Required. */
        public Builder embeddingModel(EmbeddingModel embeddingModel) {
            this.embeddingModel = embeddingModel;
            return this;
        }

        /** Maximum chunk size in characters; default {@link LuceneKnowledgeStore#DEFAULT_CHUNK_SIZE}. */
        public Builder chunkSize(int chunkSize) {
            this.chunkSize = chunkSize;
            return this;
        }

        /** Overlap between chunks in characters; default {@link LuceneKnowledgeStore#DEFAULT_CHUNK_OVERLAP}. */
        public Builder chunkOverlap(int chunkOverlap) {
            this.chunkOverlap = chunkOverlap;
            return this;
        }

        /** Chunks per embedding call; default {@link LuceneKnowledgeStore#DEFAULT_EMBEDDING_BATCH_SIZE}. */
        public Builder embeddingBatchSize(int embeddingBatchSize) {
            this.embeddingBatchSize = embeddingBatchSize;
            return this;
        }

        /** Validates the settings. */
        public EmbeddingStoreKnowledgeStore build() {
            if (embeddingStore == null) {
                throw new IllegalArgumentException("embeddingStore must be set");
            }
            if (embeddingModel == null) {
                throw new IllegalArgumentException("embeddingModel must be set");
            }
            Chunker.checkSettings(chunkSize, chunkOverlap);
            if (embeddingBatchSize < 1) {
                throw new IllegalArgumentException("embeddingBatchSize must be at least 1, was " + embeddingBatchSize);
            }
            return new EmbeddingStoreKnowledgeStore(this);
        }
    }
}
