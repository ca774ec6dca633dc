package io.ragmail.core;

import java.util.Objects;

/** A ranked piece of a knowledge document returned by a search, with the id of its source. */
public record Passage(String sourceId, String title, String text, double score) {
    public Passage {
        Objects.requireNonNull(sourceId, "sourceId");
        title = title == null ? "" : title;
        Objects.requireNonNull(text, "text");
    }
}
