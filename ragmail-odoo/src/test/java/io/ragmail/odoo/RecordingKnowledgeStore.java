package io.ragmail.odoo;

import io.ragmail.core.KnowledgeDocument;
import io.ragmail.core.KnowledgeQuery;
import io.ragmail.core.KnowledgeStore;
import io.ragmail.core.Passage;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A knowledge store that only records what it was told (source id → document), for sync tests; the
 * real Lucene store is developed elsewhere and plugs in through the same interface.
 */
final class RecordingKnowledgeStore implements KnowledgeStore {

    final Map<String, KnowledgeDocument> documents = new TreeMap<>();
    final List<String> upserted = new ArrayList<>();
    final List<String> deleted = new ArrayList<>();

    @Override
    public synchronized List<Passage> search(KnowledgeQuery query) {
        return List.of();
    }

    @Override
    public synchronized void upsert(List<KnowledgeDocument> docs) {
        docs.forEach(d -> {
            documents.put(d.sourceId(), d);
            upserted.add(d.sourceId());
        });
    }

    @Override
    public synchronized void delete(Collection<String> sourceIds) {
        sourceIds.forEach(id -> {
            documents.remove(id);
            deleted.add(id);
        });
    }

    synchronized void clearLog() {
        upserted.clear();
        deleted.clear();
    }
}
