package io.ragmail.core.knowledge;

import java.util.List;
import java.util.Objects;

/**
 * What one {@link FileKnowledgeIngester#sync()} did, by source id ({@code file:<relative path>}):
 * documents added, updated (content changed), unchanged, removed (file gone), and files skipped
 * with the reason.
 *
 * <pre>{@code
 * IngestReport report = ingester.sync();
 * report.skipped().forEach(s -> log.warn("not ingested: {} ({})", s.path(), s.reason()));
 * }</pre>
 */
public record IngestReport(List<String> added, List<String> updated, List<String> unchanged,
                           List<String> removed, List<Skipped> skipped) {

    public IngestReport {
        added = List.copyOf(added);
        updated = List.copyOf(updated);
        unchanged = List.copyOf(unchanged);
        removed = List.copyOf(removed);
        skipped = List.copyOf(skipped);
    }

    /** True when the sync changed nothing in the store. */
    public boolean noChanges() {
        return added.isEmpty() && updated.isEmpty() && removed.isEmpty();
    }

    /** A file that was not ingested: its path relative to the folder, and why. */
    public record Skipped(String path, String reason) {
        public Skipped {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(reason, "reason");
        }
    }
}
