package io.ragmail.daemon.runtime;

import io.ragmail.core.MailSource;
import io.ragmail.core.Pipeline;
import io.ragmail.core.event.KnowledgeSyncedEvent;
import io.ragmail.core.imap.ImapMailSource;
import io.ragmail.core.knowledge.IngestReport;
import io.ragmail.core.knowledge.LuceneKnowledgeStore;
import io.ragmail.core.ledger.LedgerEntry;
import io.ragmail.core.ledger.MailState;
import io.ragmail.core.ledger.SqliteLedger;
import io.ragmail.config.ComponentStartException;
import io.ragmail.config.ConfigKeys;
import io.ragmail.config.RagmailComponents;
import io.ragmail.config.RagmailConfig;
import io.ragmail.health.ComponentProbe;
import io.ragmail.health.HealthMonitor;
import io.ragmail.health.HealthServer;
import io.ragmail.health.ProbeResult;
import io.ragmail.odoo.OdooKnowledgeSync;
import io.ragmail.odoo.OdooSyncReport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The configured daemon: assembles the pipeline from a {@link RagmailConfig} and keeps it running.
 *
 * <p>{@link #start()} takes the data dir's lock (one daemon per data dir), notices an unclean
 * previous stop (a marker file left behind) and alerts, opens the pipeline's components with
 * {@link RagmailComponents} (ledger, knowledge index and folder, Odoo, drafter, sinks: the same code an
 * embedding application uses), puts the mail source behind the backlog gate, and starts the pipeline,
 * the schedules (Odoo sync, folder re-scan, backups, retention, daily summary, alert checks, watchdog)
 * and the health endpoint. {@link #close()} stops fetching, lets mail
 * in flight finish within {@code ragmail.shutdown-timeout}, closes everything and removes the marker.
 *
 * <pre>{@code
 * try (Daemon daemon = Daemon.builder().config(config).build()) {
 *     daemon.start();
 *     daemon.awaitStop();
 * }
 * }</pre>
 */
public final class Daemon implements AutoCloseable {

    public static final String LEDGER_FILE = RagmailComponents.LEDGER_FILE;
    public static final String INDEX_FOLDER = RagmailComponents.INDEX_FOLDER;
    public static final String RUNNING_MARKER = "running.marker";
    /** Where the daemon's own health details are served, next to ragmail-health's endpoints. */
    public static final String DETAILS_PATH = "/health/daemon";
    static final Duration CHECK_INTERVAL = Duration.ofSeconds(30);
    private static final Logger log = LoggerFactory.getLogger(Daemon.class);

    private final RagmailConfig config;
    private final Clock clock;
    private final ZoneId zone;
    private final Path dataDir;
    private final DaemonStats stats;
    private final Object lifecycle = new Object();
    private final AtomicInteger restarts = new AtomicInteger();

    private DataDirLock lock;
    private boolean uncleanStart;
    /** Ledger, knowledge, ERP, drafter and sinks: built from the keys exactly as an embedder's are. */
    private RagmailComponents components;
    private Tombstones tombstones;
    private BacklogGate backlog;
    private MailSource source;
    private Pipeline pipeline;
    private Alerter alerter;
    private AlertRules rules;
    private BudgetGuard budget;
    private Supervisor supervisor;
    private ScheduledExecutorService schedules;
    private ScheduledExecutorService syncs;
    private ExecutorService alertSender;
    private HealthMonitor monitor;
    private HealthServer healthServer;
    private com.sun.net.httpserver.HttpServer http;
    private volatile Instant lastRestart = Instant.MIN;
    private volatile Instant lastServerCheck = Instant.MIN;
    private volatile boolean running;
    private volatile boolean stopped;
    private boolean removeMarker;

    private final DataDirLock givenLock;

    private Daemon(Builder b) {
        this.config = b.config;
        this.givenLock = b.lock;
        this.clock = b.clock;
        ZoneId configured = config.value(ConfigKeys.TIMEZONE);
        this.zone = configured != null ? configured : ZoneId.systemDefault();
        this.dataDir = config.dataDir();
        this.stats = new DaemonStats(clock, zone);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Starts everything and returns.
     *
     * @throws DataDirLock.InstanceLockedException when another daemon holds the data dir
     * @throws DaemonStartException                when a dependency that is needed at start cannot be reached
     */
    public void start() throws IOException {
        synchronized (lifecycle) {
            Files.createDirectories(dataDir);
            lock = givenLock != null ? givenLock : DataDirLock.acquire(dataDir);
            try {
                startLocked();
            } catch (RuntimeException | IOException e) {
                removeMarker = !uncleanStart; // a failed start is not an unclean stop; an unclean one stays reported
                closeQuietly();
                throw e;
            }
        }
    }

    private void startLocked() throws IOException {
        Path marker = dataDir.resolve(RUNNING_MARKER);
        uncleanStart = Files.exists(marker);
        String previous = uncleanStart ? Files.readString(marker, StandardCharsets.UTF_8).strip() : "";
        Files.writeString(marker, "pid=" + ProcessHandle.current().pid() + " started=" + clock.instant() + "\n", StandardCharsets.UTF_8);

        alertSender = Executors.newSingleThreadExecutor(named("ragmail-alert"));
        alerter = new Alerter(alertChannels(), clock, config.value(ConfigKeys.ALERT_THROTTLE), alertSender);
        if (uncleanStart) {
            log.warn("the previous run did not stop cleanly ({}); resuming unfinished mail from the ledger", previous);
            alerter.event("unclean-stop", "ragmail restarted after an unclean stop",
                    "The previous run (" + previous + ") ended without a clean shutdown (crash, kill -9, power loss).\n"
                            + "Unfinished mail resumes from the ledger; nothing is answered twice. Check the error log in "
                            + config.logDir() + " for the cause.");
        }
        if (!config.isSet(ConfigKeys.IMAP_AUTHSERV_ID)) {
            log.warn("ragmail.imap.authserv-id is not set: no sender can be verified, so no ERP facts will ever reach a prompt");
        }

        try {
            // re-embeds the index when ragmail.knowledge.embedding-model changed, and ingests the knowledge folder once
            components = RagmailComponents.builder().config(config).clock(clock).rebuildIndexOnModelChange(true).build();
        } catch (ComponentStartException e) {
            throw new DaemonStartException(e.component(), e.getMessage(), e);
        }
        components.firstIngest().ifPresent(this::logIngest);
        tombstones = new Tombstones(dataDir);
        boolean odoo = components.odoo().isPresent();
        // list only what this configuration has, so that health shows no "unknown" component that cannot exist
        List<String> names = new ArrayList<>(List.of("imap", "smtp"));
        if (odoo) {
            names.add("odoo");
        }
        if (config.mistralApiKey().isPresent()) {
            names.add("mistral");
        }
        names.addAll(List.of("knowledge", "ledger", "disk", "memory"));
        HealthMonitor.Builder hb = HealthMonitor.builder().clock(clock).zone(zone).ledger(components.ledger()).dataDirectory(dataDir)
                .components(names).expectHeartbeat(true);
        if (odoo) {
            hb.syncSource("odoo").probe(supervised("odoo-sync"));
        }
        if (components.knowledgeIngester().isPresent()) {
            hb.probe(supervised("knowledge-rescan"));
        }
        monitor = hb.build();
        try {
            backlog = BacklogGate.open(dataDir, config.imapAccount(), config.value(ConfigKeys.IMAP_FOLDER),
                    config.value(ConfigKeys.IMAP_BACKLOG), clock);
        } catch (jakarta.mail.MessagingException e) {
            throw new DaemonStartException("imap", "the first start must read " + config.value(ConfigKeys.IMAP_FOLDER)
                    + " to know which mail is backlog (ragmail.imap.backlog), and cannot: " + e.getMessage());
        }
        rules = new AlertRules(alerter, stats, new AlertRules.Settings(config.value(ConfigKeys.ALERT_FAILED_IN_A_ROW),
                config.value(ConfigKeys.ALERT_UNREACHABLE_AFTER), config.value(ConfigKeys.ALERT_DISK_FREE_PERCENT), dataDir,
                config.logDir(), config.value(ConfigKeys.LOG_TOTAL_CAP)), clock);
        budget = new BudgetGuard(components.reviewPolicy(), BigDecimal.valueOf(config.value(ConfigKeys.BUDGET_DAILY)),
                config.value(ConfigKeys.PRICE_CURRENCY), stats,
                spent -> alerter.raise("budget", "daily budget exceeded", "Spent " + spent.toPlainString() + " "
                        + config.value(ConfigKeys.PRICE_CURRENCY) + " today, cap " + config.value(ConfigKeys.BUDGET_DAILY)
                        + ". Every reply goes to review until midnight (" + zone + ")."));
        startPipeline();

        schedules = Executors.newScheduledThreadPool(1, named("ragmail-schedule"));
        syncs = Executors.newSingleThreadScheduledExecutor(named("ragmail-sync")); // one thread: never two syncs at once
        supervisor = new Supervisor(syncs, clock, stats);
        if (odoo) {
            OdooKnowledgeSync sync = components.newOdooKnowledgeSync().orElseThrow();
            supervisor.every("odoo-sync", config.value(ConfigKeys.ODOO_SYNC_INTERVAL), Duration.ZERO, () -> {
                try {
                    OdooSyncReport r = sync.runOnce();
                    monitor.onKnowledgeSynced(new KnowledgeSyncedEvent("odoo", r.fetched(), r.upserted(), r.deleted(), r.elapsed(),
                            clock.instant()));
                    alerter.clear("odoo-sync", "The Odoo sync works again.");
                    log.info("odoo sync: {} fetched, {} updated, {} removed", r.fetched(), r.upserted(), r.deleted());
                } catch (RuntimeException e) {
                    alerter.raise("odoo-sync", "Odoo unreachable or login refused (knowledge sync)", e.getMessage());
                    throw e;
                }
            });
        }
        if (components.knowledgeIngester().isPresent()) {
            Duration rescan = config.value(ConfigKeys.KNOWLEDGE_RESCAN);
            supervisor.every("knowledge-rescan", rescan, rescan, this::ingestFolder);
        }
        Supervisor housekeeping = new Supervisor(schedules, clock, stats);
        housekeeping.every("alert-check", CHECK_INTERVAL, CHECK_INTERVAL, () -> {
            rules.check();
            if (!budget.exceeded()) {
                alerter.clear("budget", "A new day: replies are sent again as the review policy decides.");
            }
        });
        Duration stallAfter = config.value(ConfigKeys.WATCHDOG);
        housekeeping.every("watchdog", CHECK_INTERVAL, CHECK_INTERVAL, () -> watchdog(stallAfter));
        housekeeping.every("retention", Duration.ofHours(24), Duration.ofMinutes(5), this::runRetention);
        dailyAt("backup", config.value(ConfigKeys.BACKUP_TIME), () ->
                new Backups(dataDir, config.value(ConfigKeys.BACKUP_KEEP), clock).run());
        dailyAt("summary", config.value(ConfigKeys.SUMMARY_TIME), this::sendSummary);

        startHealthServer();
        running = true;
        log.info("ragmail running: mailbox {} folder {}, mode {}, drafter {}, ERP {}, health on http://{}:{}/health",
                config.imapAccount().user(), config.value(ConfigKeys.IMAP_FOLDER), config.value(ConfigKeys.MODE),
                components.drafter().getClass().getSimpleName(), odoo ? "odoo" : "none", config.value(ConfigKeys.HEALTH_BIND), healthPort());
    }

    private void startPipeline() {
        ImapMailSource imap = components.newMailSource();
        source = backlog.filter(new TombstoneFilter(imap, tombstones));
        // the configured pipeline, with the daily budget around the configured review policy
        pipeline = components.pipelineBuilder(source)
                .reviewPolicy(budget)
                .listener(stats).listener(rules).listener(monitor)
                .build();
        pipeline.start();
    }

    /**
     * Restarts the mail loop when it made no progress for {@code stallAfter} while mail waits in the
     * ledger (received, drafting, sending, or a retry that is due).
     */
    void watchdog(Duration stallAfter) {
        Instant now = clock.instant();
        if (stopped || Duration.between(stats.lastProgress(), now).compareTo(stallAfter) < 0
                || Duration.between(lastRestart, now).compareTo(stallAfter) < 0) {
            return;
        }
        String where;
        if (mailWaiting(now)) {
            where = "in the ledger";
        } else if (Duration.between(lastServerCheck, now).compareTo(stallAfter) >= 0) {
            // at most one extra IMAP login per stallAfter on a quiet mailbox
            lastServerCheck = now;
            int waiting;
            try {
                waiting = WaitingOnServer.count(config.imapAccount(), config.value(ConfigKeys.IMAP_FOLDER),
                        config.imapAccount().user().isEmpty() ? config.value(ConfigKeys.IMAP_FOLDER)
                                : config.imapAccount().user() + "/" + config.value(ConfigKeys.IMAP_FOLDER),
                        config.acknowledgement(), backlog.boundary(), ledger(), now.minus(stallAfter));
            } catch (jakarta.mail.MessagingException | RuntimeException e) {
                log.debug("watchdog: cannot look at the server ({}); the mail loop reports that itself", e.toString());
                return;
            }
            if (waiting == 0) {
                return;
            }
            where = "on the server (" + waiting + " not taken)";
        } else {
            return;
        }
        log.warn("watchdog: no progress for {} while mail waits {}; restarting the mail loop", DurationText.of(stallAfter), where);
        alerter.warn("watchdog restarted the mail loop after " + DurationText.of(stallAfter) + " without progress");
        restartPipeline();
    }

    /** Stops the mail loop and starts a fresh one (new IMAP connections); the ledger keeps every mail. */
    public void restartPipeline() {
        synchronized (lifecycle) {
            if (stopped) {
                return;
            }
            lastRestart = clock.instant();
            restarts.incrementAndGet();
            pipeline.close();
            source.close();
            startPipeline();
        }
    }

    /** Ledger retention now (the schedule runs it daily); returns the rows removed. */
    public int runRetention() {
        return new Retention(ledger(), tombstones, Duration.ofDays(config.value(ConfigKeys.RETENTION_DAYS)), clock).run();
    }

    boolean mailWaiting(Instant now) {
        Map<MailState, Long> counts = ledger().countByState();
        long open = counts.getOrDefault(MailState.RECEIVED, 0L) + counts.getOrDefault(MailState.DRAFTING, 0L)
                + counts.getOrDefault(MailState.SENDING, 0L);
        return open > 0 || !ledger().dueForRetry(now, 1).isEmpty();
    }

    /**
     * One HTTP server on {@code ragmail.health.bind/port}: ragmail-health's endpoints ({@code /health},
     * {@code /health/live}, {@code /health/ready}, {@code /metrics}, the dashboard) and the daemon's own
     * details at {@code /health/daemon} (backlog, syncs, alerts, restarts; no mail text, no secrets).
     */
    private void startHealthServer() throws IOException {
        http = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(config.value(ConfigKeys.HEALTH_BIND), config.value(ConfigKeys.HEALTH_PORT)), 16);
        http.setExecutor(Executors.newFixedThreadPool(2, named("ragmail-http")));
        healthServer = HealthServer.builder().monitor(monitor).token(config.value(ConfigKeys.HEALTH_TOKEN)).build();
        healthServer.mountOn(http);
        http.createContext(DETAILS_PATH, exchange -> HealthDetails.serve(exchange, this::healthSnapshot));
        http.start();
    }

    /** A daemon-side supervised task (a sync) as a component of ragmail-health: down while it fails. */
    private ComponentProbe supervised(String name) {
        return ComponentProbe.of(name, () -> {
            Supervisor.State st = supervisor == null ? null : supervisor.states().get(name);
            if (st == null || st.failuresInARow() == 0) {
                return ProbeResult.up();
            }
            return ProbeResult.degraded(st.failuresInARow() + " failures in a row: " + st.lastError());
        });
    }

    private void ingestFolder() {
        IngestReport r = components.knowledgeIngester().orElseThrow().sync();
        if (monitor != null) {
            monitor.onKnowledgeSynced(new KnowledgeSyncedEvent("files", r.added().size() + r.updated().size() + r.unchanged().size(),
                    r.added().size() + r.updated().size(), r.removed().size(), Duration.ZERO, clock.instant()));
        }
        logIngest(r);
    }

    private void logIngest(IngestReport r) {
        if (!r.noChanges()) {
            log.info("knowledge folder: {} added, {} updated, {} removed, {} skipped", r.added().size(), r.updated().size(),
                    r.removed().size(), r.skipped().size());
        }
    }

    private List<AlertChannel> alertChannels() {
        List<AlertChannel> channels = new ArrayList<>();
        String to = config.value(ConfigKeys.ALERT_TO);
        if (to != null) {
            channels.add(new MailAlertChannel(config.smtpAccount(), config.value(ConfigKeys.FROM), to));
        }
        if (config.value(ConfigKeys.ALERT_WEBHOOK) != null) {
            channels.add(new WebhookAlertChannel(config.value(ConfigKeys.ALERT_WEBHOOK)));
        }
        return channels;
    }

    private void dailyAt(String name, LocalTime at, Supervisor.Task task) {
        if (at == null) {
            return;
        }
        ZonedDateTime now = ZonedDateTime.now(clock.withZone(zone));
        ZonedDateTime next = now.with(at);
        if (!next.isAfter(now)) {
            next = next.plusDays(1);
        }
        long delay = Duration.between(now, next).toMillis();
        schedules.scheduleAtFixedRate(() -> {
            try {
                task.run();
                stats.componentUp(name);
            } catch (Exception e) {
                stats.componentDown(name, e.toString(), false);
                alerter.warn(name + " failed: " + e);
            }
        }, delay, Duration.ofDays(1).toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Warns (for the summary) about replies filed for review more than a day ago whose draft is still in
     * the Drafts folder: nobody has looked at them. Remembered in memory only, so a restart forgets
     * earlier drafts; after 7 days a draft is no longer mentioned.
     */
    void warnAboutWaitingReviews() {
        Instant now = clock.instant();
        List<DaemonStats.Filed> old = stats.filedBefore(now.minus(Duration.ofDays(1)), 200);
        List<DaemonStats.Filed> done = new ArrayList<>();
        int waiting = 0;
        Instant oldest = null;
        for (DaemonStats.Filed f : old) {
            io.ragmail.core.Delivery found;
            try {
                found = components.reviewSink().findDelivered(f.replyMessageId());
            } catch (RuntimeException e) {
                return; // the server is away: try with the next summary
            }
            if (found == io.ragmail.core.Delivery.DELIVERED && f.at().isAfter(now.minus(Duration.ofDays(7)))) {
                waiting++;
                oldest = oldest == null || f.at().isBefore(oldest) ? f.at() : oldest;
            } else if (found != io.ragmail.core.Delivery.UNKNOWN) {
                done.add(f);
            }
        }
        stats.forget(done);
        if (waiting > 0) {
            alerter.warn(waiting + " replies waiting in review (Drafts) for more than a day; the oldest was filed " + oldest);
        }
    }

    /** Sends the daily summary now (the schedule calls this at {@code ragmail.summary.time}). */
    public void sendSummary() {
        warnAboutWaitingReviews();
        DaemonStats.Day day = stats.takeDay();
        alerter.notice(DailySummary.subject(day), DailySummary.render(day, summaryContext()));
    }

    DailySummary.Context summaryContext() {
        List<LedgerEntry> dead = ledger().inState(MailState.DEAD, 20);
        long deadCount = ledger().countByState().getOrDefault(MailState.DEAD, 0L);
        return new DailySummary.Context(Duration.between(stats.started(), clock.instant()), restarts.get(), syncStatus(),
                dead, deadCount, alerter.takeWarnings(), alerter.active(), config.value(ConfigKeys.PRICE_CURRENCY));
    }

    private String syncStatus() {
        if (supervisor == null || supervisor.states().isEmpty()) {
            return "no sync configured";
        }
        StringBuilder s = new StringBuilder();
        supervisor.states().values().forEach(st -> s.append(st.name()).append(" last success ")
                .append(st.lastSuccess() == null ? "never" : st.lastSuccess()).append(st.failuresInARow() > 0
                        ? " (failing: " + st.lastError() + ")" : "").append("; "));
        return s.toString();
    }

    /** What {@code GET /health} answers: status, counts, components, queue depth, syncs, backlog. */
    public Map<String, Object> healthSnapshot() {
        return HealthSnapshot.of(this);
    }

    /** Re-scans the knowledge folder now (the schedule does it every {@code ragmail.knowledge.rescan-interval}). */
    void rescanKnowledge() {
        ingestFolder();
    }

    LuceneKnowledgeStore store() { return components.knowledge(); }
    Pipeline pipeline() { return pipeline; }

    // accessors for HealthSnapshot and tests
    DaemonStats stats() { return stats; }
    SqliteLedger ledger() { return components.ledger(); }
    Alerter alerter() { return alerter; }
    Supervisor supervisor() { return supervisor; }
    BacklogGate backlog() { return backlog; }
    Clock clock() { return clock; }
    boolean pipelineRunning() { return pipeline != null && pipeline.isRunning(); }
    int restarts() { return restarts.get(); }

    /** Whether the previous run ended without a clean stop. */
    public boolean uncleanStart() {
        return uncleanStart;
    }

    /** The health endpoint's port (useful with {@code ragmail.health.port=0}). */
    public int healthPort() {
        return http.getAddress().getPort();
    }

    /** The health monitor fed by the pipeline (ragmail-health), for an embedder's own endpoints. */
    public HealthMonitor healthMonitor() {
        return monitor;
    }

    public boolean isRunning() {
        return running && !stopped;
    }

    /** Mails being processed right now. */
    public int inFlight() {
        return pipeline == null ? 0 : pipeline.inFlight();
    }

    /**
     * Stops gracefully: no new mail is fetched, mail in flight finishes within
     * {@code ragmail.shutdown-timeout} (the rest stays in the ledger and resumes on the next start),
     * every connection and file is closed, the unclean-stop marker is removed and the lock released.
     */
    @Override
    public void close() {
        synchronized (lifecycle) {
            if (stopped) {
                return;
            }
            stopped = true;
            removeMarker = true;
            running = false;
            log.info("stopping: no new mail is fetched; waiting up to {} for {} mails in flight",
                    DurationText.of(config.value(ConfigKeys.SHUTDOWN_TIMEOUT)), inFlight());
            closeQuietly();
            log.info("stopped cleanly");
        }
    }

    private void closeQuietly() {
        quietly("schedules", () -> {
            if (schedules != null) {
                schedules.shutdownNow();
            }
            if (syncs != null) {
                syncs.shutdownNow();
                syncs.awaitTermination(10, TimeUnit.SECONDS);
            }
        });
        quietly("health", () -> {
            if (healthServer != null) {
                healthServer.close();
            }
            if (http != null) {
                http.stop(0);
                ((ExecutorService) http.getExecutor()).shutdownNow();
            }
            if (monitor != null) {
                monitor.close();
            }
        });
        quietly("pipeline", () -> {
            if (pipeline != null) {
                pipeline.close();
            }
        });
        quietly("source", () -> {
            if (source != null) {
                source.close();
            }
        });
        quietly("tombstones", () -> {
            if (tombstones != null) {
                tombstones.close();
            }
        });
        // the pipeline is closed, so no draft or delivery is in progress: sinks, drafter, knowledge, ledger
        quietly("components", () -> {
            if (components != null) {
                components.close();
            }
        });
        quietly("alerts", () -> {
            if (alertSender != null) {
                alertSender.shutdown();
                alertSender.awaitTermination(15, TimeUnit.SECONDS);
            }
        });
        quietly("marker", () -> {
            if (lock != null && removeMarker) {
                Files.deleteIfExists(dataDir.resolve(RUNNING_MARKER));
            }
        });
        quietly("lock", () -> {
            if (lock != null) {
                lock.close();
            }
        });
    }

    private static void quietly(String what, Supervisor.Task task) {
        try {
            task.run();
        } catch (Exception e) {
            log.warn("closing {} failed: {}", what, e.toString());
        }
    }

    private static java.util.concurrent.ThreadFactory named(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Settings of a {@link Daemon}. */
    public static final class Builder {
        private RagmailConfig config;
        private Clock clock = Clock.systemUTC();
        private DataDirLock lock;

        /** The data dir's lock, when the caller took it already (to set up logging only once it holds it). */
        public Builder lock(DataDirLock lock) { this.lock = lock; return this; }

        /** Required; validated by {@link #build()}. */
        public Builder config(RagmailConfig config) { this.config = config; return this; }

        public Builder clock(Clock clock) { this.clock = clock; return this; }

        /** @throws io.ragmail.config.ConfigException listing every configuration problem */
        public Daemon build() {
            Objects.requireNonNull(config, "config");
            Objects.requireNonNull(clock, "clock");
            config.validate();
            return new Daemon(this);
        }
    }
}
