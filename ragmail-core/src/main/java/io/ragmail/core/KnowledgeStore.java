package io.ragmail.core;

import java.util.Collection;
import java.util.List;

/**
 * What the company knows: documents stored by stable source id and searched for the passages that
 * answer a mail. {@code Pipeline.builder()} needs one, or an explicit {@code withoutKnowledge()}.
 * ragmail ships {@code LuceneKnowledgeStore} (hybrid BM25 + vector, the daemon's store) and
 * {@code EmbeddingStoreKnowledgeStore}; {@link NoopKnowledgeStore} knows nothing.
 *
 * <pre>{@code
 * store.upsert(List.of(new KnowledgeDocument("faq:shipping", "Shipping", "We ship within 2 days.")));
 * List<Passage> passages = store.search(KnowledgeQuery.of("how fast do you ship?"));
 * }</pre>
 */
public interface KnowledgeStore extends AutoCloseable {

    /** Passages best matching the query, best first; at most {@code query.maxResults()}. */
    List<Passage> search(KnowledgeQuery query);

    /** Adds or replaces documents by source id. */
    void upsert(List<KnowledgeDocument> documents);

    /** Removes every passage of the given source ids; unknown ids are ignored. */
    void delete(Collection<String> sourceIds);

    /**
     * Releases what the store holds open (an index, connections). The pipeline never closes the store
     * it was given: whoever built it closes it, after the pipeline. Closing twice is harmless.
     */
    @Override
    default void close() {
    }
}
