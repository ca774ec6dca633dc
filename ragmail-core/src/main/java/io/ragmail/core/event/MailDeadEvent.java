package io.ragmail.core.event;

import io.ragmail.core.MailKey;

import java.time.Instant;

/**
 * A mail went to the failed-mail queue; an operator can retry it. {@code component} is the one that
 * failed, named in the {@link io.ragmail.core.Component} vocabulary.
 */
public record MailDeadEvent(MailKey key, String component, String error, Instant at) {
}
