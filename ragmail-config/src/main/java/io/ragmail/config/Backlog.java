package io.ragmail.config;

import java.util.Objects;

/**
 * {@code ragmail.imap.backlog}: what the first start does with mail already in the inbox. Pointing
 * ragmail at a busy support inbox must never auto-reply to months-old mail, hence the default.
 *
 * @param kind {@code since-start}, {@code days} or {@code all}
 * @param days for {@code days:N}, N; else 0
 */
public record Backlog(String kind, int days) {

    public static final Backlog SINCE_START = new Backlog("since-start", 0);
    public static final Backlog ALL = new Backlog("all", 0);

    public Backlog {
        Objects.requireNonNull(kind, "kind");
        if (!kind.equals("since-start") && !kind.equals("days") && !kind.equals("all")) {
            throw new IllegalArgumentException("kind must be since-start, days or all, was " + kind);
        }
        if (kind.equals("days") && (days < 1 || days > 3650)) {
            throw new IllegalArgumentException("days must be 1-3650, was " + days);
        }
    }

    /** Mail received within the last {@code days} days (1-3650) is answered at the first start. */
    public static Backlog days(int days) {
        return new Backlog("days", days);
    }

    /**
     * Parses {@code since-start}, {@code all} or {@code days:N}.
     *
     * @throws IllegalArgumentException for anything else
     */
    public static Backlog parse(String text) {
        String s = text.strip().toLowerCase(java.util.Locale.ROOT);
        if (s.equals("since-start")) {
            return SINCE_START;
        }
        if (s.equals("all")) {
            return ALL;
        }
        if (s.startsWith("days:")) {
            return days(Integer.parseInt(s.substring(5)));
        }
        throw new IllegalArgumentException("not a backlog setting: " + text);
    }

    @Override
    public String toString() {
        return kind.equals("days") ? "days:" + days : kind;
    }
}
