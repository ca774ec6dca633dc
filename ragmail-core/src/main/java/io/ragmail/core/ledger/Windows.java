package io.ragmail.core.ledger;

import java.time.Duration;

/** Durations as people read them in skip reasons. */
final class Windows {

    private Windows() {
    }

    /** {@code 1 day}, {@code 12 hours}, {@code 90 minutes}, {@code 30 seconds}: the largest whole unit. */
    static String describe(Duration window) {
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
