package io.ragmail.health;

import io.ragmail.core.MailKey;

import java.time.Instant;
import java.util.Objects;

/**
 * One mail in the failed-mail queue (ledger state DEAD), as the dashboard shows it: no body, the
 * sender's domain only, the subject unless redacted.
 *
 * <pre>{@code
 * for (QueuedMail m : monitor.snapshot().queue().failed()) monitor.retry(m.key());
 * }</pre>
 */
public record QueuedMail(MailKey key, Instant receivedAt, Instant failedAt, String senderDomain, String subject,
        String error, int attempts) {
    public QueuedMail {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(receivedAt, "receivedAt");
        Objects.requireNonNull(failedAt, "failedAt");
        senderDomain = senderDomain == null ? "" : senderDomain;
        subject = subject == null ? "" : subject;
        error = error == null ? "" : error;
    }
}
