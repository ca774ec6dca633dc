package io.ragmail.config;

import java.net.URI;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How one configuration value is parsed and what a valid one looks like. {@link #parse} throws
 * {@link IllegalArgumentException} with the text after "expected" so that a validation line reads
 * {@code ragmail.imap.port: expected a port number 1-65535, was 'abc'}.
 *
 * @param <T> the parsed type
 */
public interface ValueType<T> {

    /** Parses a non-blank raw value. */
    T parse(String raw);

    /** What a valid value looks like, for messages and the documentation. */
    String expected();

    static ValueType<String> text() {
        return simple("any text", s -> s);
    }

    static ValueType<Integer> port(int min) {
        String expected = "a port number " + min + "-65535";
        return simple(expected, s -> {
            int port = Integer.parseInt(s);
            if (port < min || port > 65535) {
                throw new IllegalArgumentException();
            }
            return port;
        });
    }

    static ValueType<Integer> integer(int min, int max) {
        return simple("a whole number " + min + "-" + max, s -> {
            int value = Integer.parseInt(s);
            if (value < min || value > max) {
                throw new IllegalArgumentException();
            }
            return value;
        });
    }

    static ValueType<Long> longAtLeast(long min) {
        return simple("a whole number of at least " + min, s -> {
            long value = Long.parseLong(s);
            if (value < min) {
                throw new IllegalArgumentException();
            }
            return value;
        });
    }

    static ValueType<Double> decimal(double min, double max) {
        return simple("a number " + strip(min) + "-" + strip(max), s -> {
            double value = Double.parseDouble(s);
            if (!(value >= min && value <= max)) {
                throw new IllegalArgumentException();
            }
            return value;
        });
    }

    static ValueType<Boolean> bool() {
        return simple("true or false", s -> switch (s.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1" -> true;
            case "false", "no", "off", "0" -> false;
            default -> throw new IllegalArgumentException();
        });
    }

    static ValueType<String> choice(String... values) {
        List<String> allowed = List.of(values);
        return simple("one of " + String.join(", ", allowed), s -> {
            String lower = s.toLowerCase(Locale.ROOT);
            if (!allowed.contains(lower)) {
                throw new IllegalArgumentException();
            }
            return lower;
        });
    }

    /**
     * A duration such as {@code 500ms}, {@code 30s}, {@code 10m}, {@code 2h}, {@code 1d} or ISO
     * {@code PT30S}, within bounds; a bare number counts in {@code bareUnit} (null: a unit is required).
     */
    static ValueType<Duration> duration(Duration min, Duration max, String bareUnit) {
        String expected = "a duration " + Durations.format(min) + "-" + Durations.format(max)
                + (bareUnit == null ? " such as 30s, 10m or 2h" : " (a bare number counts in " + bareUnit + ")");
        return simple(expected, s -> {
            Duration d = Durations.parse(bareUnit != null && s.matches("\\d+") ? s + bareUnit : s);
            if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
                throw new IllegalArgumentException();
            }
            return d;
        });
    }

    /** A size such as {@code 10MB}, {@code 512KB}, {@code 1GB} or bytes, at least {@code min} bytes. */
    static ValueType<Long> size(long min) {
        Pattern p = Pattern.compile("(\\d+)\\s*(b|kb|mb|gb)?", Pattern.CASE_INSENSITIVE);
        return simple("a size such as 10MB, 512KB or 1GB, at least " + min + " bytes", s -> {
            Matcher m = p.matcher(s);
            if (!m.matches()) {
                throw new IllegalArgumentException();
            }
            long n = Long.parseLong(m.group(1));
            String unit = m.group(2) == null ? "b" : m.group(2).toLowerCase(Locale.ROOT);
            long bytes = switch (unit) {
                case "kb" -> n * 1024;
                case "mb" -> n * 1024 * 1024;
                case "gb" -> n * 1024 * 1024 * 1024;
                default -> n;
            };
            if (bytes < min) {
                throw new IllegalArgumentException();
            }
            return bytes;
        });
    }

    static ValueType<String> email() {
        return simple("an e-mail address such as support@example.com", s -> {
            if (!s.matches("[^@\\s<>]+@[^@\\s<>]+\\.[^@\\s<>]+")) {
                throw new IllegalArgumentException();
            }
            return s;
        });
    }

    static ValueType<URI> url() {
        return simple("an http or https URL", s -> {
            URI uri = URI.create(s);
            if (uri.getScheme() == null || !uri.getScheme().matches("https?") || uri.getHost() == null) {
                throw new IllegalArgumentException();
            }
            return uri;
        });
    }

    /** A local time such as {@code 08:00}, or {@code off}; {@code null} means off. */
    static ValueType<LocalTime> timeOfDayOrOff() {
        return simple("a time of day such as 08:00, or off", s -> s.equalsIgnoreCase("off") ? null : LocalTime.parse(s));
    }

    static ValueType<ZoneId> zone() {
        return simple("a time zone such as Europe/Berlin or UTC", ZoneId::of);
    }

    private static String strip(double d) {
        return d == Math.rint(d) && !Double.isInfinite(d) ? Long.toString((long) d) : Double.toString(d);
    }

    /** A value type from a description and a parser whose exceptions all mean "not valid". */
    static <T> ValueType<T> simple(String expected, java.util.function.Function<String, T> parser) {
        return new ValueType<>() {
            @Override
            public T parse(String raw) {
                try {
                    return parser.apply(raw.strip());
                } catch (RuntimeException e) {
                    throw new IllegalArgumentException(expected, e);
                }
            }

            @Override
            public String expected() {
                return expected;
            }
        };
    }
}
