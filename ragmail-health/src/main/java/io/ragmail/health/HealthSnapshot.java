package io.ragmail.health;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything {@code /health} and the dashboard show, at one instant, as plain Java objects: a host
 * application can serve it from its own endpoint without starting a {@link HealthServer}.
 *
 * <pre>{@code
 * HealthSnapshot now = monitor.snapshot();
 * if (now.status() == HealthStatus.UNHEALTHY) { ... now.components().get("imap").lastError() ... }
 * }</pre>
 *
 * @param status          the verdict, by the rules of {@link HealthStatus}
 * @param at              when this snapshot was taken
 * @param zone            the time zone for showing times (the monitor's)
 * @param uptime          since the monitor was built
 * @param emailsProcessed mails that reached an end (sent, review, skipped, dead): from the ledger
 *                        when there is one (so across restarts), else since start
 * @param lastEmail       when the last mail came in since start; {@code null} when none yet
 * @param errorCount      mails in the failed-mail queue (ledger state DEAD) when there is a ledger,
 *                        else mails that went there since start
 * @param components      by name, in the configured order
 * @param recentMails     the most recent mails, newest first
 * @param lastDay         24 hourly periods, oldest first, the last one being the current hour
 * @param today           today's counts (in {@code zone})
 * @param queue           the ledger's retry and failed-mail queues
 * @param live            whether the pipeline loop is making progress
 * @param ready           whether mail can be processed now
 */
public record HealthSnapshot(HealthStatus status, Instant at, ZoneId zone, Duration uptime, long emailsProcessed,
        Instant lastEmail, long errorCount, Map<String, ComponentHealth> components, List<RecentMail> recentMails,
        List<OutcomeCounts> lastDay, OutcomeCounts today, QueueSnapshot queue, CheckResult live, CheckResult ready) {

    public HealthSnapshot {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(zone, "zone");
        Objects.requireNonNull(uptime, "uptime");
        components = Collections.unmodifiableMap(new LinkedHashMap<>(components));
        recentMails = List.copyOf(recentMails);
        lastDay = List.copyOf(lastDay);
        Objects.requireNonNull(today, "today");
        Objects.requireNonNull(queue, "queue");
        Objects.requireNonNull(live, "live");
        Objects.requireNonNull(ready, "ready");
    }

    public Optional<Instant> lastEmailAt() {
        return Optional.ofNullable(lastEmail);
    }
}
