package io.ragmail.core.event;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A knowledge sync run finished: {@code fetched} records read from the source (such as
 * {@code "odoo"}), {@code upserted} and {@code deleted} documents written to the knowledge store.
 * Emitted by whoever runs the sync (the daemon's scheduler), not by the pipeline.
 */
public record KnowledgeSyncedEvent(String source, int fetched, int upserted, int deleted, Duration took, Instant at) {
    public KnowledgeSyncedEvent {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(took, "took");
        Objects.requireNonNull(at, "at");
        if (fetched < 0 || upserted < 0 || deleted < 0) {
            throw new IllegalArgumentException("record counts must not be negative");
        }
    }
}
