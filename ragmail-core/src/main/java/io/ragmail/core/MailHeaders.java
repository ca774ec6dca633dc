package io.ragmail.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The header fields of a mail, in order, with case-insensitive look-up. Values are decoded
 * (RFC 2047 encoded words turned into text) and unfolded.
 *
 * <pre>{@code
 * MailHeaders headers = MailHeaders.builder().add("Auto-Submitted", "auto-replied").build();
 * headers.first("auto-submitted"); // Optional[auto-replied]
 * }</pre>
 */
public final class MailHeaders {

    public static final MailHeaders EMPTY = new MailHeaders(List.of());

    /** One header field as it appeared. */
    public record Field(String name, String value) {
        public Field {
            Objects.requireNonNull(name, "name");
            value = value == null ? "" : value;
        }
    }

    private final List<Field> fields;
    private final Map<String, List<String>> byName;

    public MailHeaders(List<Field> fields) {
        this.fields = List.copyOf(fields);
        Map<String, List<String>> index = new LinkedHashMap<>();
        for (Field field : this.fields) {
            index.computeIfAbsent(key(field.name()), k -> new ArrayList<>()).add(field.value());
        }
        index.replaceAll((k, v) -> List.copyOf(v));
        this.byName = Collections.unmodifiableMap(index);
    }

    public static Builder builder() {
        return new Builder();
    }

    public List<Field> fields() {
        return fields;
    }

    /** The first value of the named header, if present. */
    public Optional<String> first(String name) {
        List<String> values = byName.get(key(name));
        return values == null ? Optional.empty() : Optional.of(values.get(0));
    }

    /** Every value of the named header, in order; empty when absent. */
    public List<String> all(String name) {
        return byName.getOrDefault(key(name), List.of());
    }

    public boolean has(String name) {
        return byName.containsKey(key(name));
    }

    /** Whether any header's name starts with the prefix (case-insensitive), such as {@code "List-"}. */
    public boolean hasAnyStartingWith(String prefix) {
        String p = key(prefix);
        return byName.keySet().stream().anyMatch(name -> name.startsWith(p));
    }

    private static String key(String name) {
        return name.trim().toLowerCase(Locale.ROOT);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MailHeaders other && fields.equals(other.fields);
    }

    @Override
    public int hashCode() {
        return fields.hashCode();
    }

    @Override
    public String toString() {
        return "MailHeaders" + fields;
    }

    /** Collects header fields in order. */
    public static final class Builder {
        private final List<Field> fields = new ArrayList<>();

        public Builder add(String name, String value) {
            fields.add(new Field(name, value));
            return this;
        }

        public MailHeaders build() {
            return new MailHeaders(fields);
        }
    }
}
