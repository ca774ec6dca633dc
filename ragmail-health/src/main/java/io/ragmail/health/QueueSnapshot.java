package io.ragmail.health;

import java.time.Instant;
import java.util.List;

/**
 * The ledger's queues as last read (the ledger is read on the probe schedule, never per request).
 *
 * <pre>{@code
 * QueueSnapshot q = monitor.snapshot().queue();
 * if (q.known() && q.dead() > 0) { ... }
 * }</pre>
 *
 * @param retry     mails waiting for another attempt; {@code -1} when the ledger was never read
 * @param dead      mails in the failed-mail queue; {@code -1} when the ledger was never read
 * @param failed    the oldest mails of the failed-mail queue, at most the configured limit
 * @param checkedAt when the ledger was read; {@code null} when never
 */
public record QueueSnapshot(long retry, long dead, List<QueuedMail> failed, Instant checkedAt) {
    public static final QueueSnapshot UNKNOWN = new QueueSnapshot(-1, -1, List.of(), null);

    public QueueSnapshot {
        failed = List.copyOf(failed);
    }

    public boolean known() {
        return checkedAt != null;
    }
}
