package io.ragmail.core.triage;

import io.ragmail.core.EmailAddress;
import io.ragmail.core.InboundMail;
import io.ragmail.core.ledger.ProcessingLedger;
import io.ragmail.core.ledger.ReplyQuota;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Decides, before anything costs money, whether a mail should be answered at all: never
 * auto-replies, bounces, reports, list mail or our own mail ({@link LoopGuard}, RFC 3834), and at
 * most a few replies per sender and per thread in a window ({@link ReplyRateLimit}).
 *
 * <p>In a {@link io.ragmail.core.Pipeline} there is no need to build one to change a limit: the
 * pipeline builds its triage from the defaults, with the composer's address and loop id, and
 * {@code Pipeline.builder().triage(t -> t.maxRepliesPerSender(50))} changes just that limit. Standalone:
 *
 * <pre>{@code
 * Triage triage = Triage.builder()
 *         .ourAddresses(List.of(EmailAddress.of("support@example.com")))
 *         .maxRepliesPerSender(3).senderWindow(Duration.ofDays(1))
 *         .build();
 * TriageDecision decision = triage.decide(mail, ledger, clock.instant());
 * Triage lenient = triage.toBuilder().maxRepliesPerThread(10).build(); // the rest as before
 * }</pre>
 */
public final class Triage {

    /**
     * Replies to one sender per {@link #DEFAULT_SENDER_WINDOW}: high enough for a busy B2B buyer
     * (orders, deliveries, invoices, safety data sheets on one day), low enough to stop a runaway
     * exchange with a misbehaving system that the loop guard did not recognise.
     */
    public static final int DEFAULT_MAX_REPLIES_PER_SENDER = 20;
    public static final Duration DEFAULT_SENDER_WINDOW = Duration.ofDays(1);
    /**
     * Replies in one conversation per {@link #DEFAULT_THREAD_WINDOW}: a person going back and forth on
     * one question is answered a few times; beyond that a person should take over.
     */
    public static final int DEFAULT_MAX_REPLIES_PER_THREAD = 5;
    public static final Duration DEFAULT_THREAD_WINDOW = Duration.ofDays(1);

    private final LoopGuard loopGuard;
    private final ReplyRateLimit rateLimit;
    private final Set<EmailAddress> ourAddresses;

    private Triage(Builder builder) {
        this.ourAddresses = Collections.unmodifiableSet(new LinkedHashSet<>(builder.ourAddresses));
        // the rate limit first: its window checks come before the loop guard's loopId check
        this.rateLimit = new ReplyRateLimit(builder.maxRepliesPerSender, builder.senderWindow,
                builder.maxRepliesPerThread, builder.threadWindow);
        this.loopGuard = new LoopGuard(builder.ourAddresses, builder.loopId);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this triage's settings, to change some and keep the rest. */
    public Builder toBuilder() {
        ReplyQuota quota = rateLimit.quota();
        return new Builder().ourAddresses(ourAddresses).loopId(loopGuard.loopId())
                .maxRepliesPerSender(quota.maxPerSender()).senderWindow(quota.senderWindow())
                .maxRepliesPerThread(quota.maxPerThread()).threadWindow(quota.threadWindow());
    }

    /**
     * The {@code X-Loop} value that marks mail as ours: the one {@link io.ragmail.core.reply.ReplyComposer}
     * writes into replies, which a pipeline checks when it is built.
     */
    public String loopId() {
        return loopGuard.loopId();
    }

    /** The loop guard first (it is free), then the rate limit (one ledger query). */
    public TriageDecision decide(InboundMail mail, ProcessingLedger ledger, Instant now) {
        TriageDecision loop = loopGuard.check(mail);
        return loop.answer() ? rateLimit.check(mail, ledger, now) : loop;
    }

    /**
     * The loop guard alone. The pipeline uses it with {@link #quota()}: the rate limit is checked and
     * counted by the ledger in the transaction that starts drafting, so that concurrent mails from one
     * sender cannot all pass.
     */
    public TriageDecision screen(InboundMail mail) {
        return loopGuard.check(mail);
    }

    /** The reply rate limits, for {@link ProcessingLedger#startDrafting}. */
    public ReplyQuota quota() {
        return rateLimit.quota();
    }

    /** Settings of a {@link Triage}; {@code ourAddresses} is required. */
    public static final class Builder {
        private final Set<EmailAddress> ourAddresses = new LinkedHashSet<>();
        private String loopId;
        private int maxRepliesPerSender = DEFAULT_MAX_REPLIES_PER_SENDER;
        private Duration senderWindow = DEFAULT_SENDER_WINDOW;
        private int maxRepliesPerThread = DEFAULT_MAX_REPLIES_PER_THREAD;
        private Duration threadWindow = DEFAULT_THREAD_WINDOW;

        /** Every address we send from or receive at; mail from any of them is never answered. */
        public Builder ourAddresses(Collection<EmailAddress> addresses) {
            ourAddresses.addAll(addresses);
            return this;
        }

        /**
         * The value of our {@code X-Loop} header; defaults to the first of our addresses. In a pipeline,
         * leave it: the pipeline sets the composer's ({@code ReplyComposer.builder().loopId(..)}), the one
         * place it is configured, and refuses a triage that names another.
         */
        public Builder loopId(String loopId) {
            this.loopId = loopId;
            return this;
        }

        /** Replies to one sender within {@link #senderWindow}; default {@value Triage#DEFAULT_MAX_REPLIES_PER_SENDER}. */
        public Builder maxRepliesPerSender(int max) {
            this.maxRepliesPerSender = max;
            return this;
        }

        /** Default one day. */
        public Builder senderWindow(Duration window) {
            this.senderWindow = window;
            return this;
        }

        /** Replies in one conversation within {@link #threadWindow}; default {@value Triage#DEFAULT_MAX_REPLIES_PER_THREAD}. */
        public Builder maxRepliesPerThread(int max) {
            this.maxRepliesPerThread = max;
            return this;
        }

        /** Default one day. */
        public Builder threadWindow(Duration window) {
            this.threadWindow = window;
            return this;
        }

        public Triage build() {
            if (ourAddresses.isEmpty()) {
                throw new IllegalArgumentException("ourAddresses must name at least one address");
            }
            // the windows are checked by ReplyRateLimit, the loopId defaulted by LoopGuard
            requirePositive("maxRepliesPerSender", maxRepliesPerSender);
            requirePositive("maxRepliesPerThread", maxRepliesPerThread);
            return new Triage(this);
        }

        private static void requirePositive(String name, int value) {
            if (value < 1) {
                throw new IllegalArgumentException(name + " must be at least 1, was " + value);
            }
        }
    }
}
