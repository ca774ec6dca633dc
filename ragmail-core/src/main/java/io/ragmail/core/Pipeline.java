package io.ragmail.core;

import io.ragmail.core.event.LoopHeartbeatEvent;
import io.ragmail.core.event.MailDeadEvent;
import io.ragmail.core.event.MailReceivedEvent;
import io.ragmail.core.event.MailSkippedEvent;
import io.ragmail.core.event.PipelineListener;
import io.ragmail.core.event.PipelineStoppedEvent;
import io.ragmail.core.event.ReplyDraftedEvent;
import io.ragmail.core.event.ReplyFiledForReviewEvent;
import io.ragmail.core.event.ReplySentEvent;
import io.ragmail.core.event.RetryScheduledEvent;
import io.ragmail.core.internal.ComponentStatus;
import io.ragmail.core.internal.SafeListeners;
import io.ragmail.core.knowledge.MailSearch;
import io.ragmail.core.knowledge.QueryRewriter;
import io.ragmail.core.ledger.Disposition;
import io.ragmail.core.ledger.LedgerConflictException;
import io.ragmail.core.ledger.LedgerEntry;
import io.ragmail.core.ledger.MailState;
import io.ragmail.core.ledger.ProcessingLedger;
import io.ragmail.core.ledger.QuotaExceededException;
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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

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
 * <p>Three kinds of thread: the fetch thread waits for mail; the retry thread (once a second) submits
 * due retries, mail the ledger could not admit, the periodic sweep of stalled mail and of
 * acknowledgements that failed, and brings forward mail waiting on a component that answers again;
 * the workers process one mail each. Neither loop dies of an exception or an {@link Error}; should one
 * die all the same, {@link #isRunning()} turns false and listeners get a {@link PipelineStoppedEvent}.
 * A supervisor watches {@link #lastProgress()}.
 *
 * <p>{@link #start()} returns at once and the pipeline's threads are daemon threads, so a {@code main}
 * that returns ends the JVM: block in {@link #awaitTermination()}, which returns once {@link #close()}
 * completed (from a shutdown hook, say) or a loop died ({@link #failure()} says why).
 *
 * <pre>{@code
 * try (Pipeline pipeline = Pipeline.builder()
 *         .source(imap).knowledge(store).drafter(drafter).sink(smtp).reviewSink(drafts)
 *         .ledger(SqliteLedger.open(dataDir.resolve("ledger.db")))
 *         .from(EmailAddress.of("support@example.com"))
 *         .build()) {
 *     Runtime.getRuntime().addShutdownHook(new Thread(pipeline::close));
 *     pipeline.start();
 *     pipeline.awaitTermination();
 *     pipeline.failure().ifPresent(why -> log.error("pipeline died", why));
 * }
 * }</pre>
 */
public final class Pipeline implements AutoCloseable {

    public static final int DEFAULT_CONCURRENCY = 4;
    /** The most workers {@link Builder#concurrencyFor} derives: beyond it mail waits for connections, not workers. */
    public static final int MAX_DERIVED_CONCURRENCY = 128;
    public static final Duration DEFAULT_POLL_WAIT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_STALL_AFTER = Duration.ofMinutes(10);
    /** While a component is down, one mail waiting on it is tried this often, to notice its recovery. */
    public static final Duration DEFAULT_PROBE_INTERVAL = Duration.ofSeconds(30);
    public static final Duration MAX_SOURCE_BACKOFF = Duration.ofMinutes(1);
    /**
     * Mail the ledger could not admit is kept in memory, at most this many, and admitted again with
     * backoff. Beyond it, mail is left to the source, which yields it again after a restart.
     */
    public static final int MAX_UNADMITTED = 10_000;

    private static final Logger log = LoggerFactory.getLogger(Pipeline.class);
    static final String AMBIGUOUS_SENDER = "the sender's address belongs to several customers in the ERP: "
            + "no customer data was used; check who wrote before answering";
    private static final Duration SWEEP_INTERVAL = Duration.ofMinutes(1);
    /** An acknowledgement that failed is tried again by the sweep once it is at least this old. */
    private static final Duration ACK_RETRY_AFTER = Duration.ofMinutes(1);
    private static final Duration FIRST_SOURCE_BACKOFF = Duration.ofSeconds(1);
    private static final Duration FIRST_ADMISSION_BACKOFF = Duration.ofSeconds(1);
    private static final Duration MAX_ADMISSION_BACKOFF = Duration.ofMinutes(1);
    /** How often the retry thread looks for due work; real time, like the poll's wait. */
    private static final long RETRY_TICK_MILLIS = 1000;
    private static final int ACK_BATCH = 100;

    private final MailSource source;
    private final MailSearch mailSearch;
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
    private final Duration probeInterval;
    private final Clock clock;
    private final Sleeper sleeper;
    private final SafeListeners listeners;
    private final ComponentStatus components;

    private final Semaphore slots;
    private final Set<MailKey> inFlight = ConcurrentHashMap.newKeySet();
    private final ConcurrentLinkedQueue<Unadmitted> unadmitted = new ConcurrentLinkedQueue<>();
    private final AtomicInteger unadmittedCount = new AtomicInteger();
    /**
     * For each stage (a role such as {@link Component#DRAFTER}, or a source's or sink's name), the
     * components its failures named: the stage's next success brings them up again.
     */
    private final ConcurrentMap<String, Set<String>> namedByStage = new ConcurrentHashMap<>();
    /** Components that recovered and whose waiting mail the retry thread has yet to bring forward. */
    private final Set<String> recovered = ConcurrentHashMap.newKeySet();
    private final Object retryTick = new Object();
    private final Object lifecycle = new Object();
    private volatile boolean running;
    private volatile Instant lastProgress;
    private volatile Throwable failure;
    /** Released when {@link #close()} completed or a loop died; a pipeline runs once, so once is enough. */
    private final CountDownLatch stopped = new CountDownLatch(1);
    private boolean probedSinceStart; // retry thread only
    private ExecutorService workers;
    private Thread fetcher;
    private Thread retrier;

    /** A mail the ledger did not take, waiting to be offered again. */
    private record Unadmitted(InboundMail mail, Duration backoff, Instant notBefore) {
    }

    private Pipeline(Builder b) {
        this.source = b.source;
        this.mailSearch = MailSearch.builder()
                .store(b.withoutKnowledge ? NoopKnowledgeStore.INSTANCE : b.knowledge).queryRewriter(b.queryRewriter).build();
        this.erp = b.erp;
        this.drafter = b.drafter;
        this.sink = b.sink;
        this.reviewSink = b.withoutReviewSink ? LedgerOnlyReviewSink.INSTANCE : b.reviewSink;
        this.ledger = b.ledger;
        this.composer = b.composer;
        this.triage = b.resolvedTriage;
        this.reviewPolicy = b.reviewPolicy;
        this.senderVerifier = b.senderVerifier;
        this.pricing = b.pricing;
        this.retryPolicy = b.retryPolicy;
        this.concurrency = b.concurrency;
        this.pollWait = b.pollWait;
        this.shutdownTimeout = b.shutdownTimeout;
        this.stallAfter = b.stallAfter;
        this.probeInterval = b.probeInterval;
        this.clock = b.clock;
        this.sleeper = b.sleeper;
        this.listeners = new SafeListeners(b.listeners);
        this.components = new ComponentStatus(listeners, clock, this::recovered);
        this.slots = new Semaphore(concurrency);
        this.lastProgress = clock.instant();
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
            lastProgress = clock.instant();
            workers = Executors.newFixedThreadPool(concurrency, daemonThreads("ragmail-worker-"));
            fetcher = daemonThreads("ragmail-fetch-").newThread(() -> guarded("fetch", this::fetchLoop));
            retrier = daemonThreads("ragmail-retry-").newThread(() -> guarded("retry", this::retryLoop));
            fetcher.start();
            retrier.start();
        }
    }

    /**
     * Whether the pipeline is fetching and processing mail: false before {@link #start()}, after
     * {@link #close()}, and after a loop died ({@link #failure()}), when a supervisor should restart it.
     */
    public boolean isRunning() {
        return running;
    }

    /**
     * When the fetch loop last made progress: a poll that returned (with or without mail), a failed
     * one it backed off from, or a mail handed to a worker. A loop that is alive advances it at least
     * every {@code pollWait + }{@link #MAX_SOURCE_BACKOFF}, plus, when every worker is busy, the time
     * one worker needs to finish its mail (back-pressure); a supervisor that sees it older than that
     * (with some slack for a slow mail server) should consider the pipeline stalled and restart it.
     */
    public Instant lastProgress() {
        return lastProgress;
    }

    /** Why the pipeline stopped by itself, when a loop died; empty while running and after {@link #close()}. */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure);
    }

    /**
     * Blocks until the pipeline stopped: {@link #close()} completed (from any thread, before or after
     * {@link #start()}), or a loop died, in which case {@link #failure()} says why and the caller
     * should still {@link #close()} it to stop the workers.
     *
     * @throws InterruptedException when the waiting thread is interrupted
     */
    public void awaitTermination() throws InterruptedException {
        stopped.await();
    }

    /**
     * Like {@link #awaitTermination()}, waiting at most {@code timeout}.
     *
     * @return true when the pipeline stopped, false when the timeout passed first
     * @throws InterruptedException when the waiting thread is interrupted
     */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout");
        return stopped.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** How many mails this pipeline processes at once: its workers. */
    public int concurrency() {
        return concurrency;
    }

    /** Mails being processed right now. */
    public int inFlight() {
        return inFlight.size();
    }

    /** Mails the ledger could not admit yet, held in memory to be offered again. */
    public int unadmitted() {
        return unadmittedCount.get();
    }

    /**
     * Stops gracefully: stops fetching, lets in-flight mail finish within the shutdown timeout, then
     * interrupts what is left. Interrupted mail stays in the ledger and is resumed on the next start.
     * Does not close the source, sinks or ledger, which belong to the caller.
     */
    @Override
    public void close() {
        synchronized (lifecycle) {
            if (fetcher == null || workers.isShutdown()) {
                running = false;
                stopped.countDown();
                return;
            }
            running = false;
            fetcher.interrupt();
            retrier.interrupt();
            try {
                fetcher.join(shutdownTimeout.toMillis());
                retrier.join(shutdownTimeout.toMillis());
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
            if (failure == null) {
                PipelineStoppedEvent event = new PipelineStoppedEvent(Optional.empty(), clock.instant());
                listeners.emit(l -> l.onStopped(event));
            }
            stopped.countDown();
        }
    }

    // ---------------------------------------------------------------- the two loops

    /**
     * Runs a loop; should it end while the pipeline is meant to run (an Error its own recovery could
     * not survive), the pipeline reports itself stopped instead of looking alive with a dead thread.
     */
    private void guarded(String name, Runnable loop) {
        Throwable died = null;
        try {
            loop.run();
        } catch (Throwable t) {
            died = t;
        } finally {
            if (running) {
                Throwable why = died != null ? died : new IllegalStateException("the " + name + " loop ended");
                failure = why;
                running = false;
                try {
                    log.error("the {} loop died; the pipeline stopped and must be restarted", name, why);
                    PipelineStoppedEvent event = new PipelineStoppedEvent(Optional.of(why), clock.instant());
                    listeners.emit(l -> l.onStopped(event));
                } catch (Throwable ignored) {
                    // reporting failed too (out of memory?): isRunning() is false already, which is what matters
                }
                synchronized (retryTick) {
                    retryTick.notifyAll();
                }
                stopped.countDown();
            }
        }
    }

    private void fetchLoop() {
        boolean resumed = false;
        Duration backoff = FIRST_SOURCE_BACKOFF;
        while (running) {
            try {
                if (!resumed) {
                    // on start, everything a previous run left unfinished is resumed, before fetching
                    resumeUnfinished(null);
                    resumed = true;
                }
                List<InboundMail> mails = source.poll(pollWait);
                heartbeat();
                up(source.name());
                backoff = FIRST_SOURCE_BACKOFF;
                if (!running) {
                    break; // closing: mail that arrived now is left unacknowledged for the next run
                }
                for (InboundMail mail : mails) {
                    submit(mail.key(), () -> processNew(mail)); // waits for a free worker: back-pressure
                    lastProgress = clock.instant();
                }
            } catch (InterruptedException e) {
                if (!running) {
                    break;
                }
            } catch (Throwable e) {
                // Errors too (a LinkageError from an adapter, a StackOverflowError on a hostile mail):
                // the loop backs off and tries again rather than die with isRunning() still true.
                if (e instanceof RagmailException re) {
                    components.down(named(source.name(), re), re.getMessage(), re instanceof AuthenticationException);
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
                heartbeat();
                backoff = min(backoff.multipliedBy(2), MAX_SOURCE_BACKOFF);
            }
        }
    }

    /** The fetch loop went once round: a health server's liveness and a watchdog see it. */
    private void heartbeat() {
        Instant now = clock.instant();
        lastProgress = now;
        LoopHeartbeatEvent event = new LoopHeartbeatEvent(now);
        listeners.emit(l -> l.onHeartbeat(event));
    }

    /**
     * Once a second: mail the ledger could not admit, due retries, mail waiting on a component that
     * recovered (and a probe of components still down), and every minute the sweep of stalled mail
     * and failed acknowledgements. Each step fails alone, and is tried again on the next tick.
     */
    private void retryLoop() {
        Instant nextSweep = clock.instant().plus(SWEEP_INTERVAL);
        Instant nextProbe = clock.instant().plus(probeInterval);
        while (running) {
            Instant now = clock.instant();
            step("admitting mail again", this::admitAgain);
            step("waking mail that waits on a recovered component", this::wakeRecovered);
            if (!now.isBefore(nextProbe)) {
                step("probing components that are down", this::probeDown);
                nextProbe = now.plus(probeInterval);
            }
            if (!now.isBefore(nextSweep)) {
                step("resuming stalled mail", () -> resumeUnfinished(now.minus(stallAfter)));
                step("acknowledging again", () -> acknowledgeAgain(now.minus(ACK_RETRY_AFTER)));
                nextSweep = now.plus(SWEEP_INTERVAL);
            }
            step("submitting due retries", this::submitDueRetries);
            synchronized (retryTick) {
                if (running && recovered.isEmpty()) {
                    try {
                        retryTick.wait(RETRY_TICK_MILLIS);
                    } catch (InterruptedException e) {
                        if (!running) {
                            return;
                        }
                    }
                }
            }
        }
    }

    @FunctionalInterface
    private interface Step {
        void run() throws InterruptedException;
    }

    private void step(String what, Step step) {
        if (!running) {
            return;
        }
        try {
            step.run();
        } catch (InterruptedException e) {
            if (running) {
                Thread.currentThread().interrupt();
            }
        } catch (Throwable e) {
            if (e instanceof RagmailException re) {
                log.warn("{} failed ({}); trying again shortly", what, re.getMessage());
            } else {
                log.error("{} failed; trying again shortly", what, e);
            }
        }
    }

    /** Resumes mail left in RECEIVED, DRAFTING or SENDING: all of it when {@code cutoff} is null, else what stalled before it. */
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
                } catch (Throwable e) {
                    // Errors too: the slot and the in-flight entry are freed below, and the mail counts a
                    // failed attempt now instead of lying in DRAFTING until the stall sweep finds it.
                    log.error("processing {} failed unexpectedly; recorded as a failed attempt", key, e);
                    recordUnexpected(key, e);
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

    private void recordUnexpected(MailKey key, Throwable error) {
        try {
            Optional<LedgerEntry> entry = ledger.find(key);
            if (entry.isPresent() && !entry.get().state().isTerminal()) {
                fail(entry.get(), Component.PIPELINE, error);
            }
        } catch (Throwable e) {
            // The ledger cannot take it either: the mail stays where it is and the sweep resumes it.
            log.warn("{}: could not record the failed attempt ({}); the stall sweep resumes it", key, e.toString());
        }
    }

    // ---------------------------------------------------------------- admission

    private void processNew(InboundMail mail) {
        ProcessingLedger.Admission admission;
        try {
            admission = ledger.admit(mail, clock.instant());
        } catch (RuntimeException e) {
            // Not stored, and the source will not yield it again in this session: keep it and try again.
            holdUnadmitted(mail, FIRST_ADMISSION_BACKOFF, e);
            return;
        }
        up(Component.LEDGER);
        LedgerEntry entry = admission.entry();
        if (admission.isNew()) {
            MailReceivedEvent event = new MailReceivedEvent(entry.key(), mail.from(), mail.subject(), entry.receivedAt());
            listeners.emit(l -> l.onReceived(event));
        }
        // The mail as yielded now carries the source's current handle for acknowledging it.
        continueWith(entry, mail);
    }

    private void holdUnadmitted(InboundMail mail, Duration backoff, RuntimeException error) {
        if (error instanceof RagmailException re) {
            components.down(named(Component.LEDGER, re), re.getMessage(), false);
        }
        if (unadmittedCount.incrementAndGet() > MAX_UNADMITTED) {
            unadmittedCount.decrementAndGet();
            log.error("the ledger did not take {} ({}) and {} mails already wait for it; the source yields it "
                    + "again after a restart", mail.key(), error.toString(), MAX_UNADMITTED);
            return;
        }
        log.warn("the ledger did not take {} ({}); offering it again in {}", mail.key(), error.toString(), backoff);
        unadmitted.add(new Unadmitted(mail, backoff, clock.instant().plus(backoff)));
    }

    /** Offers held mail to the ledger again, each when its backoff has passed. */
    private void admitAgain() throws InterruptedException {
        Instant now = clock.instant();
        List<Unadmitted> notYet = new ArrayList<>();
        Unadmitted held;
        int n = unadmittedCount.get();
        for (int i = 0; i < n && (held = unadmitted.poll()) != null; i++) {
            if (held.notBefore().isAfter(now)) {
                notYet.add(held);
                continue;
            }
            unadmittedCount.decrementAndGet();
            Unadmitted attempt = held;
            submit(attempt.mail().key(), () -> {
                ProcessingLedger.Admission admission;
                try {
                    admission = ledger.admit(attempt.mail(), clock.instant());
                } catch (RuntimeException e) {
                    holdUnadmitted(attempt.mail(), min(attempt.backoff().multipliedBy(2), MAX_ADMISSION_BACKOFF), e);
                    return;
                }
                up(Component.LEDGER);
                LedgerEntry entry = admission.entry();
                if (admission.isNew()) {
                    MailReceivedEvent event = new MailReceivedEvent(entry.key(), attempt.mail().from(),
                            attempt.mail().subject(), entry.receivedAt());
                    listeners.emit(l -> l.onReceived(event));
                }
                continueWith(entry, attempt.mail());
            });
        }
        unadmitted.addAll(notYet);
    }

    // ---------------------------------------------------------------- recovery of waiting mail

    private void recovered(String component) {
        recovered.add(component);
        synchronized (retryTick) {
            retryTick.notifyAll();
        }
    }

    /** A component answers again: every mail waiting on it is due now. */
    private void wakeRecovered() {
        for (String component : Set.copyOf(recovered)) {
            recovered.remove(component);
            try {
                int woken = ledger.wake(component, Integer.MAX_VALUE, clock.instant());
                if (woken > 0) {
                    log.info("{} answers again; {} mails waiting for it are retried now", component, woken);
                }
            } catch (RuntimeException e) {
                recovered.add(component); // next tick
                throw e;
            }
        }
    }

    /**
     * While a component is down, one mail waiting on it is tried every probe interval: its success
     * brings the component up, which wakes the rest. Without it, mail parked for an outage would sleep
     * until its own backoff ended even though the component had long recovered.
     */
    private void probeDown() {
        Set<String> suspects = new LinkedHashSet<>(components.down());
        if (!probedSinceStart) {
            // After a restart nothing is known to be down, yet mail may wait on a component since the
            // last run: probe each such component once; a success wakes the rest.
            for (LedgerEntry waiting : ledger.inState(MailState.RETRY, 1000)) {
                if (!waiting.waitingOn().isEmpty()) {
                    suspects.add(waiting.waitingOn());
                }
            }
            probedSinceStart = true;
        }
        for (String component : suspects) {
            ledger.wake(component, 1, clock.instant());
        }
    }

    /** Acknowledges terminal mail again whose acknowledgement failed (or never happened) before {@code olderThan}. */
    private void acknowledgeAgain(Instant olderThan) {
        for (LedgerEntry entry : ledger.unacknowledged(ACK_BATCH)) {
            if (!entry.updatedAt().isBefore(olderThan)) {
                break; // oldest first: the rest are newer, and their worker may still be acknowledging them
            }
            if (!inFlight.contains(entry.key())) {
                acknowledge(entry, entry.mail());
            }
        }
    }

    // ---------------------------------------------------------------- one mail

    private void resume(MailKey key) {
        ledger.find(key).ifPresent(entry -> continueWith(entry, null));
    }

    /**
     * @param yielded the mail as the source yielded it just now, or {@code null} when resumed from the
     *                ledger; a terminal mail the source yields again is acknowledged again
     */
    private void continueWith(LedgerEntry entry, InboundMail yielded) {
        switch (entry.state()) {
            case SENT, REVIEW, SKIPPED, DEAD -> {
                if (yielded != null || !entry.acknowledged()) {
                    acknowledge(entry, yielded != null ? yielded : entry.mail());
                }
            }
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
            if (entry.state() == MailState.DRAFTING && !retryPolicy.allowsAnother(entry.attempts())) {
                // Every attempt so far started and never ended (a crash, a hang): no more paid drafts.
                log.warn("{}: {} attempts started and none finished; giving up", key, entry.attempts());
                markDead(entry, Component.PIPELINE, "gave up after " + entry.attempts()
                        + " attempts that never finished; last error " + blankToNone(entry.reason()), clock.instant());
                return;
            }
            Optional<String> unreadable = mail.unreadable();
            if (unreadable.isPresent()) {
                // We could not read it, so a person must: it stays visible in the mailbox.
                skip(entry, unreadable.get(), MailOutcome.NEEDS_PERSON);
                return;
            }
            TriageDecision decision = triage.screen(mail);
            if (!decision.answer()) {
                skip(entry, decision.reason(), decision.outcome());
                return;
            }
            entry = ledger.startDrafting(key, triage.quota(), clock.instant());
        } catch (QuotaExceededException e) {
            skip(entry, e.reason(), MailOutcome.NEEDS_PERSON);
            return;
        } catch (LedgerConflictException e) {
            leaveToOther(key, e);
            return;
        }
        LedgerEntry drafting = entry;
        Instant started = clock.instant();
        LedgerEntry stored;
        try {
            SenderIdentity sender = verifySender(mail);
            Optional<CustomerFacts> found = call(Component.ERP, () -> erp.factsFor(sender));
            // An address that several unrelated customers share names none of them: no facts, a person decides.
            boolean ambiguous = found.map(CustomerFacts::ambiguous).orElse(false);
            // Defence in depth: whatever the ERP client returns, an unverified sender's facts stay out.
            Optional<CustomerFacts> facts = sender.verified() && !ambiguous ? found : Optional.empty();
            boolean withheld = !sender.verified() && found.isPresent() && !ambiguous;
            // the mail's new text, bounded, one search per question; evidence strength for the review policy
            MailSearch.Result retrieved = call(Component.KNOWLEDGE, () -> mailSearch.search(mail));
            DraftRequest request = new DraftRequest(mail, retrieved.passages(), facts, sender, withheld, retrieved.evidence());
            Draft draft = call(Component.DRAFTER, () -> drafter.draft(request));
            Instant drafted = clock.instant();
            ReplyDraftedEvent event = new ReplyDraftedEvent(key, draft.confidence(), draft.usage(),
                    Duration.between(started, drafted), drafted, pricing.cost(draft.usage()), pricing.currency());
            listeners.emit(l -> l.onDrafted(event));
            ReviewDecision review = ambiguous ? alsoReview(reviewPolicy.decide(request, draft), AMBIGUOUS_SENDER)
                    : reviewPolicy.decide(request, draft);
            OutboundReply reply = composer.compose(mail, draft, review.reasons());
            TokenUsage usage = drafting.usage().plus(retrieved.usage()).plus(draft.usage());
            stored = ledger.storeReply(key, reply, review.disposition(), usage, pricing.cost(usage), pricing.currency(),
                    drafted);
        } catch (LedgerConflictException e) {
            leaveToOther(key, e);
            return;
        } catch (StageException e) {
            fail(drafting, named(e.stage, e.cause), e.cause);
            return;
        } catch (RuntimeException e) {
            // Outside the stage wrapper (review policy, composer, pricing, a busy ledger): still a failed
            // attempt, counted, so the mail reaches RETRY and in the end DEAD, never an endless loop.
            fail(drafting, named(Component.PIPELINE, e), e);
            return;
        }
        deliver(stored);
    }

    private SenderIdentity verifySender(InboundMail mail) {
        SenderIdentity identity;
        try {
            identity = Objects.requireNonNull(senderVerifier.verify(mail), "sender verifier returned null");
        } catch (RuntimeException e) {
            log.warn("{}: sender verification failed ({}); treating the sender as unverified", mail.key(), e.toString());
            return new SenderIdentity(mail.from(), false, "sender verification failed");
        }
        if (identity.verified() && !identity.address().sameMailboxAs(mail.from())) {
            // A verifier vouches for one address; private data is for the From address only.
            log.warn("{}: the sender verifier verified {}, not the From address; treating the sender as unverified",
                    mail.key(), identity.address().address());
            return new SenderIdentity(mail.from(), false, "verified address differs from From");
        }
        return identity;
    }

    private void resolveSending(LedgerEntry entry) {
        MailSink target = sinkFor(entry.disposition());
        Delivery found;
        try {
            found = target.findDelivered(entry.reply().messageId());
        } catch (RuntimeException e) {
            fail(entry, named(target.name(), e), e);
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
            fail(entry, named(target.name(), e), e);
            return;
        }
        up(target.name());
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
        acknowledge(done, done.mail());
    }

    private void skip(LedgerEntry entry, String reason, MailOutcome outcome) {
        Instant now = clock.instant();
        LedgerEntry skipped;
        try {
            skipped = ledger.markSkipped(entry.key(), reason, outcome, now);
        } catch (LedgerConflictException e) {
            leaveToOther(entry.key(), e);
            return;
        }
        MailSkippedEvent event = new MailSkippedEvent(entry.key(), reason, outcome, now);
        listeners.emit(l -> l.onSkipped(event));
        acknowledge(skipped, skipped.mail());
    }

    /**
     * Records a failed attempt: RETRY with backoff while attempts remain, else DEAD. The attempt was
     * counted when it started (DRAFTING, SENDING); a mail that failed before that is counted here.
     */
    private void fail(LedgerEntry entry, String component, Throwable error) {
        Instant now = clock.instant();
        MailKey key = entry.key();
        String description = component + ": " + Objects.toString(error.getMessage(), error.getClass().getSimpleName());
        int attempts = entry.state() == MailState.DRAFTING || entry.state() == MailState.SENDING
                ? Math.max(1, entry.attempts()) : entry.attempts() + 1;
        try {
            if (error instanceof AuthenticationException) {
                components.down(component, description, true);
                // Waits for an operator (or the credentials' return, noticed by the probe) without
                // using up its attempts; woken as soon as the component answers again.
                Instant next = retryPolicy.nextAttemptAt(retryPolicy.maxAttempts(), now, Optional.empty());
                int kept = Math.max(0, attempts - 1);
                ledger.scheduleRetry(key, kept, next, description, component, now);
                emitRetry(key, kept, next, component, description, now);
            } else if (error instanceof NonRetriableException) {
                log.warn("{} failed for good: {}", key, description);
                markDead(entry, component, description, now);
            } else {
                if (error instanceof RetriableException) {
                    components.down(component, description, false);
                } else {
                    log.warn("{}: unexpected error from {}; treated as passing", key, component, error);
                }
                if (retryPolicy.allowsAnother(attempts)) {
                    Optional<Duration> retryAfter = error instanceof RetriableException re ? re.retryAfter() : Optional.empty();
                    Instant next = retryPolicy.nextAttemptAt(attempts, now, retryAfter);
                    String waitingOn = error instanceof RetriableException ? component : "";
                    ledger.scheduleRetry(key, attempts, next, description, waitingOn, now);
                    emitRetry(key, attempts, next, component, description, now);
                } else {
                    markDead(entry, component, "gave up after " + attempts + " attempts; last error " + description, now);
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

    /** → DEAD, and acknowledged as needing a person, so that it is not yielded again as new but stays visible. */
    private void markDead(LedgerEntry entry, String component, String error, Instant now) {
        LedgerEntry dead = ledger.markDead(entry.key(), error, now);
        MailDeadEvent event = new MailDeadEvent(entry.key(), component, error, now);
        listeners.emit(l -> l.onDead(event));
        acknowledge(dead, dead.mail());
    }

    /**
     * Tells the source the mail's outcome, then records that it did. A failure is logged, not thrown:
     * the sweep acknowledges the mail again, and if the process dies first the mail comes back after
     * a restart and the ledger recognises it.
     */
    private void acknowledge(LedgerEntry entry, InboundMail mail) {
        Optional<MailOutcome> outcome = entry.acknowledgement();
        if (outcome.isEmpty()) {
            return;
        }
        // The source finds the mail by its own Message-ID, not by a key the ledger qualified with the sender.
        InboundMail asYielded = mail.key().equals(mail.key().withoutSender()) ? mail
                : mail.toBuilder().key(mail.key().withoutSender()).build();
        // Without a review sink the held-back reply is only in the ledger: the original stays in a person's sight.
        MailOutcome told = entry.state() == MailState.REVIEW && reviewSink == LedgerOnlyReviewSink.INSTANCE
                ? MailOutcome.NEEDS_PERSON : outcome.get();
        try {
            source.acknowledge(asYielded, told);
        } catch (RuntimeException e) {
            log.warn("acknowledging {} failed ({}); trying again later", entry.key(), e.getMessage());
            return;
        }
        try {
            ledger.markAcknowledged(entry.key(), clock.instant());
        } catch (RuntimeException e) {
            // Acknowledging twice is harmless: the sweep will do it again.
            log.debug("recording the acknowledgement of {} failed ({})", entry.key(), e.toString());
        }
    }

    private MailSink sinkFor(Disposition disposition) {
        return disposition == Disposition.SEND ? sink : reviewSink;
    }

    private <T> T call(String stage, Supplier<T> work) {
        try {
            T result = work.get();
            up(stage);
            return result;
        } catch (RuntimeException e) {
            throw new StageException(stage, e);
        }
    }

    /**
     * The component a failure at {@code stage} is reported under: the one its exception names (the
     * dependency that failed, such as {@link Component#MISTRAL}), else the stage itself. Remembered, so
     * that the stage's next success brings that component up again.
     */
    private String named(String stage, Throwable error) {
        String component = error instanceof RagmailException re ? re.component() : stage;
        if (!component.equals(stage)) {
            namedByStage.computeIfAbsent(stage, s -> ConcurrentHashMap.newKeySet()).add(component);
        }
        return component;
    }

    /** The stage worked: it, and every component its failures named, answer again. */
    private void up(String stage) {
        components.up(stage);
        Set<String> named = namedByStage.get(stage);
        if (named != null) {
            named.forEach(components::up);
        }
    }

    /** The review policy's decision, made a review with one more reason for the person. */
    private static ReviewDecision alsoReview(ReviewDecision decision, String reason) {
        List<String> reasons = new ArrayList<>(decision.reasons());
        reasons.add(reason);
        return ReviewDecision.review(reasons);
    }

    private static String blankToNone(String s) {
        return s == null || s.isBlank() ? "none recorded" : s;
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

    /**
     * The review sink of {@link Builder#withoutReviewSink()}: files nothing, so that the reply stays
     * in the ledger (REVIEW) only. Reports every reply as delivered, because there is nothing to
     * deliver and a crash while "filing" must not file twice.
     */
    private static final class LedgerOnlyReviewSink implements MailSink {
        static final LedgerOnlyReviewSink INSTANCE = new LedgerOnlyReviewSink();

        @Override
        public void deliver(OutboundReply reply) {
            // nothing to file: the ledger keeps the reply
        }

        @Override
        public Delivery findDelivered(String messageId) {
            return Delivery.DELIVERED;
        }

        @Override
        public String name() {
            // not "ledger": that is the ledger's own component, whose health this sink must not report
            return "no-review-sink";
        }
    }

    /** Carries which stage failed from {@link #call} to {@link #fail}. */
    private static final class StageException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final String stage;
        final RuntimeException cause;

        StageException(String stage, RuntimeException cause) {
            super(cause.getMessage(), cause, false, false);
            this.stage = stage;
            this.cause = cause;
        }
    }

    /** Settings of a {@link Pipeline}; see each method for defaults. */
    public static final class Builder {
        private MailSource source;
        private KnowledgeStore knowledge;
        private ErpClient erp = NoopErpClient.INSTANCE;
        private Drafter drafter;
        private MailSink sink;
        private MailSink reviewSink;
        private boolean withoutKnowledge;
        private QueryRewriter queryRewriter = QueryRewriter.NONE;
        private boolean withoutReviewSink;
        private ProcessingLedger ledger;
        private EmailAddress from;
        private ReplyComposer composer;
        private Triage triage;
        private UnaryOperator<Triage.Builder> triageSettings = UnaryOperator.identity();
        private Triage resolvedTriage;
        private ReviewPolicy reviewPolicy = ReviewPolicy.builder().build();
        private SenderVerifier senderVerifier = SenderVerifier.trustNoOne();
        private TokenPricing pricing = TokenPricing.FREE;
        private RetryPolicy retryPolicy = RetryPolicy.ofDefaults();
        private int concurrency = DEFAULT_CONCURRENCY;
        private Duration pollWait = DEFAULT_POLL_WAIT;
        private Duration shutdownTimeout = DEFAULT_SHUTDOWN_TIMEOUT;
        private Duration stallAfter = DEFAULT_STALL_AFTER;
        private Duration probeInterval = DEFAULT_PROBE_INTERVAL;
        private Clock clock = Clock.systemUTC();
        private Sleeper sleeper = Sleeper.SYSTEM;
        private final List<PipelineListener> listeners = new ArrayList<>();

        /** Required: where mail comes from. */
        public Builder source(MailSource source) { this.source = source; return this; }

        /**
         * Required, or {@link #withoutKnowledge()}: where the answers to customers' questions are
         * looked up.
         */
        public Builder knowledge(KnowledgeStore knowledge) { this.knowledge = knowledge; this.withoutKnowledge = false; return this; }

        /**
         * Answers without a knowledge base: the drafter gets no passages, so every reply rests on the
         * ERP's facts and the drafter alone, and the review policy sees no evidence. An explicit choice,
         * because a forgotten {@link #knowledge(KnowledgeStore)} would otherwise go unnoticed.
         */
        public Builder withoutKnowledge() { this.knowledge = null; this.withoutKnowledge = true; return this; }

        /**
         * Rewrites the search query of mail in another language than the knowledge base's (English), such
         * as {@code MistralQueryRewriter}; default {@link QueryRewriter#NONE}. See {@link MailSearch}.
         */
        public Builder queryRewriter(QueryRewriter queryRewriter) { this.queryRewriter = queryRewriter; return this; }

        /** Default: {@link NoopErpClient}. */
        public Builder erp(ErpClient erp) { this.erp = erp; return this; }

        /** Required. */
        public Builder drafter(Drafter drafter) { this.drafter = drafter; return this; }

        /** Required: where replies that may be sent go. */
        public Builder sink(MailSink sink) { this.sink = sink; return this; }

        /**
         * Required, or {@link #withoutReviewSink()}: where replies for a person to review go (usually
         * the Drafts folder).
         */
        public Builder reviewSink(MailSink reviewSink) { this.reviewSink = reviewSink; this.withoutReviewSink = false; return this; }

        /**
         * Files no reply for review anywhere: a reply the review policy holds back is stored in the
         * ledger in state {@link MailState#REVIEW} (its text in {@link LedgerEntry#storedReply()}) and
         * nowhere else, and the customer's mail is acknowledged as {@link MailOutcome#NEEDS_PERSON},
         * so it stays unread in the inbox for a person, who finds the held-back reply in the ledger
         * (the dashboard, {@code ProcessingLedger.inState(MailState.REVIEW, n)}). Listeners still get
         * {@link ReplyFiledForReviewEvent}. For setups that only send, or that read the ledger
         * themselves; such a reply is never sent.
         */
        public Builder withoutReviewSink() { this.reviewSink = null; this.withoutReviewSink = true; return this; }

        /** Required: the processing ledger. */
        public Builder ledger(ProcessingLedger ledger) { this.ledger = ledger; return this; }

        /** Required unless a composer and a triage are given: the address replies come from. */
        public Builder from(EmailAddress from) { this.from = from; return this; }

        /** Default: a composer for {@link #from}. */
        public Builder composer(ReplyComposer composer) { this.composer = composer; return this; }

        /**
         * Default: triage with default limits, treating the composer's address as ours and its loop id
         * as our {@code X-Loop}. To change a limit, {@link #triage(UnaryOperator)} is enough. A triage
         * given here gets the composer's address added to its own, and must have the composer's loop
         * id ({@link Triage#loopId()}), else {@link #build()} refuses it.
         */
        public Builder triage(Triage triage) { this.triage = triage; return this; }

        /**
         * Changes settings of the triage, starting from the defaults (or from {@link #triage(Triage)}),
         * without building one: {@code .triage(t -> t.maxRepliesPerSender(50))}. Our address and the
         * loop id come from the composer, so the loop guard always recognises the replies it writes.
         */
        public Builder triage(UnaryOperator<Triage.Builder> settings) {
            this.triageSettings = Objects.requireNonNull(settings, "triage settings");
            return this;
        }

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

        /**
         * Mails in flight at once (the workers); default {@value Pipeline#DEFAULT_CONCURRENCY}. Each worker
         * holds one mail for its whole way, so the drafter's rate limit ({@code MistralDrafter}'s
         * {@code requestsPerSecond}, default 1/s) is kept busy with about
         * {@code requestsPerSecond × seconds one mail takes (draft plus mail I/O)} workers, plus one:
         * fewer leave the limit unused, more only wait for the limiter (nothing breaks, each holds a
         * mail in memory). {@link #concurrencyFor} computes it. Measured (docs/benchmarks.md, "Drafting
         * throughput"): 10 requests/s at 800 ms per draft and about 0.4 s of mail I/O, 13 workers kept
         * the limit as busy as 32 (100 % in steady state), 9 reached 91 %, one worker 11 %.
         */
        public Builder concurrency(int concurrency) { this.concurrency = concurrency; return this; }

        /**
         * Derives {@link #concurrency} from the drafter's rate limit and the time one mail takes from
         * fetch to acknowledgement (mostly the model's latency): {@code ceil(requestsPerSecond ×
         * timePerMail) + 1}, the one extra so that a request slot never waits for a worker that is still
         * sending; at most {@value Pipeline#MAX_DERIVED_CONCURRENCY}. Use the same rate as the drafter's:
         *
         * <pre>{@code
         * double rate = 10;  // the Mistral plan's requests per second
         * MistralDrafter drafter = MistralDrafter.builder().apiKey(key).requestsPerSecond(rate).build();
         * Pipeline.builder().drafter(drafter).concurrencyFor(rate, Duration.ofMillis(1200)) ... // 13 workers
         * }</pre>
         *
         * @throws IllegalArgumentException when the rate is not positive and finite or the time not positive
         */
        public Builder concurrencyFor(double requestsPerSecond, Duration timePerMail) {
            if (!(requestsPerSecond > 0) || Double.isInfinite(requestsPerSecond)) {
                throw new IllegalArgumentException("requestsPerSecond must be positive, was " + requestsPerSecond);
            }
            requirePositive(timePerMail, "timePerMail");
            double busy = requestsPerSecond * timePerMail.toNanos() / 1e9;
            // a hair below each whole number, so that 10/s × 1.2 s is 12 workers busy, not 13 from rounding
            this.concurrency = (int) Math.min(MAX_DERIVED_CONCURRENCY, Math.ceil(busy - 1e-9) + 1);
            return this;
        }

        /** Longest wait for new mail in one poll; default 30 s. Due retries are picked up between polls. */
        public Builder pollWait(Duration pollWait) { this.pollWait = pollWait; return this; }

        /** How long {@link Pipeline#close()} lets in-flight mail finish; default 30 s. */
        public Builder shutdownTimeout(Duration timeout) { this.shutdownTimeout = timeout; return this; }

        /** After how long without progress a mail in DRAFTING or SENDING is resumed; default 10 min. */
        public Builder stallAfter(Duration stallAfter) { this.stallAfter = stallAfter; return this; }

        /**
         * While a component is down, how often one mail waiting on it is tried, to notice that it
         * answers again; default 30 s. Its recovery then wakes every mail waiting on it.
         */
        public Builder probeInterval(Duration probeInterval) { this.probeInterval = probeInterval; return this; }

        public Builder clock(Clock clock) { this.clock = clock; return this; }

        public Builder sleeper(Sleeper sleeper) { this.sleeper = sleeper; return this; }

        public Builder listener(PipelineListener listener) { this.listeners.add(Objects.requireNonNull(listener, "listener")); return this; }

        public Pipeline build() {
            require(source, "source");
            require(drafter, "drafter");
            require(sink, "sink");
            if (reviewSink == null && !withoutReviewSink) {
                throw new IllegalArgumentException("reviewSink is required: call .reviewSink(sink) to file replies "
                        + "for review (usually the Drafts folder), or .withoutReviewSink() to keep them in the ledger only");
            }
            require(ledger, "ledger");
            if (knowledge == null && !withoutKnowledge) {
                throw new IllegalArgumentException("knowledge is required: call .knowledge(store), "
                        + "or .withoutKnowledge() to answer without a knowledge base");
            }
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
            resolvedTriage = triage();
            if (concurrency < 1) {
                throw new IllegalArgumentException("concurrency must be at least 1, was " + concurrency);
            }
            requirePositive(pollWait, "pollWait");
            requirePositive(shutdownTimeout, "shutdownTimeout");
            requirePositive(stallAfter, "stallAfter");
            requirePositive(probeInterval, "probeInterval");
            return new Pipeline(this);
        }

        /** The loop id comes from one place, the composer: a triage with another could not recognise our replies. */
        private Triage triage() {
            Triage.Builder base = triage != null ? triage.toBuilder() : Triage.builder().loopId(composer.loopId());
            Triage.Builder settings = triageSettings.apply(base.ourAddresses(List.of(composer.from())));
            if (settings == null) {
                throw new IllegalArgumentException("triage settings returned null instead of the builder");
            }
            Triage built = settings.build();
            if (!built.loopId().equalsIgnoreCase(composer.loopId())) {
                throw new IllegalArgumentException("triage loopId must be the composer's, '" + composer.loopId()
                        + "', was '" + built.loopId() + "': set it once, with ReplyComposer.builder().loopId(..)");
            }
            return built;
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
