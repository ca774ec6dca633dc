package io.ragmail.core.ledger;

import io.ragmail.core.MailKey;
import io.ragmail.core.NonRetriableException;

/**
 * A transition was asked for a mail the ledger does not know: it was never admitted, or its entry
 * was purged. Nothing was changed.
 *
 * <pre>{@code
 * try {
 *     ledger.markDrafting(key, now);
 * } catch (UnknownMailException e) {
 *     log.warn("{} is not in the ledger", e.key());
 * }
 * }</pre>
 */
public class UnknownMailException extends NonRetriableException {

    private static final long serialVersionUID = 1L;

    private final transient MailKey key;

    public UnknownMailException(MailKey key) {
        super("ledger", "no ledger entry for " + key);
        this.key = key;
    }

    public MailKey key() {
        return key;
    }
}
