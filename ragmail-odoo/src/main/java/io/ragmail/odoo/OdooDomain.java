package io.ragmail.odoo;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * An Odoo search domain, built in code (never from mail text). Leaves joined by {@link #and} are
 * implicitly AND-ed, as in Odoo; {@link #or} and {@link #not} add the prefix operators.
 *
 * <pre>{@code
 * OdooDomain d = OdooDomain.where("email", "=ilike", "ada@example.com").and("active", "=", true);
 * }</pre>
 */
public final class OdooDomain {

    /** The comparison operators ragmail uses and FakeOdooServer evaluates. */
    public static final Set<String> OPERATORS = Set.of("=", "!=", "ilike", "=ilike", "like", "in", "not in",
            ">", ">=", "<", "<=", "child_of");

    private final List<Object> terms;

    private OdooDomain(List<Object> terms) {
        this.terms = List.copyOf(terms);
    }

    /** The empty domain: every record. */
    public static OdooDomain all() {
        return new OdooDomain(List.of());
    }

    public static OdooDomain where(String field, String operator, Object value) {
        return all().and(field, operator, value);
    }

    public OdooDomain and(String field, String operator, Object value) {
        List<Object> next = new ArrayList<>(terms);
        next.add(leaf(field, operator, value));
        return new OdooDomain(next);
    }

    /** All terms of this domain AND-ed with all terms of another. */
    public OdooDomain and(OdooDomain other) {
        if (other.terms.isEmpty()) {
            return this;
        }
        if (terms.isEmpty()) {
            return other;
        }
        List<Object> next = new ArrayList<>();
        next.add("&");
        next.addAll(asSingleTerm().terms);
        next.addAll(other.asSingleTerm().terms);
        return new OdooDomain(next);
    }

    public static OdooDomain or(OdooDomain a, OdooDomain b) {
        if (a.terms.isEmpty() || b.terms.isEmpty()) {
            return all();
        }
        List<Object> next = new ArrayList<>();
        next.add("|");
        next.addAll(a.asSingleTerm().terms);
        next.addAll(b.asSingleTerm().terms);
        return new OdooDomain(next);
    }

    public static OdooDomain not(OdooDomain a) {
        if (a.terms.isEmpty()) {
            throw new IllegalArgumentException("cannot negate the empty domain");
        }
        List<Object> next = new ArrayList<>();
        next.add("!");
        next.addAll(a.asSingleTerm().terms);
        return new OdooDomain(next);
    }

    /** Rewrites an implicit AND of n leaves into prefix form, so it can nest under an operator. */
    private OdooDomain asSingleTerm() {
        int leaves = 0;
        int operators = 0;
        for (Object t : terms) {
            if (t instanceof String op) {
                operators += "!".equals(op) ? 0 : 1;
            } else {
                leaves++;
            }
        }
        int implicitAnds = leaves - 1 - operators;
        if (implicitAnds <= 0) {
            return this;
        }
        List<Object> next = new ArrayList<>();
        for (int i = 0; i < implicitAnds; i++) {
            next.add("&");
        }
        next.addAll(terms);
        return new OdooDomain(next);
    }

    private static Object[] leaf(String field, String operator, Object value) {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(operator, "operator");
        if (!OPERATORS.contains(operator)) {
            throw new IllegalArgumentException("operator must be one of " + OPERATORS + ", was '" + operator + "'");
        }
        return new Object[] {field, operator, wireValue(value)};
    }

    private static Object wireValue(Object value) {
        if (value == null) {
            return Boolean.FALSE;
        }
        if (value instanceof Collection<?> c) {
            return c.stream().map(OdooDomain::wireValue).toArray();
        }
        if (value instanceof Long l) {
            if (l > Integer.MAX_VALUE || l < Integer.MIN_VALUE) {
                throw new IllegalArgumentException("value out of XML-RPC int range: " + l);
            }
            return l.intValue();
        }
        if (value instanceof String || value instanceof Integer || value instanceof Boolean || value instanceof Double) {
            return value;
        }
        throw new IllegalArgumentException("domain values must be String, Integer, Long, Double, Boolean or a collection of those, was "
                + value.getClass().getSimpleName());
    }

    /** The domain in XML-RPC form (a list of prefix operators and 3-element leaves). */
    Object[] toWire() {
        return terms.toArray();
    }

    boolean isEmpty() {
        return terms.isEmpty();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("[");
        for (Object t : terms) {
            if (sb.length() > 1) {
                sb.append(", ");
            }
            if (t instanceof Object[] leaf) {
                sb.append('(').append(leaf[0]).append(", ").append(leaf[1]).append(", ")
                        .append(leaf[2] instanceof Object[] a ? List.of(a) : leaf[2]).append(')');
            } else {
                sb.append('\'').append(t).append('\'');
            }
        }
        return sb.append(']').toString();
    }
}
