package io.ragmail.core;

import java.util.List;
import java.util.Objects;

/**
 * What the ERP knows about one sender: their customer record and their own orders, invoices and
 * deliveries. Never holds another customer's data: an {@link ErpClient} builds it from queries
 * scoped to the sender.
 */
public record CustomerFacts(String customerId, String customerName, List<ErpRecord> records) {
    public CustomerFacts {
        Objects.requireNonNull(customerId, "customerId");
        customerName = customerName == null ? "" : customerName;
        records = List.copyOf(records);
    }
}
