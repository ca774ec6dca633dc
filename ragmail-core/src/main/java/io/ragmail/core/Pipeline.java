package io.ragmail.core;

import io.ragmail.core.event.MailDeadEvent;
import io.ragmail.core.event.MailReceivedEvent;
import io.ragmail.core.event.MailSkippedEvent;
import io.ragmail.core.event.PipelineListener;
import io.ragmail.core.event.ReplyDraftedEvent;
import io.ragmail.core.event.ReplyFiledForReviewEvent;
import io.ragmail.core.event.ReplySentEvent;
import io.ragmail.core.event.RetryScheduledEvent;
import io.ragmail.core.internal.ComponentStatus;
import io.ragmail.core.internal.SafeListeners;
import io.ragmail.core.knowledge.MailSearch;
import io.ragmail.core.ledger.Disposition;
import io.ragmail.core.ledger.LedgerConflictException;
import io.ragmail.core.ledger.LedgerEntry;
import io.ragmail.core.ledger.MailState;
import io.ragmail.core.ledger.ProcessingLedger;
import io.ragmail.core.reply.ReplyComposer;
import io.ragmail.core.triage.Triage;
import io.ragmail.core.triage.TriageDecision;
import io.ragmail.core.verify.SenderVerifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Answers mail, continuously: takes each new mail from the {@link MailSource}, records it in the
 * {@link ProcessingLedger}, triages it, verifies the sender ({@link SenderVerifier}), looks up the
 * sender in the {@link ErpClient} (whose facts reach the drafter only for a verified sender) and the question
 * in the {@link KnowledgeStore}, has the {@link Drafter} write a reply, lets the {@link ReviewPolicy}
 * decide between sending and review, stores the reply in the ledger, delivers it through the
 * {@link MailSink} (or the review sink), records the delivery and acknowledges the mail.
 *
 * <p>At most {@code concurrency} mails are in flight at once. A failing mail never stops the others:
 * faults that may pass schedule a retry with backoff ({@link RetryPolicy}), others send the mail to
 * the failed-mail queue (DEAD). On start the pipeline first finishes what a previous run left half
 * done, so a crash at any moment loses no mail and answers none twice: a mail found in SENDING is
 * looked for at the sink (by our Message-ID) before its stored reply is delivered again.
 *
 * <pre>{@code
 * try (Pipeline pipeline = Pipeline.builder()
 *         .source(imap).drafter(drafter).sink(smtp).reviewSink(drafts)
 *         .ledger(SqliteLedger.open(dataDir.resolve("ledger.db")))
 *         .from(EmailAddress.of("support@example.com"))
 *         .build()) {
 *     pipeline.start();
 *     ...
 * }
 * }</pre>
 */
public final class Pipeline implements AutoCloseable {

    public static final int DEFAULT_CONCURRENCY = 4;
    public static final Duration DEFAULT_POLL_WAIT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_STALL_AFTER = Duration.ofMinutes(10);
    public static final Duration MAX_SOURCE_BACKOFF = Duration.ofMinutes(1);

    private static final Logger log = LoggerFactory.getLogger(Pipeline.class);
    private static final Duration SWEEP_INTERVAL = Duration.ofMinutes(1);
    private static final Duration FIRST_SOURCE_BACKOFF = Duration.ofSeconds(1);

    private final MailSource source;
    private final KnowledgeStore knowledge;
    private final ErpClient erp;
    private final Drafter drafter;
    private final MailSink sink;
    private final MailSink reviewSink;
    private final ProcessingLedger ledger;
    private final Triage triage;
    private final ReviewPolicy reviewPolicy;
    private final SenderVerifier senderVerifier;
    private final TokenPricing pricing;
    private final ReplyComposer composer;
    private final RetryPolicy retryPolicy;
    private final int concurrency;
    private final Duration pollWait;
    private final Duration shutdownTimeout;
    private final Duration stallAfter;
    private final Clock clock;
    private final Sleeper sleeper;
    private final SafeListeners listeners;
    private final ComponentStatus components;

    private final Semaphore slots;
    private final Set<MailKey> inFlight = ConcurrentHashMap.newKeySet();
    private final Object lifecycle = new Object();
    private volatile boolean running;
    private ExecutorService workers;
    private Thread fetcher;

