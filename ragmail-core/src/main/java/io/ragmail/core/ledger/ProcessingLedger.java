package io.ragmail.core.ledger;

import io.ragmail.core.InboundMail;
import io.ragmail.core.MailKey;
import io.ragmail.core.OutboundReply;
import io.ragmail.core.TokenUsage;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The durable record of every mail seen and where it stands: the source of truth that makes
 * ragmail answer each mail exactly once. Each method is one transaction; each transition is checked
 * against {@link MailState#canMoveTo} and fails with {@link LedgerConflictException} when the mail is
 * no longer where the caller thought it was. The default is {@link SqliteLedger}.
 *
 * <pre>{@code
 * try (ProcessingLedger ledger = SqliteLedger.open(dataDir.resolve("ledger.db"))) {
 *     if (ledger.admit(mail, clock.instant()).isNew()) { ... }
 * }
 * }</pre>
 */
public interface ProcessingLedger extends AutoCloseable {

    /** The result of {@link #admit}: the mail's entry, and whether the ledger saw it first now. */
    record Admission(LedgerEntry entry, boolean isNew) {
    }

    /** Records the mail as RECEIVED unless its key is already known; returns its entry either way. */
    Admission admit(InboundMail mail, Instant now);

    Optional<LedgerEntry> find(MailKey key);

    /** RECEIVED or RETRY (or DRAFTING, on recovery) → DRAFTING. */
    LedgerEntry markDrafting(MailKey key, Instant now);

    /** RECEIVED, DRAFTING or RETRY → SKIPPED, with the reason. */
    LedgerEntry markSkipped(MailKey key, String reason, Instant now);

    /** DRAFTING → SENDING: stores the reply (the outbox) before anything is delivered. */
    LedgerEntry storeReply(MailKey key, OutboundReply reply, Disposition disposition, TokenUsage usage,
            Instant now);

    /**
     * {@link #storeReply(MailKey, OutboundReply, Disposition, TokenUsage, Instant)} that also records
     * what the tokens cost, in {@code currency} (empty when unknown). The default keeps ledgers
     * written before costs were recorded working: it stores the reply and drops the cost; override it
     * to keep the cost ({@link SqliteLedger} does).
     */
    default LedgerEntry storeReply(MailKey key, OutboundReply reply, Disposition disposition, TokenUsage usage,
            BigDecimal cost, String currency, Instant now) {
        return storeReply(key, reply, disposition, usage, now);
    }

    /** RETRY → SENDING for a mail whose reply is already stored: deliver that same reply again. */
    LedgerEntry resumeSending(MailKey key, Instant now);

    /** SENDING → SENT (disposition SEND) or REVIEW (disposition REVIEW). */
    LedgerEntry markDelivered(MailKey key, Instant now);

    /** A failed attempt: → RETRY, due at {@code nextAttemptAt}, with the error and attempt count. */
    LedgerEntry scheduleRetry(MailKey key, int attempts, Instant nextAttemptAt, String error, Instant now);

    /** → DEAD, the failed-mail queue, with the error. */
    LedgerEntry markDead(MailKey key, String error, Instant now);

    /** An operator's retry of a DEAD mail: DEAD → RETRY, due now, attempts reset. */
    LedgerEntry requeue(MailKey key, Instant now);

    /**
     * An operator's drop of a DEAD mail: DEAD → SKIPPED with the reason; it will not be answered.
     * Fails with {@link LedgerConflictException} when the mail is not DEAD. The default checks the
     * state and then skips (two steps); {@link SqliteLedger} does both in one transaction.
     */
    default LedgerEntry drop(MailKey key, String reason, Instant now) {
        LedgerEntry current = find(key).orElseThrow(() -> new UnknownMailException(key));
        if (current.state() != MailState.DEAD) {
            throw new LedgerConflictException(key, current.state(), MailState.SKIPPED);
        }
        return markSkipped(key, reason, now);
    }

    /** Entries in the given state, oldest first, at most {@code limit}. */
    List<LedgerEntry> inState(MailState state, int limit);

    /** Entries in RETRY whose time has come, oldest due first, at most {@code limit}. */
    List<LedgerEntry> dueForRetry(Instant now, int limit);

    /** Replies sent or being sent to this sender (normalized address) since the instant. */
    int countRepliesToSender(String sender, Instant since);

    /** Replies sent or being sent in this thread since the instant. */
    int countRepliesInThread(String threadKey, Instant since);

    /** How many entries are in each state. */
    Map<MailState, Long> countByState();

    /** Deletes terminal entries last updated before the instant; returns how many. */
    int purgeTerminalBefore(Instant before);

    @Override
    void close();
}
