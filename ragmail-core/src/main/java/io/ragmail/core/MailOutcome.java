package io.ragmail.core;

/**
 * What became of a mail, as the pipeline tells its {@link MailSource} when it
 * {@linkplain MailSource#acknowledge acknowledges} it. It decides whether the original may leave a
 * person's sight: a mail nobody answered for a reason a person should know about stays visible.
 */
public enum MailOutcome {

    /** A reply was sent, or filed for review as a draft. */
    ANSWERED,

    /** Needs nobody: an auto-reply, a bounce, a mailing-list message or our own mail (RFC 3834). */
    IGNORED,

    /**
     * Not answered, and a person should read it: over a limit (size, per-sender rate), unreadable,
     * or given up on (the failed-mail queue). The source must not hide it (no {@code \Seen}, no move
     * out of the folder) but must still remember that it was handled.
     */
    NEEDS_PERSON;

    /** Whether the source may hide the mail from people (mark it read, move it away). */
    public boolean mayHide() {
        return this != NEEDS_PERSON;
    }
}
