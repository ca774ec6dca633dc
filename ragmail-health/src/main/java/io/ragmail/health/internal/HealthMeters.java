package io.ragmail.health.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.DiskSpaceMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * The meters behind {@code /metrics}; every name is listed in {@code docs/metrics.md}. Meters with a
 * tag that only events reveal (component, currency, sync source) are created on first use and
 * cached, so the number of series stays bounded by the number of components and sources.
 */
public final class HealthMeters implements AutoCloseable {

    /** Histogram buckets for a mail's whole time in the pipeline. */
    private static final Duration[] PROCESSING_BUCKETS = {
            Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(15), Duration.ofSeconds(30),
            Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofMinutes(5), Duration.ofMinutes(15),
            Duration.ofMinutes(30), Duration.ofHours(1), Duration.ofHours(4)};
    /** Histogram buckets for drafting one reply. */
    private static final Duration[] DRAFT_BUCKETS = {
            Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2),
            Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(20), Duration.ofSeconds(40),
            Duration.ofSeconds(60), Duration.ofSeconds(120)};
    /** At most this many distinct values per event-derived tag, so a bug cannot blow up the series count. */
    private static final int MAX_TAG_VALUES = 32;

    private final MeterRegistry registry;
    private final Counter received;
    private final ConcurrentMap<String, Counter> outcomes = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Timer> processing = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Counter> retries = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Counter> componentFailures = new ConcurrentHashMap<>();
    private final Counter llmRequests;
    private final Counter inputTokens;
    private final Counter outputTokens;
    private final ConcurrentMap<String, Counter> cost = new ConcurrentHashMap<>();
    private final Timer draft;
    private final ConcurrentMap<String, Counter> syncRecords = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Timer> syncDuration = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Boolean> gauges = new ConcurrentHashMap<>();
    private JvmGcMetrics gc;

    public HealthMeters(MeterRegistry registry) {
        this.registry = registry;
        this.received = Counter.builder("ragmail.mails.received")
                .description("Mails that entered the pipeline for the first time").register(registry);
        for (String outcome : new String[] {"sent", "review", "skipped", "dead"}) {
            outcomeCounter(outcome);
        }
        this.llmRequests = Counter.builder("ragmail.llm.requests")
                .description("Drafts that used a language model (drafts with token usage)").register(registry);
        this.inputTokens = Counter.builder("ragmail.llm.tokens").tag("type", "input")
                .description("Language model tokens consumed").register(registry);
        this.outputTokens = Counter.builder("ragmail.llm.tokens").tag("type", "output")
                .description("Language model tokens consumed").register(registry);
        this.draft = Timer.builder("ragmail.llm.draft")
                .description("Time to draft one reply: ERP look-up, knowledge retrieval and the model call")
                .serviceLevelObjectives(DRAFT_BUCKETS).register(registry);
    }

    /** Binds the JVM, process and disk meters (jvm_*, process_*, system_*, disk_*). */
    public void bindJvm(Path dataDirectory) {
        new JvmMemoryMetrics().bindTo(registry);
        gc = new JvmGcMetrics();
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        if (dataDirectory != null) {
            new DiskSpaceMetrics(dataDirectory.toAbsolutePath().toFile()).bindTo(registry);
        }
    }

    public void received() {
        received.increment();
    }

    public void outcome(String outcome) {
        outcomeCounter(outcome).increment();
    }

    private Counter outcomeCounter(String outcome) {
        return outcomes.computeIfAbsent(outcome, o -> Counter.builder("ragmail.mails").tag("outcome", o)
                .description("Mails that reached an outcome: sent, review (filed as draft), skipped, dead (failed-mail queue)")
                .register(registry));
    }

    /** A mail's whole time in the pipeline, from receipt to its reply being sent or filed. */
    public void processed(String outcome, Duration took) {
        processing.computeIfAbsent(outcome, o -> Timer.builder("ragmail.mail.processing").tag("outcome", o)
                .description("A mail's whole time in the pipeline, from receipt to its reply being sent or filed for review")
                .serviceLevelObjectives(PROCESSING_BUCKETS).register(registry))
                .record(positive(took));
    }

    public void retry(String component) {
        bounded(retries, component, c -> Counter.builder("ragmail.mail.retries").tag("component", c)
                .description("Failed attempts that were scheduled to be tried again, by the component that failed")
                .register(registry)).increment();
    }

    public void componentFailure(String component) {
        bounded(componentFailures, component, c -> Counter.builder("ragmail.component.failures").tag("component", c)
                .description("Times a component went down").register(registry)).increment();
    }

    public void drafted(long input, long output, BigDecimal amount, String currency, Duration took) {
        if (input + output > 0) {
            llmRequests.increment();
        }
        inputTokens.increment(input);
        outputTokens.increment(output);
        draft.record(positive(took));
        if (amount != null && amount.signum() > 0) {
            String unit = currency == null || currency.isBlank() ? "unknown" : currency.toUpperCase(Locale.ROOT);
            bounded(cost, unit, c -> Counter.builder("ragmail.llm.cost").tag("currency", c)
                    .description("What the language model tokens cost, in the currency of the tag").register(registry))
                    .increment(amount.doubleValue());
        }
    }

    public void synced(String source, int fetched, int upserted, int deleted, Duration took) {
        syncCounter(source, "fetched").increment(fetched);
        syncCounter(source, "upserted").increment(upserted);
        syncCounter(source, "deleted").increment(deleted);
        bounded(syncDuration, source, s -> Timer.builder("ragmail.sync.duration").tag("source", s)
                .description("Time one knowledge sync run took").register(registry)).record(positive(took));
    }

    private Counter syncCounter(String source, String action) {
        return bounded(syncRecords, source + "\u0000" + action, k -> Counter.builder("ragmail.sync.records")
                .tag("source", source).tag("action", action)
                .description("Records a knowledge sync fetched from its source, and documents it upserted or deleted")
                .register(registry));
    }

    /** Registers a gauge once per name and tags. */
    public <T> void gauge(String name, String description, String tagKey, String tagValue, T obj, ToDoubleFunction<T> f) {
        String key = name + "\u0000" + tagKey + "\u0000" + tagValue;
        if (gauges.size() < MAX_TAG_VALUES * 8 && gauges.putIfAbsent(key, Boolean.TRUE) == null) {
            Gauge.Builder<T> b = Gauge.builder(name, obj, f).description(description);
            if (tagKey != null) {
                b.tag(tagKey, tagValue);
            }
            b.strongReference(true).register(registry);
        }
    }

    /** Registers a time gauge (exposed in seconds) once per name and tags. */
    public <T> void timeGauge(String name, String description, String tagKey, String tagValue, T obj,
            ToDoubleFunction<T> seconds) {
        String key = name + "\u0000" + tagKey + "\u0000" + tagValue;
        if (gauges.size() < MAX_TAG_VALUES * 8 && gauges.putIfAbsent(key, Boolean.TRUE) == null) {
            TimeGauge.Builder<T> b = TimeGauge.builder(name, obj, TimeUnit.SECONDS, seconds).description(description);
            if (tagKey != null) {
                b.tag(tagKey, tagValue);
            }
            b.strongReference(true).register(registry);
        }
    }

    private static <M> M bounded(ConcurrentMap<String, M> meters, String key, java.util.function.Function<String, M> make) {
        M existing = meters.get(key);
        if (existing != null) {
            return existing;
        }
        String k = meters.size() >= MAX_TAG_VALUES ? "other" : key;
        return meters.computeIfAbsent(k, make);
    }

    private static Duration positive(Duration d) {
        return d == null || d.isNegative() ? Duration.ZERO : d;
    }

    @Override
    public void close() {
        if (gc != null) {
            gc.close();
        }
    }
}
