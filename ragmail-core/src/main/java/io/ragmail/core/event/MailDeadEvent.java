package io.ragmail.core.event;

import io.ragmail.core.MailKey;

import java.time.Instant;

/** A mail went to the failed-mail queue; an operator can retry it. */
public record MailDeadEvent(MailKey key, String component, String error, Instant at) {
}
