package io.ragmail.core.ledger;

import io.ragmail.core.MailKey;
import io.ragmail.core.NonRetriableException;

import java.time.Duration;

/**
 * {@link ProcessingLedger#startDrafting} refused to start drafting because the sender or the thread
 * already had its share of replies ({@link ReplyQuota}). The mail's row is unchanged; the caller
 * skips it as one a person should read.
 */
public class QuotaExceededException extends NonRetriableException {

    private static final long serialVersionUID = 1L;

    /** Which limit was reached. */
    public enum Scope { SENDER, THREAD }

    private final transient MailKey key;
    private final Scope scope;
    private final String subject;
    private final int replies;
    private final Duration window;

    /**
     * @param subject the normalized sender address or the thread key
     * @param replies replies already counted in the window
     */
    public QuotaExceededException(MailKey key, Scope scope, String subject, int replies, Duration window) {
        super("ledger", describe(scope, subject, replies, window));
        this.key = key;
        this.scope = scope;
        this.subject = subject;
        this.replies = replies;
        this.window = window;
    }

    public MailKey key() {
        return key;
    }

    public Scope scope() {
        return scope;
    }

    public String subject() {
        return subject;
    }

    public int replies() {
        return replies;
    }

    public Duration window() {
        return window;
    }

    /** The skip reason: {@code "rate limit: 3 replies to ada@example.com in the last 1 day"}. */
    public String reason() {
        return getMessage();
    }

    private static String describe(Scope scope, String subject, int replies, Duration window) {
        String count = replies == 1 ? "1 reply" : replies + " replies";
        String where = scope == Scope.SENDER ? " to " + subject : " in thread " + subject;
        return "rate limit: " + count + where + " in the last " + ReplyQuota.describe(window);
    }
}
