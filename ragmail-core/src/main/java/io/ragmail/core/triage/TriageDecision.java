package io.ragmail.core.triage;

import io.ragmail.core.MailOutcome;

import java.util.Objects;

/**
 * Whether to answer a mail; when not, why (recorded in the ledger as the skip reason) and what kind of
 * skip it is: {@link MailOutcome#IGNORED} for mail nobody needs (auto-replies, bounces, lists, our own
 * mail), {@link MailOutcome#NEEDS_PERSON} for mail a person should still read (over a rate limit or a
 * size cap, unreadable). The kind decides how the mail is acknowledged and is counted on the
 * dashboard; it is a type, never read from the reason text.
 *
 * <pre>{@code
 * TriageDecision.skip("auto-submitted: auto-replied (RFC 3834)");          // IGNORED
 * TriageDecision.needsPerson("rate limit: 20 replies to ada@example.com"); // NEEDS_PERSON
 * }</pre>
 */
public record TriageDecision(boolean answer, String reason, MailOutcome outcome) {

    public static final TriageDecision ANSWER = new TriageDecision(true, "", MailOutcome.ANSWERED);

    public TriageDecision {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(outcome, "outcome");
        if (!answer && reason.isBlank()) {
            throw new IllegalArgumentException("a skip needs a reason");
        }
        if (!answer && outcome == MailOutcome.ANSWERED) {
            throw new IllegalArgumentException("a skip's outcome must be IGNORED or NEEDS_PERSON");
        }
    }

    /** A decision without a kind: a skip counts as {@link MailOutcome#IGNORED}. */
    public TriageDecision(boolean answer, String reason) {
        this(answer, reason, answer ? MailOutcome.ANSWERED : MailOutcome.IGNORED);
    }

    /** Never answered, and nobody needs to read it. */
    public static TriageDecision skip(String reason) {
        return new TriageDecision(false, reason, MailOutcome.IGNORED);
    }

    /** Not answered, but a person should read it: it stays visible in the mailbox. */
    public static TriageDecision needsPerson(String reason) {
        return new TriageDecision(false, reason, MailOutcome.NEEDS_PERSON);
    }
}
