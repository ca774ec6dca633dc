package io.ragmail.core;

import java.util.Optional;

/**
 * Facts about one sender from the company's ERP. Every call is scoped to the sender's identity:
 * there is deliberately no call that reads another customer's data, so nothing a mail says can make
 * ragmail reveal it. {@link NoopErpClient} knows no one.
 *
 * <pre>{@code
 * Optional<CustomerFacts> facts = erp.factsFor(new SenderIdentity(mail.from(), true));
 * }</pre>
 */
public interface ErpClient {

    /**
     * The customer behind this sender and their own records; empty when the sender is not a known
     * customer. Implementations return private records (orders, invoices) only when
     * {@link SenderIdentity#verified()} is true.
     *
     * @throws RetriableException while the ERP cannot be reached
     */
    Optional<CustomerFacts> factsFor(SenderIdentity sender);
}
