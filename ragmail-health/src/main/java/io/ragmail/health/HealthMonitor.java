package io.ragmail.health;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.ragmail.core.Component;
import io.ragmail.core.MailKey;
import io.ragmail.core.event.ComponentDownEvent;
import io.ragmail.core.event.ComponentUpEvent;
import io.ragmail.core.event.KnowledgeSyncedEvent;
import io.ragmail.core.event.LoopHeartbeatEvent;
import io.ragmail.core.event.MailDeadEvent;
import io.ragmail.core.event.MailReceivedEvent;
import io.ragmail.core.event.MailSkippedEvent;
import io.ragmail.core.event.PipelineListener;
import io.ragmail.core.event.ReplyDraftedEvent;
import io.ragmail.core.event.ReplyFiledForReviewEvent;
import io.ragmail.core.event.ReplySentEvent;
import io.ragmail.core.event.RetryScheduledEvent;
import io.ragmail.core.ledger.LedgerConflictException;
import io.ragmail.core.ledger.LedgerEntry;
import io.ragmail.core.ledger.MailState;
import io.ragmail.core.ledger.ProcessingLedger;
import io.ragmail.core.ledger.UnknownMailException;
import io.ragmail.health.internal.Formats;
import io.ragmail.health.internal.HealthMeters;
import io.ragmail.health.internal.Scrub;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * What ragmail's health is, as Java objects: a {@link PipelineListener} that keeps bounded
 * in-memory state from pipeline events, runs {@link ComponentProbe}s and reads the ledger's queues on
 * a schedule (never per request), and keeps the Micrometer meters behind {@code /metrics}.
 * {@link #snapshot()} is cheap and never blocks on a dependency; {@link HealthServer} serves it over
 * HTTP, and a host application can serve it from its own endpoint instead.
 *
 * <pre>{@code
 * HealthMonitor health = HealthMonitor.builder()
 *         .ledger(ledger)
 *         .dataDirectory(dataDir)                       // disk probe and disk metrics
 *         .probe(ComponentProbe.of("imap", imapCheck))
 *         .build();
 * Pipeline pipeline = Pipeline.builder()...listener(health).build();
 * health.start();                                       // probes every 30 s
 * HealthSnapshot now = health.snapshot();               // e.g. now.status() == HealthStatus.HEALTHY
 * }</pre>
 *
 * <p>Liveness: the pipeline's fetch loop reports each round with
 * {@link PipelineListener#onHeartbeat}; a host can also call {@link #heartbeat()}. Once a heartbeat
 * was seen (or {@link Builder#expectHeartbeat} is set), a gap longer than
 * {@link Builder#heartbeatTimeout} makes {@link #live()} fail and the status unhealthy.
 *
 * <p>Everything kept is bounded: the last {@link Builder#recentMails} mails (no bodies, the sender's
 * domain only, subjects redactable), 24 hourly counters, one record per component (at most 32).
 */
public final class HealthMonitor implements PipelineListener, AutoCloseable {

    /** How often probes run and the ledger is read. */
    public static final Duration DEFAULT_PROBE_INTERVAL = Duration.ofSeconds(30);
    /** How long one probe may take before it counts as down. */
    public static final Duration DEFAULT_PROBE_TIMEOUT = Duration.ofSeconds(10);
    /** A fetch loop silent for longer is stalled. */
    public static final Duration DEFAULT_HEARTBEAT_TIMEOUT = Duration.ofMinutes(5);
    /** How many recent mails the dashboard lists. */
    public static final int DEFAULT_RECENT_MAILS = 50;
    /** How many failed mails the dashboard lists. */
    public static final int DEFAULT_QUEUE_LIMIT = 50;
    /**
     * The components listed even before anything is heard of them, in this order. The names are
     * core's {@link Component} vocabulary, which the pipeline's events use too: no translation.
     */
    public static final List<String> DEFAULT_COMPONENTS = List.of(Component.IMAP, Component.SMTP, Component.ODOO,
            Component.MISTRAL, Component.KNOWLEDGE, Component.LEDGER, Component.DISK, Component.MEMORY);
    /** Components whose being down makes ragmail unhealthy: no mail comes in, or nothing can be recorded. */
    public static final Set<String> DEFAULT_CRITICAL = Set.of(Component.IMAP, Component.LEDGER, Component.DISK);
    /** What stands in for a subject when subjects are redacted. */
    public static final String REDACTED = "(redacted)";

    private static final Logger log = LoggerFactory.getLogger(HealthMonitor.class);
    private static final int MAX_COMPONENTS = 32;
    private static final int HOURS = 24;
    private static final int MAX_SYNC_SOURCES = 8;

    private final Clock clock;
    private final ZoneId zone;
    private final ProcessingLedger ledger;
    private final List<ComponentProbe> probes;
    private final Set<String> critical;
    private final Map<String, String> aliases;
    private final Duration probeInterval;
    private final Duration probeTimeout;
    private final Duration heartbeatTimeout;
    private final boolean expectHeartbeat;
    private final int recentLimit;
    private final int queueLimit;
    private final boolean redactSubjects;
    private final PrometheusMeterRegistry registry;
    private final HealthMeters meters;
    private final Instant startedAt;

    private final Object lock = new Object();
    private final Map<String, Tracked> components = new LinkedHashMap<>();
    private final LinkedHashMap<MailKey, Mail> recent = new LinkedHashMap<>();
    private final long[][] hours = new long[HOURS][5];
    private final long[] hourOf = new long[HOURS];
    private final long[] todayCounts = new long[5];
    private LocalDate today;
    private final long[] sinceStart = new long[5];
    private Instant lastEmail;
    private volatile Instant lastHeartbeat;
    private volatile QueueSnapshot queue = QueueSnapshot.UNKNOWN;
    private volatile Map<MailState, Long> ledgerCounts;
    private final Map<String, Instant> lastSync = new ConcurrentHashMap<>();

    private final Object refreshLock = new Object();
    private final ThreadPoolExecutor probeRunner;
    private final Map<String, java.util.concurrent.atomic.AtomicBoolean> hung = new ConcurrentHashMap<>();
    private volatile ScheduledExecutorService scheduler;
    private volatile boolean closed;

    private static final int SENT = 0;
    private static final int REVIEW = 1;
    private static final int SKIPPED = 2;
    private static final int RETRIED = 3;
    private static final int DEAD = 4;

    private HealthMonitor(Builder b) {
        this.clock = b.clock;
        this.zone = b.zone;
        this.ledger = b.ledger;
        this.critical = Set.copyOf(b.critical);
        this.aliases = Map.copyOf(b.aliases);
        this.probeInterval = b.probeInterval;
        this.probeTimeout = b.probeTimeout;
        this.heartbeatTimeout = b.heartbeatTimeout;
        this.expectHeartbeat = b.expectHeartbeat;
        this.recentLimit = b.recentMails;
        this.queueLimit = b.queueLimit;
        this.redactSubjects = b.redactSubjects;
        this.startedAt = clock.instant();
        List<ComponentProbe> all = new ArrayList<>(b.probes);
        if (b.dataDirectory != null && all.stream().noneMatch(p -> p.name().equals(Component.DISK))) {
            all.add(ComponentProbe.diskSpace(b.dataDirectory));
        }
        if (b.memoryProbe && all.stream().noneMatch(p -> p.name().equals(Component.MEMORY))) {
            all.add(ComponentProbe.memory());
        }
        this.probes = List.copyOf(all);
        Set<String> names = new LinkedHashSet<>(b.components);
        probes.forEach(p -> names.add(p.name()));
        if (ledger != null) {
            names.add(Component.LEDGER);
        }
        for (String name : names) {
            components.put(name, new Tracked(name));
        }
        this.registry = b.registry != null ? b.registry : new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        this.meters = new HealthMeters(registry);
        if (b.jvmMetrics) {
            meters.bindJvm(b.dataDirectory);
        }
        registerGauges(b.syncSources);
        this.probeRunner = new ThreadPoolExecutor(0, 4, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
                daemonThreads("ragmail-health-probe-"));
    }

    public static Builder builder() {
        return new Builder();
    }

    // ---------------------------------------------------------------- lifecycle

    /**
     * Runs the probes and reads the ledger now, then every {@code probeInterval} on one daemon
     * thread. Idempotent. {@link HealthServer#start()} calls it.
     */
    public HealthMonitor start() {
        synchronized (refreshLock) {
            if (closed) {
                throw new IllegalStateException("health monitor is closed");
            }
            if (scheduler == null) {
                scheduler = Executors.newSingleThreadScheduledExecutor(daemonThreads("ragmail-health-refresh-"));
                scheduler.scheduleWithFixedDelay(this::refreshQuietly, 0, probeInterval.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
        return this;
    }

    public boolean isStarted() {
        return scheduler != null;
    }

    /** Stops the schedule and the probe threads; does not close the ledger or the meter registry's owner. */
    @Override
    public void close() {
        closed = true;
        synchronized (refreshLock) {
            if (scheduler != null) {
                scheduler.shutdownNow();
            }
        }
        probeRunner.shutdownNow();
        meters.close();
    }

    // ---------------------------------------------------------------- reading

    /** The Prometheus registry behind {@code /metrics}; a host may add its own meters to it. */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** The Prometheus text exposition (format 0.0.4) of every meter. */
    public String scrape() {
        return registry.scrape();
    }

    public ZoneId zone() {
        return zone;
    }

    public Clock clock() {
        return clock;
    }

    /** Whether subjects are kept out of memory and output. */
    public boolean redactsSubjects() {
        return redactSubjects;
    }

    /** Where everything stands now. Cheap: reads memory only, never a dependency. */
    public HealthSnapshot snapshot() {
        Instant now = clock.instant();
        CheckResult live = live(now);
        Map<String, ComponentHealth> comps = new LinkedHashMap<>();
        List<RecentMail> mails = new ArrayList<>();
        List<OutcomeCounts> day = new ArrayList<>(HOURS);
        OutcomeCounts todays;
        Instant last;
        long processed;
        long errors;
        synchronized (lock) {
            for (Tracked c : components.values()) {
                comps.put(c.name, c.view(critical.contains(c.name)));
            }
            for (Mail m : recent.values()) {
                mails.add(m.view());
            }
            long currentHour = epochHour(now);
            for (long h = currentHour - HOURS + 1; h <= currentHour; h++) {
                int slot = slot(h);
                long[] c = hourOf[slot] == h ? hours[slot] : new long[5];
                day.add(counts(Instant.ofEpochSecond(h * 3600), c));
            }
            LocalDate date = now.atZone(zone).toLocalDate();
            long[] t = date.equals(today) ? todayCounts : new long[5];
            todays = counts(date.atStartOfDay(zone).toInstant(), t);
            last = lastEmail;
            processed = sinceStart[SENT] + sinceStart[REVIEW] + sinceStart[SKIPPED] + sinceStart[DEAD];
            errors = sinceStart[DEAD];
        }
        java.util.Collections.reverse(mails);
        Map<MailState, Long> counts = ledgerCounts;
        if (counts != null) {
            processed = counts.getOrDefault(MailState.SENT, 0L) + counts.getOrDefault(MailState.REVIEW, 0L)
                    + counts.getOrDefault(MailState.SKIPPED, 0L) + counts.getOrDefault(MailState.DEAD, 0L);
            errors = counts.getOrDefault(MailState.DEAD, 0L);
        }
        HealthStatus status = status(comps.values(), live);
        CheckResult ready = ready(status, comps);
        return new HealthSnapshot(status, now, zone, Duration.between(startedAt, now), processed, last, errors, comps,
                mails, day, todays, queue, live, ready);
    }

    /** Whether the pipeline loop is making progress: see the class comment. */
    public CheckResult live() {
        return live(clock.instant());
    }

    /**
     * Whether mail can be processed now: the monitor has started, the ledger (when there is one) was
     * read at least once, and the status is not unhealthy.
     */
    public CheckResult ready() {
        return snapshot().ready();
    }

    private CheckResult live(Instant now) {
        Instant beat = lastHeartbeat;
        if (beat == null) {
            if (expectHeartbeat && Duration.between(startedAt, now).compareTo(heartbeatTimeout) > 0) {
                return CheckResult.fail("no pipeline heartbeat since start " + Formats.age(Duration.between(startedAt, now))
                        + " ago");
            }
            return CheckResult.pass();
        }
        Duration silent = Duration.between(beat, now);
        if (silent.compareTo(heartbeatTimeout) > 0) {
            return CheckResult.fail("pipeline loop made no progress for " + Formats.age(silent));
        }
        return CheckResult.pass();
    }

    private CheckResult ready(HealthStatus status, Map<String, ComponentHealth> comps) {
        if (scheduler == null) {
            return CheckResult.fail("health monitor not started");
        }
        if (ledger != null && ledgerCounts == null) {
            ComponentHealth l = comps.get(Component.LEDGER);
            return CheckResult.fail(l != null && !l.lastError().isEmpty() ? "ledger: " + l.lastError() : "ledger not read yet");
        }
        if (status == HealthStatus.UNHEALTHY) {
            List<String> down = new ArrayList<>();
            comps.values().stream().filter(c -> c.critical() && c.state() == ComponentState.DOWN)
                    .forEach(c -> down.add(c.name()));
            return CheckResult.fail(down.isEmpty() ? "unhealthy" : "down: " + String.join(", ", down));
        }
        return CheckResult.pass();
    }

    private HealthStatus status(Iterable<ComponentHealth> comps, CheckResult live) {
        HealthStatus status = live.ok() ? HealthStatus.HEALTHY : HealthStatus.UNHEALTHY;
        for (ComponentHealth c : comps) {
            if (c.state() == ComponentState.DOWN && c.critical()) {
                return HealthStatus.UNHEALTHY;
            }
            if ((c.state() == ComponentState.DOWN || c.state() == ComponentState.DEGRADED)
                    && status == HealthStatus.HEALTHY) {
                status = HealthStatus.DEGRADED;
            }
        }
        return status;
    }

    // ---------------------------------------------------------------- probes and ledger

    /**
     * Runs every probe and reads the ledger now, on the calling thread (each probe still bounded by
     * {@code probeTimeout}). The schedule calls this; tests and hosts may too.
     */
    public void refresh() {
        synchronized (refreshLock) {
            for (ComponentProbe probe : probes) {
                Instant at = clock.instant();
                ProbeResult result = runBounded(probe.name(), probe::check);
                setComponent(probe.name(), result.state(), at, result.detail());
            }
            if (ledger != null) {
                refreshLedger();
            }
        }
    }

    private void refreshQuietly() {
        try {
            refresh();
        } catch (RuntimeException e) {
            log.warn("health refresh failed: {}", Scrub.error(e.toString()));
        }
    }

    private ProbeResult runBounded(String name, Callable<ProbeResult> check) {
        java.util.concurrent.atomic.AtomicBoolean stuck = hung.get(name);
        if (stuck != null) {
            if (!stuck.get()) {
                return ProbeResult.down("probe still hanging from an earlier run");
            }
            hung.remove(name);
        }
        // a cancelled future is "done" at once, while its thread may still hang: track the thread itself
        java.util.concurrent.atomic.AtomicBoolean finished = new java.util.concurrent.atomic.AtomicBoolean();
        Future<ProbeResult> future;
        try {
            future = probeRunner.submit(() -> {
                try {
                    return check.call();
                } finally {
                    finished.set(true);
                }
            });
        } catch (RejectedExecutionException e) {
            return ProbeResult.down("no probe thread free (other probes hang)");
        }
        try {
            ProbeResult result = future.get(probeTimeout.toMillis(), TimeUnit.MILLISECONDS);
            return result == null ? ProbeResult.down("probe returned nothing") : result;
        } catch (TimeoutException e) {
            future.cancel(true);
            hung.put(name, finished);
            return ProbeResult.down("no answer within " + (probeTimeout.toMillis() < 1000
                    ? probeTimeout.toMillis() + "ms" : Formats.age(probeTimeout)));
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return ProbeResult.down(cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage());
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            return ProbeResult.down("interrupted");
        }
    }

    private void refreshLedger() {
        Instant at = clock.instant();
        java.util.concurrent.atomic.AtomicReference<QueueSnapshot> read = new java.util.concurrent.atomic.AtomicReference<>();
        java.util.concurrent.atomic.AtomicReference<Map<MailState, Long>> counts =
                new java.util.concurrent.atomic.AtomicReference<>();
        ProbeResult result = runBounded(Component.LEDGER, () -> {
            Map<MailState, Long> c = ledger.countByState();
            List<QueuedMail> failed = new ArrayList<>();
            for (LedgerEntry e : ledger.inState(MailState.DEAD, queueLimit)) {
                failed.add(new QueuedMail(e.key(), e.receivedAt(), e.updatedAt(), e.mail().from().domain(),
                        subject(e.mail().subject()), Scrub.error(e.reason()), e.attempts()));
            }
            counts.set(Map.copyOf(c));
            read.set(new QueueSnapshot(c.getOrDefault(MailState.RETRY, 0L), c.getOrDefault(MailState.DEAD, 0L),
                    failed, clock.instant()));
            return ProbeResult.up();
        });
        if (result.state() == ComponentState.UP && read.get() != null) {
            queue = read.get();
            ledgerCounts = counts.get();
        }
        setComponent(Component.LEDGER, result.state(), at, result.detail());
    }

    /**
     * An operator's retry of a mail in the failed-mail queue: DEAD → RETRY, due now. Returns false
     * when the mail is unknown or no longer DEAD. Re-reads the queue.
     *
     * @throws IllegalStateException when the monitor has no ledger
     */
    public boolean retry(MailKey key) {
        return act(key, "requeued", () -> requireLedger().requeue(key, clock.instant()));
    }

    /**
     * An operator's drop of a mail in the failed-mail queue: DEAD → SKIPPED ("dropped by an
     * operator"); it will not be answered. Returns false when the mail is unknown or no longer DEAD.
     *
     * @throws IllegalStateException when the monitor has no ledger
     */
    public boolean drop(MailKey key) {
        return act(key, "dropped", () -> requireLedger().drop(key, "dropped by an operator", clock.instant()));
    }

    /** Whether operator actions (retry, drop) can work: there is a ledger. */
    public boolean hasLedger() {
        return ledger != null;
    }

    private boolean act(MailKey key, String what, Supplier<LedgerEntry> action) {
        Objects.requireNonNull(key, "key");
        requireLedger();
        boolean done;
        try {
            action.get();
            log.info("operator {} {}", what, key);
            done = true;
        } catch (LedgerConflictException | UnknownMailException e) {
            log.info("operator action on {} not done: it is not in the failed-mail queue", key);
            done = false;
        }
        synchronized (refreshLock) {
            refreshLedger();
        }
        return done;
    }

    private ProcessingLedger requireLedger() {
        if (ledger == null) {
            throw new IllegalStateException("the health monitor has no ledger; set HealthMonitor.builder().ledger(...)");
        }
        return ledger;
    }

    /** Marks the pipeline loop as alive now (for hosts that drive their own loop). */
    public void heartbeat() {
        lastHeartbeat = clock.instant();
    }

    // ---------------------------------------------------------------- events

    @Override
    public void onHeartbeat(LoopHeartbeatEvent event) {
        lastHeartbeat = event.at();
    }

    @Override
    public void onReceived(MailReceivedEvent event) {
        guard("received", () -> {
            meters.received();
            synchronized (lock) {
                if (lastEmail == null || event.at().isAfter(lastEmail)) {
                    lastEmail = event.at();
                }
                Mail m = mail(event.key(), event.at());
                m.domain = event.from() == null ? "" : event.from().domain();
                m.subject = subject(event.subject());
                evidence("imap", event.at());
            }
        });
    }

    @Override
    public void onSkipped(MailSkippedEvent event) {
        guard("skipped", () -> {
            meters.outcome("skipped");
            outcome(event.key(), MailOutcome.SKIPPED, SKIPPED, event.reason(), event.at());
        });
    }

    @Override
    public void onDrafted(ReplyDraftedEvent event) {
        guard("drafted", () -> {
            long in = event.usage().inputTokens();
            long out = event.usage().outputTokens();
            meters.drafted(in, out, event.cost(), event.currency(), event.took());
            if (in + out > 0) {
                synchronized (lock) {
                    evidence(Component.MISTRAL, event.at());
                }
            }
        });
    }

    @Override
    public void onSent(ReplySentEvent event) {
        guard("sent", () -> {
            meters.outcome("sent");
            meters.processed("sent", event.sinceReceived());
            outcome(event.key(), MailOutcome.SENT, SENT, "", event.at());
            synchronized (lock) {
                evidence("smtp", event.at());
            }
        });
    }

    @Override
    public void onFiledForReview(ReplyFiledForReviewEvent event) {
        guard("filed for review", () -> {
            meters.outcome("review");
            meters.processed("review", event.sinceReceived());
            outcome(event.key(), MailOutcome.REVIEW, REVIEW, String.join("; ", event.reasons()), event.at());
        });
    }

    @Override
    public void onRetryScheduled(RetryScheduledEvent event) {
        guard("retry", () -> {
            meters.retry(component(event.component()));
            outcome(event.key(), MailOutcome.RETRY, RETRIED, Scrub.error(event.error()), event.at());
        });
    }

    @Override
    public void onDead(MailDeadEvent event) {
        guard("dead", () -> {
            meters.outcome("dead");
            outcome(event.key(), MailOutcome.DEAD, DEAD, Scrub.error(event.error()), event.at());
        });
    }

    @Override
    public void onComponentDown(ComponentDownEvent event) {
        guard("component down", () -> {
            String name = component(event.component());
            meters.componentFailure(name);
            setComponent(name, ComponentState.DOWN, event.at(), event.error());
        });
    }

    @Override
    public void onComponentUp(ComponentUpEvent event) {
        guard("component up", () -> setComponent(component(event.component()), ComponentState.UP, event.at(), ""));
    }

    @Override
    public void onKnowledgeSynced(KnowledgeSyncedEvent event) {
        guard("knowledge synced", () -> {
            String source = event.source();
            if (lastSync.containsKey(source) || lastSync.size() < MAX_SYNC_SOURCES) {
                lastSync.merge(source, event.at(), (a, b) -> a.isAfter(b) ? a : b);
                registerSyncLag(source);
            }
            meters.synced(source, event.fetched(), event.upserted(), event.deleted(), event.took());
        });
    }

    private void guard(String what, Runnable body) {
        try {
            body.run();
        } catch (RuntimeException e) {
            log.warn("health monitor could not record a {} event: {}", what, e.toString());
        }
    }

    private String component(String raw) {
        String name = raw == null || raw.isBlank() ? "unknown" : raw.trim().toLowerCase(Locale.ROOT);
        return aliases.getOrDefault(name, name);
    }

    private String subject(String raw) {
        return redactSubjects ? REDACTED : Scrub.subject(raw);
    }

    private void outcome(MailKey key, MailOutcome outcome, int counter, String reason, Instant at) {
        synchronized (lock) {
            Mail m = mail(key, at);
            m.outcome = outcome;
            m.reason = Scrub.error(reason);
            m.updatedAt = at;
            sinceStart[counter]++;
            long hour = epochHour(at);
            int slot = slot(hour);
            if (hourOf[slot] != hour) {
                if (hourOf[slot] > hour) {
                    return; // older than the chart's window
                }
                hourOf[slot] = hour;
                java.util.Arrays.fill(hours[slot], 0);
            }
            hours[slot][counter]++;
            LocalDate date = at.atZone(zone).toLocalDate();
            if (!date.equals(today)) {
                if (today != null && date.isBefore(today)) {
                    return;
                }
                today = date;
                java.util.Arrays.fill(todayCounts, 0);
            }
            todayCounts[counter]++;
        }
    }

    /** The mail's record in the recent list, made when missing (the oldest is dropped beyond the limit). */
    private Mail mail(MailKey key, Instant at) {
        Mail m = recent.get(key);
        if (m == null) {
            m = new Mail(key, at);
            recent.put(key, m);
            if (recent.size() > recentLimit) {
                Iterator<MailKey> it = recent.keySet().iterator();
                it.next();
                it.remove();
            }
        }
        return m;
    }

    /** A sign of life from a component nothing was heard of yet. Never overrides a known state. */
    private void evidence(String name, Instant at) {
        Tracked c = components.get(name);
        if (c != null && c.state == ComponentState.UNKNOWN) {
            c.set(ComponentState.UP, at, "");
        }
    }

    private void setComponent(String name, ComponentState state, Instant at, String detail) {
        synchronized (lock) {
            Tracked c = components.get(name);
            if (c == null) {
                if (components.size() >= MAX_COMPONENTS) {
                    return;
                }
                c = new Tracked(name);
                components.put(name, c);
                registerComponentGauge(name);
            }
            c.set(state, at, state == ComponentState.UP ? "" : Scrub.error(detail));
        }
    }

    // ---------------------------------------------------------------- gauges

    private void registerGauges(List<String> syncSources) {
        meters.gauge("ragmail.queue.depth", "Mails waiting in the ledger: retry (another attempt due) or dead "
                + "(failed-mail queue); NaN until the ledger was read", "state", "retry", this,
                m -> m.queue.known() ? m.queue.retry() : Double.NaN);
        meters.gauge("ragmail.queue.depth", "Mails waiting in the ledger: retry (another attempt due) or dead "
                + "(failed-mail queue); NaN until the ledger was read", "state", "dead", this,
                m -> m.queue.known() ? m.queue.dead() : Double.NaN);
        for (HealthStatus s : HealthStatus.values()) {
            meters.gauge("ragmail.health.status", "1 for the current overall status (healthy, degraded, unhealthy), "
                    + "0 for the others", "status", s.label(), this, m -> m.snapshotStatus() == s ? 1 : 0);
        }
        meters.timeGauge("ragmail.loop.heartbeat.age", "Seconds since the pipeline loop last reported progress; "
                + "NaN before the first heartbeat", null, null, this, m -> {
                    Instant beat = m.lastHeartbeat;
                    return beat == null ? Double.NaN : Math.max(0, Duration.between(beat, m.clock.instant()).toMillis() / 1000.0);
                });
        synchronized (lock) {
            components.keySet().forEach(this::registerComponentGauge);
        }
        for (String source : syncSources) {
            lastSync.putIfAbsent(source, startedAt);
            registerSyncLag(source);
        }
    }

    private HealthStatus snapshotStatus() {
        Map<String, ComponentHealth> comps = new LinkedHashMap<>();
        synchronized (lock) {
            for (Tracked c : components.values()) {
                comps.put(c.name, c.view(critical.contains(c.name)));
            }
        }
        return status(comps.values(), live(clock.instant()));
    }

    private void registerComponentGauge(String name) {
        meters.gauge("ragmail.component.up", "1 when the component is up (or degraded), 0 when down, NaN while unknown",
                "component", name, this, m -> {
                    synchronized (m.lock) {
                        Tracked c = m.components.get(name);
                        if (c == null || c.state == ComponentState.UNKNOWN) {
                            return Double.NaN;
                        }
                        return c.state == ComponentState.DOWN ? 0 : 1;
                    }
                });
    }

    private void registerSyncLag(String source) {
        meters.timeGauge("ragmail.sync.lag", "Seconds since the last successful knowledge sync from the source "
                + "(since start when none yet)", "source", source, this, m -> {
                    Instant last = m.lastSync.get(source);
                    return last == null ? Double.NaN : Math.max(0, Duration.between(last, m.clock.instant()).toMillis() / 1000.0);
                });
    }

    // ---------------------------------------------------------------- helpers

    private static OutcomeCounts counts(Instant start, long[] c) {
        return new OutcomeCounts(start, c[SENT], c[REVIEW], c[SKIPPED], c[RETRIED], c[DEAD]);
    }

    private static long epochHour(Instant at) {
        return Math.floorDiv(at.getEpochSecond(), 3600);
    }

    private static int slot(long hour) {
        return (int) Math.floorMod(hour, (long) HOURS);
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** One component's mutable state, guarded by {@code lock}. */
    private static final class Tracked {
        final String name;
        ComponentState state = ComponentState.UNKNOWN;
        Instant since;
        String lastError = "";
        Instant checkedAt;

        Tracked(String name) {
            this.name = name;
        }

        void set(ComponentState newState, Instant at, String error) {
            if (newState != state) {
                state = newState;
                since = at;
            }
            if (error != null && !error.isEmpty()) {
                lastError = error;
            }
            checkedAt = at;
        }

        ComponentHealth view(boolean critical) {
            return new ComponentHealth(name, state, since, lastError, checkedAt, critical);
        }
    }

    /** One recent mail's mutable state, guarded by {@code lock}. */
    private static final class Mail {
        final MailKey key;
        final Instant receivedAt;
        String domain = "";
        String subject = "";
        MailOutcome outcome = MailOutcome.RECEIVED;
        String reason = "";
        Instant updatedAt;

        Mail(MailKey key, Instant at) {
            this.key = key;
            this.receivedAt = at;
            this.updatedAt = at;
        }

        RecentMail view() {
            return new RecentMail(key, receivedAt, domain, subject, outcome, reason, updatedAt);
        }
    }

    /** Settings of a {@link HealthMonitor}; every one has a default. */
    public static final class Builder {
        private Clock clock = Clock.systemUTC();
        private ZoneId zone = ZoneOffset.UTC;
        private ProcessingLedger ledger;
        private final List<ComponentProbe> probes = new ArrayList<>();
        private List<String> components = DEFAULT_COMPONENTS;
        private Set<String> critical = DEFAULT_CRITICAL;
        private final Map<String, String> aliases = new LinkedHashMap<>();
        private Duration probeInterval = DEFAULT_PROBE_INTERVAL;
        private Duration probeTimeout = DEFAULT_PROBE_TIMEOUT;
        private Duration heartbeatTimeout = DEFAULT_HEARTBEAT_TIMEOUT;
        private boolean expectHeartbeat;
        private int recentMails = DEFAULT_RECENT_MAILS;
        private int queueLimit = DEFAULT_QUEUE_LIMIT;
        private boolean redactSubjects;
        private PrometheusMeterRegistry registry;
        private boolean jvmMetrics = true;
        private boolean memoryProbe = true;
        private Path dataDirectory;
        private final List<String> syncSources = new ArrayList<>();

        private Builder() {
        }

        /** The time source for every timestamp and age; default the system UTC clock. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The zone times are shown in ({@code last_email}, the dashboard, "today"); default UTC. */
        public Builder zone(ZoneId zone) {
            this.zone = Objects.requireNonNull(zone, "zone");
            return this;
        }

        /** The ledger to read queue depths from and act on (retry, drop); none by default. */
        public Builder ledger(ProcessingLedger ledger) {
            this.ledger = ledger;
            return this;
        }

        /** Adds a probe, run every {@code probeInterval}. */
        public Builder probe(ComponentProbe probe) {
            this.probes.add(Objects.requireNonNull(probe, "probe"));
            return this;
        }

        /** The data directory: adds the {@code disk} probe and disk metrics for its file system. */
        public Builder dataDirectory(Path dataDirectory) {
            this.dataDirectory = dataDirectory;
            return this;
        }

        /**
         * The components listed from the start, in order (default {@link #DEFAULT_COMPONENTS}); leave
         * out what is not configured (no Odoo: no {@code "odoo"}). Probes' and events' components are
         * added when first heard of.
         */
        public Builder components(List<String> components) {
            this.components = List.copyOf(components);
            return this;
        }

        /** Components whose being down is unhealthy; default {@link #DEFAULT_CRITICAL}. */
        public Builder critical(Set<String> critical) {
            this.critical = Set.copyOf(critical);
            return this;
        }

        /**
         * Shows an event's component under another name; none by default, since events and health share
         * the {@link Component} vocabulary. For an adapter of your own, say, whose exceptions name
         * {@code "crm"} where you want the row {@code "erp"}.
         */
        public Builder alias(String eventName, String component) {
            this.aliases.put(Objects.requireNonNull(eventName, "eventName"), Objects.requireNonNull(component, "component"));
            return this;
        }

        /** How often probes run and the ledger is read; default 30 s, at least 1 s. */
        public Builder probeInterval(Duration probeInterval) {
            this.probeInterval = probeInterval;
            return this;
        }

        /** How long one probe may take; default 10 s, at least 10 ms. */
        public Builder probeTimeout(Duration probeTimeout) {
            this.probeTimeout = probeTimeout;
            return this;
        }

        /** A loop silent longer than this is stalled; default 5 min, at least 1 s. */
        public Builder heartbeatTimeout(Duration heartbeatTimeout) {
            this.heartbeatTimeout = heartbeatTimeout;
            return this;
        }

        /**
         * Whether a missing first heartbeat is a stall too (set it when the pipeline sends heartbeats);
         * default false: liveness is judged only once a heartbeat arrived.
         */
        public Builder expectHeartbeat(boolean expectHeartbeat) {
            this.expectHeartbeat = expectHeartbeat;
            return this;
        }

        /** How many recent mails to keep; default 50, 1 to 1000. */
        public Builder recentMails(int recentMails) {
            this.recentMails = recentMails;
            return this;
        }

        /** How many failed mails to list; default 50, 1 to 1000. */
        public Builder queueLimit(int queueLimit) {
            this.queueLimit = queueLimit;
            return this;
        }

        /** Keep subjects out of memory and output ({@link #REDACTED} instead); default false. */
        public Builder redactSubjects(boolean redactSubjects) {
            this.redactSubjects = redactSubjects;
            return this;
        }

        /** The Prometheus registry to register into; default a new one. */
        public Builder registry(PrometheusMeterRegistry registry) {
            this.registry = registry;
            return this;
        }

        /** Whether to bind JVM, process and disk meters; default true (turn off if the host already does). */
        public Builder jvmMetrics(boolean jvmMetrics) {
            this.jvmMetrics = jvmMetrics;
            return this;
        }

        /** Whether to add the {@link ComponentProbe#memory()} probe; default true. */
        public Builder memoryProbe(boolean memoryProbe) {
            this.memoryProbe = memoryProbe;
            return this;
        }

        /** A knowledge sync source (such as {@code "odoo"}) whose lag is measured from start, before its first run. */
        public Builder syncSource(String source) {
            this.syncSources.add(Objects.requireNonNull(source, "source"));
            return this;
        }

        public HealthMonitor build() {
            atLeast("probeInterval", probeInterval, Duration.ofSeconds(1));
            atLeast("probeTimeout", probeTimeout, Duration.ofMillis(10));
            atLeast("heartbeatTimeout", heartbeatTimeout, Duration.ofSeconds(1));
            between("recentMails", recentMails, 1, 1000);
            between("queueLimit", queueLimit, 1, 1000);
            if (components.size() > MAX_COMPONENTS) {
                throw new IllegalArgumentException("components must list at most " + MAX_COMPONENTS + ", was "
                        + components.size());
            }
            return new HealthMonitor(this);
        }

        private static void atLeast(String name, Duration value, Duration min) {
            if (value == null || value.compareTo(min) < 0) {
                throw new IllegalArgumentException(name + " must be at least " + min.toMillis() + "ms, was "
                        + (value == null ? "null" : value.toMillis() + "ms"));
            }
        }

        private static void between(String name, int value, int min, int max) {
            if (value < min || value > max) {
                throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", was " + value);
            }
        }
    }
}
