package io.ragmail.core.triage;

import io.ragmail.core.InboundMail;
import io.ragmail.core.internal.Settings;
import io.ragmail.core.ledger.ProcessingLedger;
import io.ragmail.core.ledger.ReplyQuota;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * At most N replies per sender and per thread within a sliding window, counted in the ledger
 * (replies sent or being sent, {@link ProcessingLedger#countRepliesToSender} and
 * {@link ProcessingLedger#countRepliesInThread}). The sender is the normalized {@code From}; the
 * thread is {@link InboundMail#threadKey()}.
 *
 * <pre>{@code
 * ReplyRateLimit limit = new ReplyRateLimit(3, Duration.ofDays(1), 3, Duration.ofDays(1));
 * TriageDecision decision = limit.check(mail, ledger, clock.instant());
 * // skip: "rate limit: 3 replies to ada@example.com in the last 1 day"
 * }</pre>
 */
public final class ReplyRateLimit {

    private final int maxPerSender;
    private final Duration senderWindow;
    private final int maxPerThread;
    private final Duration threadWindow;

    /**
     * @param maxPerSender replies allowed to one sender within {@code senderWindow}, at least 1
     * @param senderWindow the sender's sliding window, positive
     * @param maxPerThread replies allowed in one thread within {@code threadWindow}, at least 1
     * @param threadWindow the thread's sliding window, positive
     */
    public ReplyRateLimit(int maxPerSender, Duration senderWindow, int maxPerThread, Duration threadWindow) {
        this.maxPerSender = requireAtLeastOne("maxPerSender", maxPerSender);
        this.senderWindow = requirePositive("senderWindow", senderWindow);
        this.maxPerThread = requireAtLeastOne("maxPerThread", maxPerThread);
        this.threadWindow = requirePositive("threadWindow", threadWindow);
    }

    /**
     * Skips the mail (as one a person should read) when the sender or the thread already had its share
     * of replies. This check and the count are separate queries; the pipeline instead checks and counts
     * in one ledger transaction ({@link ProcessingLedger#startDrafting} with {@link #quota()}).
     */
    public TriageDecision check(InboundMail mail, ProcessingLedger ledger, Instant now) {
        Objects.requireNonNull(mail, "mail");
        Objects.requireNonNull(ledger, "ledger");
        Objects.requireNonNull(now, "now");

        String sender = mail.from().normalized();
        int toSender = ledger.countRepliesToSender(sender, now.minus(senderWindow));
        if (toSender >= maxPerSender) {
            return TriageDecision.needsPerson("rate limit: " + replies(toSender) + " to " + sender
                    + " in the last " + ReplyQuota.describe(senderWindow));
        }

        String thread = mail.threadKey();
        int inThread = ledger.countRepliesInThread(thread, now.minus(threadWindow));
        if (inThread >= maxPerThread) {
            return TriageDecision.needsPerson("rate limit: " + replies(inThread) + " in thread " + thread
                    + " in the last " + ReplyQuota.describe(threadWindow));
        }
        return TriageDecision.ANSWER;
    }

    /** These limits as the ledger checks them atomically. */
    public ReplyQuota quota() {
        return new ReplyQuota(maxPerSender, senderWindow, maxPerThread, threadWindow);
    }

    private static String replies(int count) {
        return count == 1 ? "1 reply" : count + " replies";
    }

    private static int requireAtLeastOne(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, was " + value);
        }
        return value;
    }

    private static Duration requirePositive(String name, Duration value) {
        Settings.required(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
        return value;
    }
}