    private Pipeline(Builder b) {
        this.source = b.source;
        this.knowledge = b.knowledge;
        this.erp = b.erp;
        this.drafter = b.drafter;
        this.sink = b.sink;
        this.reviewSink = b.reviewSink;
        this.ledger = b.ledger;
        this.composer = b.composer;
        this.triage = b.triage;
        this.reviewPolicy = b.reviewPolicy;
        this.senderVerifier = b.senderVerifier;
        this.pricing = b.pricing;
        this.retryPolicy = b.retryPolicy;
        this.concurrency = b.concurrency;
        this.pollWait = b.pollWait;
        this.shutdownTimeout = b.shutdownTimeout;
        this.stallAfter = b.stallAfter;
        this.clock = b.clock;
        this.sleeper = b.sleeper;
        this.listeners = new SafeListeners(b.listeners);
        this.components = new ComponentStatus(listeners, clock);
        this.slots = new Semaphore(concurrency);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts the pipeline's threads and returns. The fetch thread first resumes what a previous run
     * left unfinished, then waits for mail.
     *
     * @throws IllegalStateException when already started
     */
    public void start() {
        synchronized (lifecycle) {
            if (fetcher != null) {
                throw new IllegalStateException("pipeline already started");
            }
            running = true;
            workers = Executors.newFixedThreadPool(concurrency, daemonThreads("ragmail-worker-"));
            fetcher = daemonThreads("ragmail-fetch-").newThread(this::fetchLoop);
            fetcher.start();
        }
    }

    public boolean isRunning() {
        return running;
    }

    /** Mails being processed right now. */
    public int inFlight() {
        return inFlight.size();
    }

    /**
     * Stops gracefully: stops fetching, lets in-flight mail finish within the shutdown timeout, then
     * interrupts what is left. Interrupted mail stays in the ledger and is resumed on the next start.
     * Does not close the source, sinks or ledger, which belong to the caller.
     */
    @Override
    public void close() {
        synchronized (lifecycle) {
            if (fetcher == null || !running) {
                running = false;
                return;
            }
            running = false;
            fetcher.interrupt();
            try {
                fetcher.join(shutdownTimeout.toMillis());
                workers.shutdown();
                if (!workers.awaitTermination(shutdownTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    log.warn("{} mails still in flight after {}; interrupting them, they resume on next start",
                            inFlight.size(), shutdownTimeout);
                    workers.shutdownNow();
                    workers.awaitTermination(shutdownTimeout.toMillis(), TimeUnit.MILLISECONDS);
                }
            } catch (InterruptedException e) {
                workers.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
    }

    // ---------------------------------------------------------------- fetching

    private void fetchLoop() {
        Instant nextSweep = Instant.MIN;
        Instant sweepCutoff = Instant.MAX; // on start, everything left unfinished is resumed
        Duration backoff = FIRST_SOURCE_BACKOFF;
        while (running) {
            try {
                Instant now = clock.instant();
                if (!now.isBefore(nextSweep)) {
                    resumeUnfinished(sweepCutoff);
                    sweepCutoff = null;
                    nextSweep = now.plus(SWEEP_INTERVAL);
                }
                submitDueRetries();
                List<InboundMail> mails = source.poll(pollWait);
                components.up(source.name());
                backoff = FIRST_SOURCE_BACKOFF;
                for (InboundMail mail : mails) {
                    submit(mail.key(), () -> processNew(mail));
                }
                if (sweepCutoff == null) {
                    sweepCutoff = clock.instant().minus(stallAfter);
                }
            } catch (InterruptedException e) {
                if (!running) {
                    break;
                }
            } catch (RuntimeException e) {
                if (e instanceof RagmailException re) {
                    components.down(re.component(), re.getMessage(), re instanceof AuthenticationException);
                    log.warn("fetching mail failed ({}); trying again in {}", re.getMessage(), backoff);
                } else {
                    log.error("fetching mail failed; trying again in {}", backoff, e);
                }
                try {
                    sleeper.sleep(backoff);
                } catch (InterruptedException ie) {
                    if (!running) {
                        break;
                    }
                }
                backoff = min(backoff.multipliedBy(2), MAX_SOURCE_BACKOFF);
            }
        }
    }

    /** Resumes mail a previous run (or a stalled worker) left in RECEIVED, DRAFTING or SENDING. */
    private void resumeUnfinished(Instant cutoff) throws InterruptedException {
        for (MailState state : List.of(MailState.SENDING, MailState.DRAFTING, MailState.RECEIVED)) {
            for (LedgerEntry entry : ledger.inState(state, Integer.MAX_VALUE)) {
                if (cutoff == null || entry.updatedAt().isBefore(cutoff)) {
                    MailKey key = entry.key();
                    submitResume(key);
                }
            }
        }
    }

    private void submitDueRetries() throws InterruptedException {
        for (LedgerEntry entry : ledger.dueForRetry(clock.instant(), concurrency * 4)) {
            MailKey key = entry.key();
            submitResume(key);
        }
    }

    private void submitResume(MailKey key) throws InterruptedException {
        submit(key, () -> resume(key));
    }

    private void submit(MailKey key, Runnable task) throws InterruptedException {
        if (!inFlight.add(key)) {
            return; // already being processed by another worker
        }
        try {
            slots.acquire();
        } catch (InterruptedException e) {
            inFlight.remove(key);
            throw e;
        }
        try {
            workers.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException e) {
                    log.error("processing {} failed unexpectedly; it stays in the ledger and is resumed", key, e);
                } finally {
                    inFlight.remove(key);
                    slots.release();
                }
            });
        } catch (RejectedExecutionException e) {
            inFlight.remove(key);
            slots.release();
        }
    }

    // ---------------------------------------------------------------- one mail

    private void processNew(InboundMail mail) {
        ProcessingLedger.Admission admission = ledger.admit(mail, clock.instant());
        LedgerEntry entry = admission.entry();
        if (admission.isNew()) {
            MailReceivedEvent event = new MailReceivedEvent(mail.key(), mail.from(), mail.subject(), entry.receivedAt());
            listeners.emit(l -> l.onReceived(event));
        }
        continueWith(entry);
    }

    private void resume(MailKey key) {
        ledger.find(key).ifPresent(this::continueWith);
    }

    private void continueWith(LedgerEntry entry) {
        switch (entry.state()) {
            case SENT, REVIEW, SKIPPED -> acknowledge(entry.mail());
            case DEAD -> log.debug("{} is in the failed-mail queue; left for an operator", entry.key());
            case RETRY -> {
                if (!entry.nextAttemptAt().isAfter(clock.instant())) {
                    attempt(entry);
                }
            }
            case RECEIVED, DRAFTING -> attempt(entry);
            case SENDING -> resolveSending(entry);
        }
    }

    private void attempt(LedgerEntry entry) {
        MailKey key = entry.key();
        InboundMail mail = entry.mail();
        try {
            if (entry.reply() != null) {
                resolveSending(ledger.resumeSending(key, clock.instant()));
                return;
            }
            Optional<String> unreadable = mail.unreadable();
            if (unreadable.isPresent()) {
                skip(entry, unreadable.get());
                return;
            }
            TriageDecision decision = triage.decide(mail, ledger, clock.instant());
            if (!decision.answer()) {
                skip(entry, decision.reason());
                return;
            }
            entry = ledger.markDrafting(key, clock.instant());
        } catch (LedgerConflictException e) {
            leaveToOther(key, e);
            return;
        }
        LedgerEntry drafting = entry;
        Instant started = clock.instant();
        LedgerEntry stored;
        try {
            SenderIdentity sender = verifySender(mail);
            Optional<CustomerFacts> found = call("erp", () -> erp.factsFor(sender));
            // Defence in depth: whatever the ERP client returns, an unverified sender's facts stay out.
            Optional<CustomerFacts> facts = sender.verified() ? found : Optional.empty();
            boolean withheld = !sender.verified() && found.isPresent();
            // the mail's new text, bounded, one search per question; evidence strength for the review policy
            MailSearch.Result retrieved = call("knowledge", () -> MailSearch.builder().store(knowledge).build().search(mail));
            DraftRequest request = new DraftRequest(mail, retrieved.passages(), facts, sender, withheld, retrieved.evidence());
            Draft draft = call("drafter", () -> drafter.draft(request));
            Instant drafted = clock.instant();
            ReplyDraftedEvent event = new ReplyDraftedEvent(key, draft.confidence(), draft.usage(),
                    Duration.between(started, drafted), drafted, pricing.cost(draft.usage()), pricing.currency());
            listeners.emit(l -> l.onDrafted(event));
            ReviewDecision review = reviewPolicy.decide(request, draft);
            OutboundReply reply = composer.compose(mail, draft, review.reasons());
            TokenUsage usage = drafting.usage().plus(draft.usage());
            stored = ledger.storeReply(key, reply, review.disposition(), usage, pricing.cost(usage), pricing.currency(),
                    drafted);
        } catch (LedgerConflictException e) {
            leaveToOther(key, e);
            return;
        } catch (StageException e) {
            fail(drafting, e.component, e.cause);
            return;
        }
        deliver(stored);
    }

    private SenderIdentity verifySender(InboundMail mail) {
        try {
            return Objects.requireNonNull(senderVerifier.verify(mail), "sender verifier returned null");
        } catch (RuntimeException e) {
            log.warn("{}: sender verification failed ({}); treating the sender as unverified", mail.key(), e.toString());
            return new SenderIdentity(mail.from(), false, "sender verification failed");
        }
    }

    private void resolveSending(LedgerEntry entry) {
        MailSink target = sinkFor(entry.disposition());
        Delivery found;
        try {
            found = target.findDelivered(entry.reply().messageId());
        } catch (RuntimeException e) {
            fail(entry, target.name(), e);
            return;
        }
        if (found == Delivery.DELIVERED) {
            log.info("{}: reply {} was already delivered before a restart; not sending it again",
                    entry.key(), entry.reply().messageId());
            finish(entry);
        } else {
            deliver(entry);
        }
    }

    private void deliver(LedgerEntry entry) {
        MailSink target = sinkFor(entry.disposition());
        try {
            target.deliver(entry.reply());
        } catch (RuntimeException e) {
            fail(entry, target.name(), e);
            return;
        }
        components.up(target.name());
        finish(entry);
    }

    private void finish(LedgerEntry entry) {
        Instant now = clock.instant();
        LedgerEntry done = ledger.markDelivered(entry.key(), now);
        Duration total = Duration.between(done.receivedAt(), now);
        String replyId = done.reply().messageId();
        if (done.state() == MailState.SENT) {
            ReplySentEvent event = new ReplySentEvent(done.key(), replyId, total, now);
            listeners.emit(l -> l.onSent(event));
        } else {
            ReplyFiledForReviewEvent event = new ReplyFiledForReviewEvent(done.key(), replyId,
                    done.reply().reviewNotes(), total, now);
            listeners.emit(l -> l.onFiledForReview(event));
        }
        acknowledge(done.mail());
    }

    private void skip(LedgerEntry entry, String reason) {
        Instant now = clock.instant();
        ledger.markSkipped(entry.key(), reason, now);
        MailSkippedEvent event = new MailSkippedEvent(entry.key(), reason, now);
        listeners.emit(l -> l.onSkipped(event));
        acknowledge(entry.mail());
    }

    /** Records a failed attempt: RETRY with backoff while attempts remain, else DEAD. */
    private void fail(LedgerEntry entry, String component, RuntimeException error) {
        Instant now = clock.instant();
        MailKey key = entry.key();
        String description = component + ": " + Objects.toString(error.getMessage(), error.getClass().getSimpleName());
        try {
            if (error instanceof AuthenticationException) {
                components.down(component, description, true);
                Instant next = retryPolicy.nextAttemptAt(retryPolicy.maxAttempts(), now, Optional.empty());
                ledger.scheduleRetry(key, entry.attempts(), next, description, now);
                emitRetry(key, entry.attempts(), next, component, description, now);
            } else if (error instanceof NonRetriableException) {
                log.warn("{} failed for good: {}", key, description);
                markDead(key, component, description, now);
            } else {
                if (error instanceof RetriableException) {
                    components.down(component, description, false);
                } else {
                    log.warn("{}: unexpected error from {}; treated as passing", key, component, error);
                }
                int attempts = entry.attempts() + 1;
                if (retryPolicy.allowsAnother(attempts)) {
                    Optional<Duration> retryAfter = error instanceof RetriableException re ? re.retryAfter() : Optional.empty();
                    Instant next = retryPolicy.nextAttemptAt(attempts, now, retryAfter);
                    ledger.scheduleRetry(key, attempts, next, description, now);
                    emitRetry(key, attempts, next, component, description, now);
                } else {
                    markDead(key, component, "gave up after " + attempts + " attempts; last error " + description, now);
                }
            }
        } catch (LedgerConflictException e) {
            leaveToOther(key, e);
        }
    }

    /** Another worker or process moved the mail meanwhile: it is theirs now. */
    private static void leaveToOther(MailKey key, LedgerConflictException e) {
        log.info("{} was moved by someone else ({}); leaving it", key, e.actual());
    }

    private void emitRetry(MailKey key, int attempt, Instant next, String component, String error, Instant now) {
        RetryScheduledEvent event = new RetryScheduledEvent(key, attempt, next, component, error, now);
        listeners.emit(l -> l.onRetryScheduled(event));
    }

    private void markDead(MailKey key, String component, String error, Instant now) {
        ledger.markDead(key, error, now);
        MailDeadEvent event = new MailDeadEvent(key, component, error, now);
        listeners.emit(l -> l.onDead(event));
    }

    private void acknowledge(InboundMail mail) {
        try {
            source.acknowledge(mail);
        } catch (RuntimeException e) {
            // Harmless: the mail comes back after a restart and the ledger recognises it.
            log.warn("acknowledging {} failed ({}); it will be recognised if it comes back", mail.key(), e.getMessage());
        }
    }

    private MailSink sinkFor(Disposition disposition) {
        return disposition == Disposition.SEND ? sink : reviewSink;
    }

    private <T> T call(String component, Supplier<T> stage) {
        try {
            T result = stage.get();
            components.up(component);
            return result;
        } catch (RuntimeException e) {
            throw new StageException(component, e);
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Carries which stage failed from {@link #call} to {@link #fail}. */
    private static final class StageException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final String component;
        final RuntimeException cause;

        StageException(String component, RuntimeException cause) {
            super(cause.getMessage(), cause, false, false);
            this.component = component;
            this.cause = cause;
        }
    }

    /** Settings of a {@link Pipeline}; see each method for defaults. */
    public static final class Builder {
        private MailSource source;
        private KnowledgeStore knowledge = NoopKnowledgeStore.INSTANCE;
        private ErpClient erp = NoopErpClient.INSTANCE;
        private Drafter drafter;
        private MailSink sink;
        private MailSink reviewSink;
        private ProcessingLedger ledger;
        private EmailAddress from;
        private ReplyComposer composer;
        private Triage triage;
        private ReviewPolicy reviewPolicy = ReviewPolicy.builder().build();
        private SenderVerifier senderVerifier = SenderVerifier.trustNoOne();
        private TokenPricing pricing = TokenPricing.FREE;
        private RetryPolicy retryPolicy = RetryPolicy.ofDefaults();
        private int concurrency = DEFAULT_CONCURRENCY;
        private Duration pollWait = DEFAULT_POLL_WAIT;
        private Duration shutdownTimeout = DEFAULT_SHUTDOWN_TIMEOUT;
        private Duration stallAfter = DEFAULT_STALL_AFTER;
        private Clock clock = Clock.systemUTC();
        private Sleeper sleeper = Sleeper.SYSTEM;
        private final List<PipelineListener> listeners = new ArrayList<>();

        /** Required: where mail comes from. */
        public Builder source(MailSource source) { this.source = source; return this; }

        /** Default: {@link NoopKnowledgeStore}. */
        public Builder knowledge(KnowledgeStore knowledge) { this.knowledge = knowledge; return this; }

        /** Default: {@link NoopErpClient}. */
        public Builder erp(ErpClient erp) { this.erp = erp; return this; }

        /** Required. */
        public Builder drafter(Drafter drafter) { this.drafter = drafter; return this; }

        /** Required: where replies that may be sent go. */
        public Builder sink(MailSink sink) { this.sink = sink; return this; }

        /** Required: where replies for a person to review go (usually the Drafts folder). */
        public Builder reviewSink(MailSink reviewSink) { this.reviewSink = reviewSink; return this; }

        /** Required: the processing ledger. */
        public Builder ledger(ProcessingLedger ledger) { this.ledger = ledger; return this; }

        /** Required unless a composer and a triage are given: the address replies come from. */
        public Builder from(EmailAddress from) { this.from = from; return this; }

        /** Default: a composer for {@link #from}. */
        public Builder composer(ReplyComposer composer) { this.composer = composer; return this; }

        /** Default: triage with default limits, treating {@link #from} as ours. */
        public Builder triage(Triage triage) { this.triage = triage; return this; }

        /**
         * Default: {@code ReviewPolicy.builder().build()}: send mode, confidence 0.7, grounding check,
         * default always-review topics, unverified senders answered without private data.
         */
        public Builder reviewPolicy(ReviewPolicy reviewPolicy) { this.reviewPolicy = reviewPolicy; return this; }

        /**
         * Who counts as the verified owner of their From address, so that their ERP facts may reach
         * the drafter. Default: {@link SenderVerifier#trustNoOne()}, so no private data is used until
         * verification is configured (usually an
         * {@link io.ragmail.core.verify.AuthenticationResultsVerifier} for our receiving server), or
         * turned off with {@link SenderVerifier#trustEveryone()}.
         */
        public Builder senderVerifier(SenderVerifier senderVerifier) { this.senderVerifier = senderVerifier; return this; }

        /**
         * What tokens cost, for {@link ReplyDraftedEvent#cost()} and the cost stored with each reply in
         * the ledger ({@link LedgerEntry#cost()}); default {@link TokenPricing#FREE}.
         */
        public Builder pricing(TokenPricing pricing) { this.pricing = pricing; return this; }

        /** Default: {@link RetryPolicy#ofDefaults()}. */
        public Builder retryPolicy(RetryPolicy retryPolicy) { this.retryPolicy = retryPolicy; return this; }

        /** Mails in flight at once; default {@value Pipeline#DEFAULT_CONCURRENCY}. */
        public Builder concurrency(int concurrency) { this.concurrency = concurrency; return this; }

        /** Longest wait for new mail in one poll; default 30 s. Due retries are picked up between polls. */
        public Builder pollWait(Duration pollWait) { this.pollWait = pollWait; return this; }

        /** How long {@link Pipeline#close()} lets in-flight mail finish; default 30 s. */
        public Builder shutdownTimeout(Duration timeout) { this.shutdownTimeout = timeout; return this; }

        /** After how long without progress a mail in DRAFTING or SENDING is resumed; default 10 min. */
        public Builder stallAfter(Duration stallAfter) { this.stallAfter = stallAfter; return this; }

        public Builder clock(Clock clock) { this.clock = clock; return this; }

        public Builder sleeper(Sleeper sleeper) { this.sleeper = sleeper; return this; }

        public Builder listener(PipelineListener listener) { this.listeners.add(Objects.requireNonNull(listener, "listener")); return this; }

        public Pipeline build() {
            require(source, "source");
            require(drafter, "drafter");
            require(sink, "sink");
            require(reviewSink, "reviewSink");
            require(ledger, "ledger");
            require(knowledge, "knowledge");
            require(erp, "erp");
            require(reviewPolicy, "reviewPolicy");
            require(senderVerifier, "senderVerifier");
            require(pricing, "pricing");
            require(retryPolicy, "retryPolicy");
            require(clock, "clock");
            require(sleeper, "sleeper");
            if (composer == null) {
                require(from, "from");
                composer = ReplyComposer.builder().from(from).build();
            }
            if (triage == null) {
                triage = Triage.builder().ourAddresses(List.of(composer.from())).loopId(composer.loopId()).build();
            }
            if (concurrency < 1) {
                throw new IllegalArgumentException("concurrency must be at least 1, was " + concurrency);
            }
            requirePositive(pollWait, "pollWait");
            requirePositive(shutdownTimeout, "shutdownTimeout");
            requirePositive(stallAfter, "stallAfter");
            return new Pipeline(this);
        }

        private static void require(Object value, String name) {
            if (value == null) {
                throw new IllegalArgumentException(name + " is required");
            }
        }

        private static void requirePositive(Duration value, String name) {
            require(value, name);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, was " + value);
            }
        }
    }
}
