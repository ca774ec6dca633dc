package io.ragmail.core;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link Drafter} gets: the mail, the passages retrieved for it, and the sender's ERP facts
 * when the sender is a known, verified customer.
 */
public record DraftRequest(InboundMail mail, List<Passage> passages, Optional<CustomerFacts> customerFacts) {
    public DraftRequest {
        Objects.requireNonNull(mail, "mail");
        passages = List.copyOf(passages);
        Objects.requireNonNull(customerFacts, "customerFacts");
    }
}
