package io.ragmail.core.triage;

import io.ragmail.core.InboundMail;
import io.ragmail.core.ledger.ProcessingLedger;

import java.time.Duration;
import java.time.Instant;

/** At most N replies per sender and per thread within a sliding window, counted in the ledger. */
public final class ReplyRateLimit {

    private final int maxPerSender;
    private final Duration senderWindow;
    private final int maxPerThread;
    private final Duration threadWindow;

    public ReplyRateLimit(int maxPerSender, Duration senderWindow, int maxPerThread, Duration threadWindow) {
        this.maxPerSender = maxPerSender;
        this.senderWindow = senderWindow;
        this.maxPerThread = maxPerThread;
        this.threadWindow = threadWindow;
    }

    public TriageDecision check(InboundMail mail, ProcessingLedger ledger, Instant now) {
        return TriageDecision.ANSWER; // rules land with the triage work
    }
}
