package io.ragmail.daemon.runtime;

import java.time.Duration;

/** Durations for people: {@code 2d 5h 32m}. */
final class DurationText {

    private DurationText() {
    }

    static String of(Duration d) {
        long s = Math.max(0, d.getSeconds());
        long days = s / 86400;
        long hours = s % 86400 / 3600;
        long minutes = s % 3600 / 60;
        if (days > 0) {
            return days + "d " + hours + "h " + minutes + "m";
        }
        if (hours > 0) {
            return hours + "h " + minutes + "m";
        }
        if (minutes > 0) {
            return minutes + "m " + s % 60 + "s";
        }
        return s + "s";
    }
}
