package io.ragmail.it;

import io.ragmail.core.InboundMail;
import io.ragmail.core.MailKey;
import io.ragmail.core.MailOutcome;
import io.ragmail.core.OutboundReply;
import io.ragmail.core.TokenUsage;
import io.ragmail.core.ledger.Disposition;
import io.ragmail.core.ledger.LedgerEntry;
import io.ragmail.core.ledger.MailState;
import io.ragmail.core.ledger.ProcessingLedger;
import io.ragmail.core.ledger.ReplyQuota;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A real ledger that dies with the process: see {@link CrashSwitch}. */
final class CrashingLedger implements ProcessingLedger {

    enum CrashAfter { ADMIT, STORE_REPLY, NOTHING }

    private final ProcessingLedger ledger;
    private final CrashSwitch crash;
    private final CrashAfter after;

    CrashingLedger(ProcessingLedger ledger, CrashSwitch crash, CrashAfter after) {
        this.ledger = ledger;
        this.crash = crash;
        this.after = after;
    }

    @Override
    public Admission admit(InboundMail mail, Instant now) {
        crash.checkAlive("before admit");
        Admission admission = ledger.admit(mail, now);
        if (after == CrashAfter.ADMIT && admission.isNew()) {
            crash.afterStep("after admit of " + mail.key());
        }
        return admission;
    }

    @Override
    public LedgerEntry storeReply(MailKey key, OutboundReply reply, Disposition disposition, TokenUsage usage, Instant now) {
        crash.checkAlive("before storeReply");
        LedgerEntry entry = ledger.storeReply(key, reply, disposition, usage, now);
        if (after == CrashAfter.STORE_REPLY) {
            crash.afterStep("after storing the reply of " + key);
        }
        return entry;
    }

    @Override
    public Optional<LedgerEntry> find(MailKey key) {
        crash.checkAlive("find");
        return ledger.find(key);
    }

    @Override
    public LedgerEntry markDrafting(MailKey key, Instant now) {
        crash.checkAlive("markDrafting");
        return ledger.markDrafting(key, now);
    }

    @Override
    public LedgerEntry markSkipped(MailKey key, String reason, Instant now) {
        crash.checkAlive("markSkipped");
        return ledger.markSkipped(key, reason, now);
    }

    @Override
    public LedgerEntry resumeSending(MailKey key, Instant now) {
        crash.checkAlive("resumeSending");
        return ledger.resumeSending(key, now);
    }

    @Override
    public LedgerEntry markDelivered(MailKey key, Instant now) {
        crash.checkAlive("markDelivered");
        return ledger.markDelivered(key, now);
    }

    @Override
    public LedgerEntry scheduleRetry(MailKey key, int attempts, Instant nextAttemptAt, String error, Instant now) {
        crash.checkAlive("scheduleRetry");
        return ledger.scheduleRetry(key, attempts, nextAttemptAt, error, now);
    }

    @Override
    public LedgerEntry markDead(MailKey key, String error, Instant now) {
        crash.checkAlive("markDead");
        return ledger.markDead(key, error, now);
    }

    @Override
    public LedgerEntry requeue(MailKey key, Instant now) {
        crash.checkAlive("requeue");
        return ledger.requeue(key, now);
    }

    @Override
    public List<LedgerEntry> inState(MailState state, int limit) {
        crash.checkAlive("inState");
        return ledger.inState(state, limit);
    }

    @Override
    public List<LedgerEntry> dueForRetry(Instant now, int limit) {
        crash.checkAlive("dueForRetry");
        return ledger.dueForRetry(now, limit);
    }

    @Override
    public int countRepliesToSender(String sender, Instant since) {
        crash.checkAlive("countRepliesToSender");
        return ledger.countRepliesToSender(sender, since);
    }

    @Override
    public int countRepliesInThread(String threadKey, Instant since) {
        crash.checkAlive("countRepliesInThread");
        return ledger.countRepliesInThread(threadKey, since);
    }

    @Override
    public Map<MailState, Long> countByState() {
        crash.checkAlive("countByState");
        return ledger.countByState();
    }

    @Override
    public int purgeTerminalBefore(Instant before) {
        crash.checkAlive("purgeTerminalBefore");
        return ledger.purgeTerminalBefore(before);
    }

    @Override
    public LedgerEntry markSkipped(MailKey key, String reason, MailOutcome outcome, Instant now) {
        crash.checkAlive("markSkipped");
        return ledger.markSkipped(key, reason, outcome, now);
    }

    @Override
    public LedgerEntry startDrafting(MailKey key, ReplyQuota quota, Instant now) {
        crash.checkAlive("startDrafting");
        return ledger.startDrafting(key, quota, now);
    }

    @Override
    public LedgerEntry scheduleRetry(MailKey key, int attempts, Instant nextAttemptAt, String error, String waitingOn,
            Instant now) {
        crash.checkAlive("scheduleRetry");
        return ledger.scheduleRetry(key, attempts, nextAttemptAt, error, waitingOn, now);
    }

    @Override
    public int wake(String component, int limit, Instant now) {
        crash.checkAlive("wake");
        return ledger.wake(component, limit, now);
    }

    @Override
    public LedgerEntry markAcknowledged(MailKey key, Instant now) {
        crash.checkAlive("markAcknowledged");
        return ledger.markAcknowledged(key, now);
    }

    @Override
    public List<LedgerEntry> unacknowledged(int limit) {
        crash.checkAlive("unacknowledged");
        return ledger.unacknowledged(limit);
    }

    @Override
    public void close() {
        // a dead process closes nothing; the file is left as the crash left it
    }
}
