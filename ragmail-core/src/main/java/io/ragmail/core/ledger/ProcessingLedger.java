package io.ragmail.core.ledger;

import io.ragmail.core.InboundMail;
import io.ragmail.core.MailKey;
import io.ragmail.core.MailOutcome;
import io.ragmail.core.OutboundReply;
import io.ragmail.core.TokenUsage;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The durable record of every mail seen and where it stands: the source of truth that makes
 * ragmail answer each mail exactly once. The default is {@link SqliteLedger}.
 *
 * <p>The rules every implementation follows (the pipeline relies on them; the testkit's
 * {@code ProcessingLedgerContract} checks them, so extend it to test your own):
 * <ul>
 *   <li><b>States.</b> A mail is in one {@link MailState}; a method moves it only along
 *       {@link MailState#canMoveTo}. A mail not where the caller thought (another worker or process
 *       moved it) fails with {@link LedgerConflictException} and is left unchanged; an unknown key
 *       fails with {@link UnknownMailException}.</li>
 *   <li><b>One transaction per method.</b> A transition, with everything it records (reply, error,
 *       counts, due time), is durable and visible in full or not at all; of two concurrent
 *       transitions of one mail exactly one wins.</li>
 *   <li><b>{@link #admit} is idempotent per key</b>: a key seen before (even purged) returns its entry
 *       unchanged and {@code isNew == false}; of concurrent admits of one mail exactly one is new.</li>
 *   <li><b>{@link #startDrafting} counts the attempt and the quota in the same transaction</b> as the
 *       move to DRAFTING, so an attempt that never ends still counts and concurrent mails from one
 *       sender pass the {@link ReplyQuota} only as often as it allows. Replies count against the quota
 *       while SENDING or SENT with disposition SEND; replies for review, skipped and dead mail do not.</li>
 *   <li><b>The reply is stored before it is delivered</b> ({@link #storeReply}, the outbox) and never
 *       replaced: a retry delivers the same reply ({@link #resumeSending}).</li>
 *   <li><b>Waiting on a component.</b> {@link #scheduleRetry(MailKey, int, Instant, String, String, Instant)}
 *       records the {@link io.ragmail.core.Component} the mail waits on; {@link #wake} makes mails
 *       waiting on it due now, earliest due first, and leaves mail already due (or waiting on nothing)
 *       as it is.</li>
 *   <li><b>Acknowledgement tracking.</b> A terminal mail is listed by {@link #unacknowledged} until
 *       {@link #markAcknowledged} records that the source confirmed its outcome; this changes no
 *       state. {@link LedgerEntry#acknowledgement()} is the outcome to tell the source: ANSWERED for
 *       SENT and REVIEW, IGNORED for SKIPPED unless the skip named another, NEEDS_PERSON for DEAD.</li>
 *   <li><b>Purge leaves tombstones.</b> {@link #purgeTerminalBefore} drops only acknowledged
 *       terminal entries, keeping key, state, outcome and sender, so a mail that comes back is
 *       recognised and not answered again. Tombstones are neither listed ({@link #inState},
 *       {@link #unacknowledged}, {@link #dueForRetry}) nor counted ({@link #countByState}).</li>
 *   <li><b>Operators.</b> {@link #requeue}: DEAD or RETRY → RETRY due now, attempts reset; refused
 *       for any other state and for a purged mail. {@link #drop}: DEAD → SKIPPED with the reason and
 *       outcome {@link MailOutcome#NEEDS_PERSON}; refused unless DEAD.</li>
 * </ul>
 * Default methods exist so that older implementations keep compiling; several are weaker than the
 * rules above (not atomic, or recording nothing), and a new implementation should override them.
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

    /**
     * Records the mail as RECEIVED unless its key is already known; returns its entry either way.
     *
     * <p>A ledger that stores the sender ({@link SqliteLedger} does) never lets two different senders'
     * mails share one entry: when a mail reuses a Message-ID already admitted from another sender, it
     * is admitted under {@link MailKey#forSender} instead, and the returned entry (and its mail) carry
     * that key. Callers use {@code admission.entry().key()} from here on, not {@code mail.key()}.
     */
    Admission admit(InboundMail mail, Instant now);

    Optional<LedgerEntry> find(MailKey key);

    /** RECEIVED or RETRY (or DRAFTING, on recovery) → DRAFTING. */
    LedgerEntry markDrafting(MailKey key, Instant now);

    /** RECEIVED, DRAFTING or RETRY → SKIPPED, with the reason; the outcome is {@link MailOutcome#IGNORED}. */
    LedgerEntry markSkipped(MailKey key, String reason, Instant now);

    /**
     * RECEIVED, DRAFTING or RETRY → SKIPPED, with the reason and the outcome the source is told, so that
     * a restart acknowledges the mail the same way: {@link MailOutcome#IGNORED} for mail nobody needs,
     * {@link MailOutcome#NEEDS_PERSON} for mail a person should read. The default drops the outcome
     * (ledgers written before outcomes were stored); override it.
     */
    default LedgerEntry markSkipped(MailKey key, String reason, MailOutcome outcome, Instant now) {
        return markSkipped(key, reason, now);
    }

    /**
     * RECEIVED, DRAFTING or RETRY → DRAFTING, counting the attempt ({@code attempts + 1}) in the same
     * transaction, so that an attempt that never ends (a crash, a hung call, an exception nobody
     * caught) still counts. A mail that has not yet been counted against the quota is counted now,
     * also in the same transaction: replies reserved by mails being drafted count, so concurrent
     * mails from one sender cannot all pass. A mail already counted (a retry) is not checked again.
     *
     * <p>The default is not atomic (it checks {@link #countRepliesToSender} and
     * {@link #countRepliesInThread}, then calls {@link #markDrafting}); {@link SqliteLedger} is.
     *
     * @throws QuotaExceededException when the quota is used up; the row is unchanged
     */
    default LedgerEntry startDrafting(MailKey key, ReplyQuota quota, Instant now) {
        LedgerEntry current = find(key).orElseThrow(() -> new UnknownMailException(key));
        if (current.attempts() == 0) {
            String sender = current.mail().from().normalized();
            int toSender = countRepliesToSender(sender, now.minus(quota.senderWindow()));
            if (toSender >= quota.maxPerSender()) {
                throw new QuotaExceededException(key, QuotaExceededException.Scope.SENDER, sender, toSender,
                        quota.senderWindow());
            }
            String thread = current.mail().threadKey();
            int inThread = countRepliesInThread(thread, now.minus(quota.threadWindow()));
            if (inThread >= quota.maxPerThread()) {
                throw new QuotaExceededException(key, QuotaExceededException.Scope.THREAD, thread, inThread,
                        quota.threadWindow());
            }
        }
        return markDrafting(key, now);
    }

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

    /**
     * RETRY → SENDING for a mail whose reply is already stored: deliver that same reply again. A ledger
     * that counts attempts when they start ({@link SqliteLedger}) counts this one too.
     */
    LedgerEntry resumeSending(MailKey key, Instant now);

    /** SENDING → SENT (disposition SEND) or REVIEW (disposition REVIEW). */
    LedgerEntry markDelivered(MailKey key, Instant now);

    /** A failed attempt: → RETRY, due at {@code nextAttemptAt}, with the error and attempt count. */
    LedgerEntry scheduleRetry(MailKey key, int attempts, Instant nextAttemptAt, String error, Instant now);

    /**
     * {@link #scheduleRetry(MailKey, int, Instant, String, Instant)} that also records which component
     * the mail waits on, so that {@link #wake} can bring it forward when that component answers again.
     * The default drops the component.
     */
    default LedgerEntry scheduleRetry(MailKey key, int attempts, Instant nextAttemptAt, String error,
            String waitingOn, Instant now) {
        return scheduleRetry(key, attempts, nextAttemptAt, error, now);
    }

    /**
     * Makes up to {@code limit} mails in RETRY that wait on {@code component} due now (earliest due
     * first); mails already due are left as they are. Returns how many were brought forward. The
     * default brings none forward.
     */
    default int wake(String component, int limit, Instant now) {
        return 0;
    }

    /** → DEAD, the failed-mail queue, with the error. */
    LedgerEntry markDead(MailKey key, String error, Instant now);

    /**
     * An operator's retry of a DEAD mail, or of a mail waiting in RETRY: → RETRY, due now, attempts
     * reset. A mail whose body was purged ({@link #purgeTerminalBefore}) cannot be requeued.
     */
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
        return markSkipped(key, reason, MailOutcome.NEEDS_PERSON, now);
    }

    /**
     * Records that the source confirmed the acknowledgement of a terminal mail's outcome. Not a state
     * transition: the state stays. The default records nothing.
     */
    default LedgerEntry markAcknowledged(MailKey key, Instant now) {
        return find(key).orElseThrow(() -> new UnknownMailException(key));
    }

    /**
     * Terminal entries whose acknowledgement the source has not confirmed, oldest first, at most
     * {@code limit}: the pipeline acknowledges them again. The default returns none.
     */
    default List<LedgerEntry> unacknowledged(int limit) {
        return List.of();
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

    /**
     * Retention: drops what terminal entries last updated before the instant hold (the mail, the reply,
     * the history) and returns how many. Only entries whose acknowledgement the source confirmed are
     * purged, and each keeps a small tombstone (key, state, outcome, sender), so that a mail still on
     * the server that comes back is recognised and acknowledged, never answered again. Tombstones are
     * not listed by {@link #inState} nor counted by {@link #countByState}.
     */
    int purgeTerminalBefore(Instant before);

    @Override
    void close();
}
