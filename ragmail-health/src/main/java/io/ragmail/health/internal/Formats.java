package io.ragmail.health.internal;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/** How times and durations look in {@code /health} and on the dashboard. */
public final class Formats {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private Formats() {
    }

    /** {@code "2025-10-11 14:32:15"} in the zone; {@code null} for {@code null}. */
    public static String time(Instant instant, ZoneId zone) {
        return instant == null ? null : TIME.format(instant.atZone(zone));
    }

    /** {@code "2d 5h 32m"}; leading zero units are left out ({@code "5h 0m"}, {@code "0m"}). */
    public static String uptime(Duration d) {
        long minutes = Math.max(0, d.toMinutes());
        long days = minutes / (24 * 60);
        long hours = minutes / 60 % 24;
        long mins = minutes % 60;
        if (days > 0) {
            return days + "d " + hours + "h " + mins + "m";
        }
        return hours > 0 ? hours + "h " + mins + "m" : mins + "m";
    }

    /** {@code "3m"}, {@code "2h 5m"}: a short age for "since" columns. */
    public static String age(Duration d) {
        long seconds = Math.max(0, d.getSeconds());
        return seconds < 60 ? seconds + "s" : uptime(d);
    }
}
