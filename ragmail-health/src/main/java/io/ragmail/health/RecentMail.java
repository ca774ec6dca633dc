package io.ragmail.health;

import io.ragmail.core.MailKey;

import java.time.Instant;
import java.util.Objects;

/**
 * One of the most recent mails, for the dashboard. Holds no body and no full address: the sender's
 * domain only, and the subject unless subjects are redacted ({@code HealthMonitor.Builder#redactSubjects}).
 *
 * <pre>{@code
 * monitor.snapshot().recentMails().forEach(m -> out.println(m.senderDomain() + " " + m.outcome().label()));
 * }</pre>
 *
 * @param key          the ledger key
 * @param receivedAt   when it entered the pipeline (or was first heard of)
 * @param senderDomain the sender's domain, empty when unknown
 * @param subject      the subject; empty when unknown, {@link HealthMonitor#REDACTED} when redacted
 * @param outcome      where it stands
 * @param reason       why it was skipped, filed for review or failed; empty when none
 * @param updatedAt    when the outcome was last set
 */
public record RecentMail(MailKey key, Instant receivedAt, String senderDomain, String subject, MailOutcome outcome,
        String reason, Instant updatedAt) {
    public RecentMail {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(receivedAt, "receivedAt");
        senderDomain = senderDomain == null ? "" : senderDomain;
        subject = subject == null ? "" : subject;
        Objects.requireNonNull(outcome, "outcome");
        reason = reason == null ? "" : reason;
        Objects.requireNonNull(updatedAt, "updatedAt");
    }
}
