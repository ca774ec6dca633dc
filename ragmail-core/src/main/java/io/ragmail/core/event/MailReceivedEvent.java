package io.ragmail.core.event;

import io.ragmail.core.EmailAddress;
import io.ragmail.core.MailKey;

import java.time.Instant;

/** A mail entered the pipeline for the first time. */
public record MailReceivedEvent(MailKey key, EmailAddress from, String subject, Instant at) {
}
