package io.ragmail.core.ledger;

import io.ragmail.core.MailKey;
import io.ragmail.core.NonRetriableException;

/**
 * A transition the state machine does not allow from the mail's current state, usually because
 * another worker moved the mail first. The mail's row is unchanged.
 */
public class LedgerConflictException extends NonRetriableException {

    private static final long serialVersionUID = 1L;

    private final transient MailKey key;
    private final MailState actual;
    private final MailState wanted;

    public LedgerConflictException(MailKey key, MailState actual, MailState wanted) {
        super("ledger", "cannot move " + key + " from " + actual + " to " + wanted);
        this.key = key;
        this.actual = actual;
        this.wanted = wanted;
    }

    public MailKey key() {
        return key;
    }

    public MailState actual() {
        return actual;
    }

    public MailState wanted() {
        return wanted;
    }
}
