package io.ragmail.core.ledger;

/** What happens to a stored reply: sent to the customer, or filed for a person to review. */
public enum Disposition {
    SEND,
    REVIEW
}
