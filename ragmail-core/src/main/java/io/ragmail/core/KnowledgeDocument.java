package io.ragmail.core;

import java.util.Map;
import java.util.Objects;

/**
 * A document for the knowledge base: a product, a safety data sheet, an FAQ entry. The
 * {@code sourceId} is stable across updates (for example {@code "odoo:product.template:42"} or
 * {@code "file:sds/acetone.pdf"}), so an upsert replaces the previous version.
 */
public record KnowledgeDocument(String sourceId, String title, String text, Map<String, String> metadata) {
    public KnowledgeDocument {
        Objects.requireNonNull(sourceId, "sourceId");
        if (sourceId.isBlank()) {
            throw new IllegalArgumentException("sourceId must not be blank");
        }
        title = title == null ? "" : title;
        Objects.requireNonNull(text, "text");
        metadata = Map.copyOf(metadata);
    }

    public KnowledgeDocument(String sourceId, String title, String text) {
        this(sourceId, title, text, Map.of());
    }
}
