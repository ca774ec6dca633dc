package io.ragmail.core;

import java.util.Map;
import java.util.Objects;

/**
 * A search of the knowledge base: the text to look for, how many passages to return at most, and
 * optional metadata filters that every passage must match exactly (such as {@code type=sds}).
 */
public record KnowledgeQuery(String text, int maxResults, Map<String, String> filters) {

    public static final int DEFAULT_MAX_RESULTS = 5;

    public KnowledgeQuery {
        Objects.requireNonNull(text, "text");
        if (maxResults < 1) {
            throw new IllegalArgumentException("maxResults must be at least 1, was " + maxResults);
        }
        filters = Map.copyOf(filters);
    }

    public static KnowledgeQuery of(String text) {
        return new KnowledgeQuery(text, DEFAULT_MAX_RESULTS, Map.of());
    }
}
