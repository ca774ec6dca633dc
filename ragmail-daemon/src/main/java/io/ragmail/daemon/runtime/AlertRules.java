package io.ragmail.daemon.runtime;

import io.ragmail.core.Component;
import io.ragmail.core.event.ComponentDownEvent;
import io.ragmail.core.event.ComponentUpEvent;
import io.ragmail.core.event.MailDeadEvent;
import io.ragmail.core.event.PipelineListener;
import io.ragmail.core.event.ReplyFiledForReviewEvent;
import io.ragmail.core.event.ReplySentEvent;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Turns pipeline events and periodic checks into alerts (critical, at once) and warnings (for the
 * daily summary), as issue 9 and {@code docs/alerts.md} list them. Register after {@link DaemonStats},
 * whose counters it reads.
 *
 * <pre>{@code
 * AlertRules rules = new AlertRules(alerter, stats, settings, clock);
 * Pipeline.builder().listener(stats).listener(rules);   // and rules.check() every 30 s
 * }</pre>
 */
public final class AlertRules implements PipelineListener {

    public static final Duration SLOW = Duration.ofMinutes(2);
    public static final double HEAP_WARNING = 0.8;

    /** Thresholds and the folders watched. */
    public record Settings(int failedInARow, Duration unreachableAfter, int diskFreePercent, Path dataDir, Path logDir,
                           long logCap) {
    }

    private final Alerter alerter;
    private final DaemonStats stats;
    private final Settings settings;
    private final Clock clock;

    public AlertRules(Alerter alerter, DaemonStats stats, Settings settings, Clock clock) {
        this.alerter = alerter;
        this.stats = stats;
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public void onDead(MailDeadEvent event) {
        alerter.warn("failed mail " + event.key() + ": " + event.error());
        int inARow = stats.failedInARow();
        if (inARow >= settings.failedInARow()) {
            alerter.raise("failed-in-a-row", inARow + " mails in a row failed",
                    "The last one: " + event.key() + " (" + event.component() + ": " + event.error() + ").\n"
                            + "They are in the failed-mail queue: ragmail queue list; retry with ragmail queue retry --all.");
        }
    }

    @Override
    public void onSent(ReplySentEvent event) {
        succeeded(event.key().toString(), event.sinceReceived());
    }

    @Override
    public void onFiledForReview(ReplyFiledForReviewEvent event) {
        succeeded(event.key().toString(), event.sinceReceived());
    }

    private void succeeded(String key, Duration took) {
        alerter.clear("failed-in-a-row", "A mail was answered again.");
        if (took.compareTo(SLOW) > 0) {
            alerter.warn("processing slower than " + DurationText.of(SLOW) + ": " + key + " took " + DurationText.of(took));
        }
    }

    @Override
    public void onComponentDown(ComponentDownEvent event) {
        switch (event.component()) {
            case Component.ODOO -> alerter.raise("odoo", "Odoo unreachable or login refused", event.error());
            case Component.MISTRAL -> {
                if (event.critical()) {
                    alerter.raise("mistral-auth", "Mistral refused the API key", event.error());
                }
            }
            default -> {
                // mail servers alert only after ragmail.alert.unreachable-after, see check()
            }
        }
    }

    @Override
    public void onComponentUp(ComponentUpEvent event) {
        switch (event.component()) {
            case Component.ODOO -> alerter.clear("odoo", "Odoo answers again.");
            case Component.MISTRAL -> alerter.clear("mistral-auth", "Mistral accepts the API key again.");
            default -> {
            }
        }
    }

    /** The periodic checks: mail servers down too long, disk, heap, log folder. */
    public void check() {
        Instant now = clock.instant();
        Map<String, DaemonStats.Down> down = stats.down();
        for (String component : new String[] {Component.IMAP, Component.SMTP}) {
            DaemonStats.Down d = down.get(component);
            String id = component + "-unreachable";
            if (d != null && Duration.between(d.since(), now).compareTo(settings.unreachableAfter()) >= 0) {
                alerter.raise(id, component + " unreachable for " + DurationText.of(Duration.between(d.since(), now)), d.error());
            } else if (d == null) {
                alerter.clear(id, component + " is reachable again.");
            }
        }
        try {
            FileStore store = Files.getFileStore(settings.dataDir());
            long total = store.getTotalSpace();
            long free = store.getUsableSpace();
            if (total > 0 && free * 100 / total < settings.diskFreePercent()) {
                alerter.raise("disk", "disk nearly full", free / (1024 * 1024) + " MB free of " + total / (1024 * 1024)
                        + " MB on the disk of " + settings.dataDir().toAbsolutePath());
            } else {
                alerter.clear("disk", "Disk space is sufficient again.");
            }
        } catch (IOException e) {
            alerter.warn("cannot read free disk space: " + e.getMessage());
        }
        Runtime rt = Runtime.getRuntime();
        double used = (double) (rt.totalMemory() - rt.freeMemory()) / rt.maxMemory();
        if (used > HEAP_WARNING) {
            alerter.warn(String.format("heap above %.0f%% of -Xmx", HEAP_WARNING * 100));
        }
        long logs = folderSize(settings.logDir());
        if (logs > settings.logCap()) {
            alerter.warn("log folder " + settings.logDir() + " holds " + logs / (1024 * 1024) + " MB, above ragmail.log.total-cap");
        }
    }

    static long folderSize(Path dir) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0;
                }
            }).sum();
        } catch (IOException e) {
            return 0;
        }
    }
}
