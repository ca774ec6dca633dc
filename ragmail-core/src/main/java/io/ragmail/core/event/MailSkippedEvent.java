package io.ragmail.core.event;

import io.ragmail.core.MailKey;

import java.time.Instant;

/** A mail will not be answered, and why (a loop guard, a rate limit, unreadable content). */
public record MailSkippedEvent(MailKey key, String reason, Instant at) {
}
