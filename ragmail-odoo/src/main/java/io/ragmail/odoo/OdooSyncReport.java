package io.ragmail.odoo;

import java.time.Duration;
import java.util.Objects;

/**
 * What one {@link OdooKnowledgeSync} run did: records fetched from Odoo, documents written to and
 * deleted from the knowledge store, XML-RPC calls made, whether ids were reconciled, and how long it took.
 *
 * <pre>{@code
 * OdooSyncReport r = sync.runOnce();
 * log.info("odoo sync: {} fetched, {} upserted, {} deleted in {} calls", r.fetched(), r.upserted(), r.deleted(), r.calls());
 * }</pre>
 */
public record OdooSyncReport(int fetched, int upserted, int deleted, long calls, boolean reconciled, Duration elapsed) {
    public OdooSyncReport {
        if (fetched < 0 || upserted < 0 || deleted < 0 || calls < 0) {
            throw new IllegalArgumentException("counts must not be negative");
        }
        Objects.requireNonNull(elapsed, "elapsed");
    }
}
