package io.ragmail.core.event;

import io.ragmail.core.MailKey;

import java.time.Duration;
import java.time.Instant;

/** A reply went to the customer; {@code sinceReceived} is the mail's whole time in the pipeline. */
public record ReplySentEvent(MailKey key, String replyMessageId, Duration sinceReceived, Instant at) {
}
