package io.ragmail.core.ledger;

import java.time.Duration;
import java.util.Objects;

/**
 * How many replies one sender and one conversation may get within a sliding window. A ledger checks
 * and counts it in one transaction when drafting starts ({@link ProcessingLedger#startDrafting}), so
 * that mails from one sender processed at the same moment cannot all pass.
 *
 * <pre>{@code
 * ReplyQuota quota = new ReplyQuota(25, Duration.ofDays(1), 5, Duration.ofDays(1));
 * }</pre>
 *
 * @param maxPerSender replies to one sender (normalized {@code From}) within {@code senderWindow}, at least 1
 * @param senderWindow the sender's sliding window, positive
 * @param maxPerThread replies in one thread ({@link io.ragmail.core.InboundMail#threadKey()}) within
 *                     {@code threadWindow}, at least 1
 * @param threadWindow the thread's sliding window, positive
 */
public record ReplyQuota(int maxPerSender, Duration senderWindow, int maxPerThread, Duration threadWindow) {

    /** No limit at all. */
    public static final ReplyQuota UNLIMITED =
            new ReplyQuota(Integer.MAX_VALUE, Duration.ofDays(1), Integer.MAX_VALUE, Duration.ofDays(1));

    public ReplyQuota {
        requireAtLeastOne("maxPerSender", maxPerSender);
        requirePositive("senderWindow", senderWindow);
        requireAtLeastOne("maxPerThread", maxPerThread);
        requirePositive("threadWindow", threadWindow);
    }

    private static void requireAtLeastOne(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, was " + value);
        }
    }

    private static void requirePositive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + value);
        }
    }

    /** {@code 1 day}, {@code 12 hours}, {@code 90 minutes}, {@code 30 seconds}: the largest whole unit. */
    public static String describe(Duration window) {
        if (window.toDays() > 0 && window.equals(Duration.ofDays(window.toDays()))) {
            return plural(window.toDays(), "day");
        }
        if (window.toHours() > 0 && window.equals(Duration.ofHours(window.toHours()))) {
            return plural(window.toHours(), "hour");
        }
        if (window.toMinutes() > 0 && window.equals(Duration.ofMinutes(window.toMinutes()))) {
            return plural(window.toMinutes(), "minute");
        }
        if (window.toSeconds() > 0 && window.equals(Duration.ofSeconds(window.toSeconds()))) {
            return plural(window.toSeconds(), "second");
        }
        return plural(window.toMillis(), "millisecond");
    }

    private static String plural(long n, String unit) {
        return n + " " + unit + (n == 1 ? "" : "s");
    }
}
