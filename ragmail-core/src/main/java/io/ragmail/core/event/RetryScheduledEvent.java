package io.ragmail.core.event;

import io.ragmail.core.MailKey;

import java.time.Instant;

/**
 * An attempt failed with a fault that may pass; the mail will be tried again at {@code nextAttemptAt}.
 * {@code component} is the one that failed, named in the {@link io.ragmail.core.Component} vocabulary.
 */
public record RetryScheduledEvent(MailKey key, int attempt, Instant nextAttemptAt, String component,
        String error, Instant at) {
}
