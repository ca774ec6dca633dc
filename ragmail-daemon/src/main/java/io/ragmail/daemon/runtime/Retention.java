package io.ragmail.daemon.runtime;

import io.ragmail.core.MailKey;
import io.ragmail.core.ledger.LedgerEntry;
import io.ragmail.core.ledger.MailState;
import io.ragmail.core.ledger.ProcessingLedger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Ledger retention: finished rows (SENT, REVIEW, SKIPPED, DEAD) untouched for {@code days} are
 * removed, after their keys went into {@link Tombstones}, so that a removed mail never looks new.
 *
 * <pre>{@code
 * int removed = new Retention(ledger, new Tombstones(dataDir), Duration.ofDays(90), clock).run();
 * }</pre>
 */
public final class Retention {

    private static final Logger log = LoggerFactory.getLogger(Retention.class);
    private final ProcessingLedger ledger;
    private final Tombstones tombstones;
    private final Duration keep;
    private final Clock clock;

    public Retention(ProcessingLedger ledger, Tombstones tombstones, Duration keep, Clock clock) {
        this.ledger = ledger;
        this.tombstones = tombstones;
        this.keep = keep;
        this.clock = clock;
    }

    /** Rows read per state and round, so that memory stays bounded however large the ledger is. */
    static final int BATCH = 2_000;

    /** Returns how many rows were removed. */
    public int run() {
        Instant cutoff = clock.instant().minus(keep);
        int removed = 0;
        while (true) {
            // Rows come oldest received first, and updated >= received: purging below the received time of
            // the last row read removes only rows that were read, and therefore tombstoned.
            Instant bound = cutoff;
            List<LedgerEntry> read = new ArrayList<>();
            for (MailState state : MailState.values()) {
                if (state.isTerminal()) {
                    List<LedgerEntry> batch = ledger.inState(state, BATCH);
                    read.addAll(batch);
                    if (batch.size() == BATCH && batch.get(BATCH - 1).receivedAt().isBefore(bound)) {
                        bound = batch.get(BATCH - 1).receivedAt();
                    }
                }
            }
            List<MailKey> keys = new ArrayList<>();
            for (LedgerEntry e : read) {
                if (e.updatedAt().isBefore(bound)) {
                    keys.add(e.key());
                }
            }
            if (keys.isEmpty()) {
                break;
            }
            // tombstones first: a crash between the two steps leaves a tombstone for a row that still exists, which is harmless
            tombstones.addAll(keys, clock.millis());
            removed += ledger.purgeTerminalBefore(bound);
            if (bound.equals(cutoff)) {
                break;
            }
        }
        if (removed > 0) {
            log.info("retention: {} finished ledger rows older than {} removed", removed, cutoff);
        }
        return removed;
    }
}
