package io.ragmail.odoo;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One record read from Odoo, with typed accessors that turn Odoo's conventions into Java without
 * null surprises: {@code False} and {@code ''} are "no value" ({@link Optional#empty()}), a many2one
 * {@code [id, name]} is an {@link OdooReference}, x2many fields are id lists (empty, never null), and
 * datetimes ({@code "YYYY-MM-DD HH:MM:SS"}, UTC without zone) become {@link Instant}s.
 *
 * <pre>{@code
 * OdooRecord order = client.searchRead("sale.order", domain, List.of("name", "amount_total"), ...).get(0);
 * String name = order.text("name").orElse("");
 * Optional<BigDecimal> total = order.decimal("amount_total");
 * }</pre>
 */
public final class OdooRecord {

    /** Odoo's datetime wire format, always UTC. */
    public static final DateTimeFormatter DATETIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final String model;
    private final Map<String, Object> values;

    /** For adapters and tests: values as Apache XML-RPC parses them (Integer, Double, Boolean, String, Object[], Map). */
    public OdooRecord(String model, Map<String, ?> values) {
        this.model = Objects.requireNonNull(model, "model");
        Map<String, Object> copy = new LinkedHashMap<>();
        values.forEach((k, v) -> {
            if (k != null && v != null) {
                copy.put(k, v);
            }
        });
        if (!(copy.get("id") instanceof Integer)) {
            throw new IllegalArgumentException("an Odoo record needs an integer id, got " + copy.get("id"));
        }
        this.values = Collections.unmodifiableMap(copy);
    }

    public String model() {
        return model;
    }

    public int id() {
        return (Integer) values.get("id");
    }

    /** Field names present in this record. */
    public Set<String> fieldNames() {
        return values.keySet();
    }

    /** Text of a char/text/html/selection field; a many2one gives its display name; numbers their plain form. */
    public Optional<String> text(String field) {
        Object v = values.get(field);
        if (v instanceof String s) {
            return s.isBlank() ? Optional.empty() : Optional.of(s);
        }
        if (v instanceof Object[] pair && pair.length == 2 && pair[0] instanceof Integer && pair[1] instanceof String s) {
            return s.isBlank() ? Optional.empty() : Optional.of(s);
        }
        if (v instanceof Integer i) {
            return Optional.of(i.toString());
        }
        if (v instanceof Double d) {
            return Optional.of(BigDecimal.valueOf(d).stripTrailingZeros().toPlainString());
        }
        return Optional.empty();
    }

    public Optional<Integer> integer(String field) {
        return values.get(field) instanceof Integer i ? Optional.of(i) : Optional.empty();
    }

    /** A float or monetary field; Odoo cannot tell 0.0 from empty for floats, so 0.0 is a value. */
    public Optional<BigDecimal> decimal(String field) {
        Object v = values.get(field);
        if (v instanceof Double d) {
            return Optional.of(BigDecimal.valueOf(d));
        }
        if (v instanceof Integer i) {
            return Optional.of(BigDecimal.valueOf(i));
        }
        return Optional.empty();
    }

    /** A boolean field; {@code False} (and absent) is false. */
    public boolean flag(String field) {
        return Boolean.TRUE.equals(values.get(field));
    }

    public Optional<OdooReference> reference(String field) {
        Object v = values.get(field);
        if (v instanceof Object[] pair && pair.length == 2 && pair[0] instanceof Integer id && id > 0) {
            return Optional.of(new OdooReference(id, pair[1] instanceof String s ? s : ""));
        }
        return Optional.empty();
    }

    /** Ids of a one2many/many2many field; empty when unset or absent. */
    public List<Integer> ids(String field) {
        Object v = values.get(field);
        if (v instanceof Object[] arr) {
            List<Integer> ids = new ArrayList<>(arr.length);
            for (Object o : arr) {
                if (o instanceof Integer i) {
                    ids.add(i);
                }
            }
            return List.copyOf(ids);
        }
        return List.of();
    }

    /** A datetime field, read as UTC as Odoo sends it. */
    public Optional<Instant> dateTime(String field) {
        return text(field).map(s -> {
            try {
                return LocalDateTime.parse(s, DATETIME).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException e) {
                throw new OdooServerException("field " + model + "." + field + " is not an Odoo datetime: '" + s + "'", -1, "", e);
            }
        });
    }

    /** A date field ({@code YYYY-MM-DD}). */
    public Optional<LocalDate> date(String field) {
        return text(field).map(s -> {
            try {
                return LocalDate.parse(s.length() > 10 ? s.substring(0, 10) : s);
            } catch (DateTimeParseException e) {
                throw new OdooServerException("field " + model + "." + field + " is not an Odoo date: '" + s + "'", -1, "", e);
            }
        });
    }

    /** The raw write_date string ({@code "YYYY-MM-DD HH:MM:SS"}), as used for sync cursors. */
    public Optional<String> writeDate() {
        return text("write_date");
    }

    @Override
    public String toString() {
        return model + "(" + id() + ")";
    }
}
