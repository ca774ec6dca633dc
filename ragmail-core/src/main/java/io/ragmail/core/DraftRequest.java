package io.ragmail.core;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link Drafter} gets: the mail, the passages retrieved for it, the sender's ERP facts when
 * the sender is a known, verified customer, who the sender is, and whether private account data was
 * withheld because the sender could not be verified.
 *
 * <p>When {@code privateDataWithheld} is true, the drafter should answer the general question only
 * and ask the customer to write again from the address registered with the company.
 *
 * <pre>{@code
 * DraftRequest request = new DraftRequest(mail, passages, Optional.empty(),
 *         new SenderIdentity(mail.from(), false, "no Authentication-Results"), true);
 * }</pre>
 *
 * @param mail                the customer's mail (untrusted content)
 * @param passages            knowledge passages, best first; a draft may cite only their source ids
 * @param customerFacts       the sender's ERP facts; always empty for an unverified sender
 * @param sender              who the sender is and whether that was verified
 * @param privateDataWithheld whether the ERP knows the sender but their facts were held back
 * @param evidence            how strongly the passages support an answer, as the search measured it
 *                            ({@link EvidenceStrength#UNKNOWN} when not measured)
 */
public record DraftRequest(InboundMail mail, List<Passage> passages, Optional<CustomerFacts> customerFacts,
        SenderIdentity sender, boolean privateDataWithheld, EvidenceStrength evidence) {

    public DraftRequest {
        Objects.requireNonNull(mail, "mail");
        Objects.requireNonNull(evidence, "evidence");
        passages = List.copyOf(passages);
        Objects.requireNonNull(customerFacts, "customerFacts");
        Objects.requireNonNull(sender, "sender");
        if (customerFacts.isPresent() && !sender.verified()) {
            throw new IllegalArgumentException("customerFacts must be empty for an unverified sender");
        }
    }

    /** A request whose evidence strength was not measured. */
    public DraftRequest(InboundMail mail, List<Passage> passages, Optional<CustomerFacts> customerFacts,
            SenderIdentity sender, boolean privateDataWithheld) {
        this(mail, passages, customerFacts, sender, privateDataWithheld, EvidenceStrength.UNKNOWN);
    }

    /**
     * For callers that verified the sender themselves (as before senders were verified by the
     * pipeline): the sender is the mail's {@code From}, counted as verified, nothing withheld.
     */
    public DraftRequest(InboundMail mail, List<Passage> passages, Optional<CustomerFacts> customerFacts) {
        this(mail, passages, customerFacts, new SenderIdentity(mail.from(), true, "verified by the caller"), false);
    }
}
