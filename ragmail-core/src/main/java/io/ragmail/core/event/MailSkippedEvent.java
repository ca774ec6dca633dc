package io.ragmail.core.event;

import io.ragmail.core.MailKey;
import io.ragmail.core.MailOutcome;

import java.time.Instant;
import java.util.Objects;

/**
 * A mail will not be answered, and why (a loop guard, a rate limit, unreadable content). {@code outcome}
 * tells whether anybody needs it: {@link MailOutcome#IGNORED} (auto-reply, bounce, list mail) or
 * {@link MailOutcome#NEEDS_PERSON} (over a limit, unreadable): count the latter as work for people.
 */
public record MailSkippedEvent(MailKey key, String reason, MailOutcome outcome, Instant at) {

    public MailSkippedEvent {
        Objects.requireNonNull(outcome, "outcome");
    }

    /** A skip without a kind, counted as {@link MailOutcome#IGNORED}. */
    public MailSkippedEvent(MailKey key, String reason, Instant at) {
        this(key, reason, MailOutcome.IGNORED, at);
    }

    /** Whether a person should read the mail although it was not answered. */
    public boolean needsPerson() {
        return outcome == MailOutcome.NEEDS_PERSON;
    }
}
