package io.ragmail.core;

import java.util.Map;
import java.util.Objects;

/**
 * One record the ERP holds about a customer: an order, an invoice, a delivery. {@code kind} names
 * what it is ({@code "order"}, {@code "invoice"}, {@code "delivery"}), {@code reference} is the number
 * the customer knows it by ({@code "S00042"}), and {@code fields} holds the facts worth telling
 * (state, dates, amounts) as display text.
 */
public record ErpRecord(String kind, String reference, Map<String, String> fields) {
    public ErpRecord {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(reference, "reference");
        fields = Map.copyOf(fields);
    }
}
