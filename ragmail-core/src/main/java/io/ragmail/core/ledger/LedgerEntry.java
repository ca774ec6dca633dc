package io.ragmail.core.ledger;

import io.ragmail.core.InboundMail;
import io.ragmail.core.MailKey;
import io.ragmail.core.MailOutcome;
import io.ragmail.core.OutboundReply;
import io.ragmail.core.TokenUsage;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One mail's row in the processing ledger.
 *
 * @param key           mailbox and Message-ID
 * @param state         where the mail stands
 * @param mail          the mail as it was admitted, so retries need not fetch it again
 * @param reply         the stored reply once drafted (the outbox), else {@code null}
 * @param disposition   whether the stored reply is to be sent or filed for review, else {@code null}
 * @param attempts      how many attempts have failed so far
 * @param nextAttemptAt when a mail in RETRY is due, else {@code null}
 * @param reason        why it was skipped, the last error, or the review reasons; empty when none
 * @param usage         tokens spent on this mail so far
 * @param receivedAt    when the ledger first saw the mail
 * @param updatedAt     the last transition
 * @param cost          what {@code usage} cost (priced by the pipeline's {@link io.ragmail.core.TokenPricing});
 *                      zero when free, unknown, or not stored by the ledger
 * @param currency      the cost's currency, such as {@code "EUR"}; empty when unknown
 * @param outcome       once terminal, what the source is told when the mail is acknowledged: ANSWERED for
 *                      SENT and REVIEW, IGNORED or NEEDS_PERSON for SKIPPED, NEEDS_PERSON for DEAD;
 *                      {@code null} while the mail is still being processed
 * @param acknowledgedAt when the source confirmed the acknowledgement of the terminal outcome;
 *                      {@code null} until then (the pipeline retries it)
 * @param waitingOn     for a mail in RETRY, the component whose fault it waits on (such as
 *                      {@code "mistral"}, a {@link io.ragmail.core.Component} name); empty when none or unknown
 */
public record LedgerEntry(
        MailKey key,
        MailState state,
        InboundMail mail,
        OutboundReply reply,
        Disposition disposition,
        int attempts,
        Instant nextAttemptAt,
        String reason,
        TokenUsage usage,
        Instant receivedAt,
        Instant updatedAt,
        BigDecimal cost,
        String currency,
        MailOutcome outcome,
        Instant acknowledgedAt,
        String waitingOn) {

    public LedgerEntry {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(mail, "mail");
        reason = reason == null ? "" : reason;
        usage = usage == null ? TokenUsage.NONE : usage;
        Objects.requireNonNull(receivedAt, "receivedAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        cost = cost == null ? BigDecimal.ZERO : cost;
        currency = currency == null ? "" : currency;
        waitingOn = waitingOn == null ? "" : waitingOn;
    }

    /** An entry as ledgers without acknowledgement tracking create it: no outcome, not acknowledged. */
    public LedgerEntry(MailKey key, MailState state, InboundMail mail, OutboundReply reply, Disposition disposition,
            int attempts, Instant nextAttemptAt, String reason, TokenUsage usage, Instant receivedAt, Instant updatedAt,
            BigDecimal cost, String currency) {
        this(key, state, mail, reply, disposition, attempts, nextAttemptAt, reason, usage, receivedAt, updatedAt,
                cost, currency, null, null, "");
    }

    /** An entry without a cost (zero, currency unknown), as ledgers that do not price tokens create it. */
    public LedgerEntry(MailKey key, MailState state, InboundMail mail, OutboundReply reply, Disposition disposition,
            int attempts, Instant nextAttemptAt, String reason, TokenUsage usage, Instant receivedAt, Instant updatedAt) {
        this(key, state, mail, reply, disposition, attempts, nextAttemptAt, reason, usage, receivedAt, updatedAt,
                BigDecimal.ZERO, "");
    }

    public Optional<OutboundReply> storedReply() {
        return Optional.ofNullable(reply);
    }

    /** Whether the source has confirmed that it recorded this mail's terminal outcome. */
    public boolean acknowledged() {
        return acknowledgedAt != null;
    }

    /**
     * What the source is to be told for this mail: the stored outcome, or the one its state implies
     * (for ledgers that do not store one).
     */
    public Optional<MailOutcome> acknowledgement() {
        if (outcome != null) {
            return Optional.of(outcome);
        }
        return switch (state) {
            case SENT, REVIEW -> Optional.of(MailOutcome.ANSWERED);
            case SKIPPED -> Optional.of(MailOutcome.IGNORED);
            case DEAD -> Optional.of(MailOutcome.NEEDS_PERSON);
            default -> Optional.empty();
        };
    }
}
