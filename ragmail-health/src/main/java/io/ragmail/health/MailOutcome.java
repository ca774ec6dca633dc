package io.ragmail.health;

import java.util.Locale;

/** What became of a mail, as far as the health monitor has heard. *
 * <pre>{@code
 * long failed = snapshot.recentMails().stream().filter(m -> m.outcome() == MailOutcome.DEAD).count();
 * }</pre>
 */
public enum MailOutcome {
    /** Received, still being worked on. */
    RECEIVED,
    SENT,
    /** Filed as a draft for a person to review. */
    REVIEW,
    SKIPPED,
    /** An attempt failed; it will be tried again. */
    RETRY,
    /** In the failed-mail queue, waiting for an operator. */
    DEAD;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
