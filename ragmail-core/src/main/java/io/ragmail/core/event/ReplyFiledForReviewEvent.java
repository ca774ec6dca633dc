package io.ragmail.core.event;

import io.ragmail.core.MailKey;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** A reply was filed for a person to review, with the reasons. */
public record ReplyFiledForReviewEvent(MailKey key, String replyMessageId, List<String> reasons,
        Duration sinceReceived, Instant at) {
    public ReplyFiledForReviewEvent {
        reasons = List.copyOf(reasons);
    }
}
