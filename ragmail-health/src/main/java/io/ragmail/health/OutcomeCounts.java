package io.ragmail.health;

import java.time.Instant;
import java.util.Objects;
import java.util.OptionalDouble;

/**
 * Mails that reached each outcome in one period (an hour of the chart, or today).
 *
 * <pre>{@code
 * OutcomeCounts today = monitor.snapshot().today();
 * double rate = today.successRate().orElse(1.0);
 * }</pre>
 *
 * @param start   the period's start
 * @param sent    replies sent
 * @param review  replies filed for review
 * @param skipped mails not answered on purpose (auto-replies, lists, rate limits, …)
 * @param retried failed attempts that will be tried again
 * @param dead    mails that went to the failed-mail queue
 */
public record OutcomeCounts(Instant start, long sent, long review, long skipped, long retried, long dead) {
    public OutcomeCounts {
        Objects.requireNonNull(start, "start");
    }

    /** Mails that reached an end: sent, review, skipped or dead (retries are not an end). */
    public long finished() {
        return sent + review + skipped + dead;
    }

    /**
     * Answered (sent or filed for review) out of those that were to be answered (answered or dead);
     * empty when there were none. Skipped mail does not count either way.
     */
    public OptionalDouble successRate() {
        long attempted = sent + review + dead;
        return attempted == 0 ? OptionalDouble.empty() : OptionalDouble.of((double) (sent + review) / attempted);
    }
}
