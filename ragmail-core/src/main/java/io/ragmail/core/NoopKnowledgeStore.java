package io.ragmail.core;

import java.util.Collection;
import java.util.List;

/** A knowledge store that knows nothing: searches return no passage, writes are ignored. */
public final class NoopKnowledgeStore implements KnowledgeStore {

    public static final NoopKnowledgeStore INSTANCE = new NoopKnowledgeStore();

    private NoopKnowledgeStore() {
    }

    @Override
    public List<Passage> search(KnowledgeQuery query) {
        return List.of();
    }

    @Override
    public void upsert(List<KnowledgeDocument> documents) {
    }

    @Override
    public void delete(Collection<String> sourceIds) {
    }
}
