package io.ragmail.core.knowledge.internal;

import io.ragmail.core.KnowledgeDocument;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** What both knowledge stores do with a batch before they write it. */
public final class DocumentBatches {

    private DocumentBatches() {
    }

    /** The batch by source id, in first-seen order; a source id given twice keeps its last version. */
    public static Map<String, KnowledgeDocument> latestPerSource(List<KnowledgeDocument> documents) {
        Map<String, KnowledgeDocument> latest = new LinkedHashMap<>();
        for (KnowledgeDocument document : documents) {
            latest.put(Objects.requireNonNull(document, "documents must not contain null").sourceId(), document);
        }
        return latest;
    }
}
