package io.ragmail.core.ledger;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where one mail stands. The transitions allowed between states are defined here, once, for every
 * ledger implementation:
 *
 * <pre>
 * RECEIVED ─► SKIPPED(reason)
 *    │
 *    ▼
 * DRAFTING ─► SENDING (reply stored in the outbox) ─► SENT | REVIEW
 *    │            │
 *    ▼            ▼
 * RETRY(attempt, next_at) ◄─► DEAD(error) ─(operator)─► RETRY | SKIPPED (dropped)
 * </pre>
 *
 * A reply for review also passes through SENDING while it is being filed, so that a crash while
 * filing is resolved like a crash while sending. A mail whose delivery failed goes to RETRY with its
 * stored reply and later straight back to SENDING: the same reply, with the same Message-ID, is
 * delivered, never a second, different one.
 */
public enum MailState {
    RECEIVED,
    SKIPPED,
    DRAFTING,
    SENDING,
    SENT,
    REVIEW,
    RETRY,
    DEAD;

    /** Whether the mail is done: it will not be processed again unless an operator asks. */
    public boolean isTerminal() {
        return this == SKIPPED || this == SENT || this == REVIEW || this == DEAD;
    }

    /** The states this one may move to. */
    public Set<MailState> next() {
        return switch (this) {
            case RECEIVED -> EnumSet.of(DRAFTING, SKIPPED, RETRY, DEAD);
            case DRAFTING -> EnumSet.of(DRAFTING, SKIPPED, SENDING, RETRY, DEAD);
            case SENDING -> EnumSet.of(SENT, REVIEW, RETRY, DEAD);
            case RETRY -> EnumSet.of(DRAFTING, SKIPPED, SENDING, RETRY, DEAD);
            case DEAD -> EnumSet.of(RETRY, SKIPPED);
            case SKIPPED, SENT, REVIEW -> EnumSet.noneOf(MailState.class);
        };
    }

    public boolean canMoveTo(MailState target) {
        return next().contains(target);
    }
}
