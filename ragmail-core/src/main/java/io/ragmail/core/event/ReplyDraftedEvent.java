package io.ragmail.core.event;

import io.ragmail.core.MailKey;
import io.ragmail.core.TokenUsage;

import java.time.Duration;
import java.time.Instant;

/** The drafter produced a reply; {@code took} covers ERP look-up, retrieval and drafting. */
public record ReplyDraftedEvent(MailKey key, double confidence, TokenUsage usage, Duration took, Instant at) {
}
