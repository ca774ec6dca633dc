package io.ragmail.core;

import java.util.List;
import java.util.Objects;

/**
 * What the ERP knows about one sender: their customer record and their own orders, invoices and
 * deliveries. Never holds another customer's data: an {@link ErpClient} builds it from queries
 * scoped to the sender.
 *
 * <p>{@code ambiguous}: the sender's address belongs to several unrelated customers, so the ERP
 * cannot tell whose facts they are; such facts carry no customer and no records, and a reply to that
 * sender should go to a person for review.
 *
 * <pre>{@code
 * CustomerFacts facts = new CustomerFacts("odoo:res.partner:14", "Azure Interior", records);
 * CustomerFacts unclear = CustomerFacts.ambiguousSender();
 * }</pre>
 */
public record CustomerFacts(String customerId, String customerName, List<ErpRecord> records, boolean ambiguous) {
    public CustomerFacts {
        Objects.requireNonNull(customerId, "customerId");
        customerName = customerName == null ? "" : customerName;
        records = List.copyOf(records);
        if (ambiguous && (!customerId.isEmpty() || !customerName.isEmpty() || !records.isEmpty())) {
            throw new IllegalArgumentException("ambiguous facts must name no customer and hold no records");
        }
    }

    /** The facts of one known customer. */
    public CustomerFacts(String customerId, String customerName, List<ErpRecord> records) {
        this(customerId, customerName, records, false);
    }

    /** The sender's address matches several unrelated customers: no customer, no records, review the reply. */
    public static CustomerFacts ambiguousSender() {
        return new CustomerFacts("", "", List.of(), true);
    }
}
