package io.ragmail.daemon.runtime;

import io.ragmail.core.ledger.LedgerEntry;

import java.math.RoundingMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/** The daily summary mail's text: what the operator reads over coffee. Pure, so tests render it with any figures. *
 * <pre>{@code
 * alerter.notice(DailySummary.subject(day), DailySummary.render(day, context));
 * }</pre>
 */
public final class DailySummary {

    /** Everything the summary reports besides the day's counters. */
    public record Context(Duration uptime, int restarts, String syncStatus, List<LedgerEntry> failedQueue, long failedQueueSize,
                          Map<String, Integer> warnings, Map<String, Alerter.Active> activeAlerts, String currency) {
    }

    private DailySummary() {
    }

    public static String subject(DaemonStats.Day day) {
        return "[ragmail] daily summary " + day.date() + ": " + day.sent() + " sent, " + day.review() + " review, "
                + day.failed() + " failed";
    }

    public static String render(DaemonStats.Day day, Context c) {
        StringBuilder out = new StringBuilder();
        long answered = day.sent() + day.review();
        long attempted = answered + day.failed();
        out.append("ragmail on ").append(day.date()).append("\n\n");
        out.append(String.format("received %d, sent %d, review %d, skipped %d, failed %d (retries %d)%n",
                day.received(), day.sent(), day.review(), day.skipped(), day.failed(), day.retries()));
        out.append("success rate: ").append(attempted == 0 ? "n/a (nothing to answer)"
                : String.format("%.1f%%", 100.0 * answered / attempted)).append('\n');
        out.append("processing time: median ").append(percentile(day.processingTimes(), 50))
                .append(", p95 ").append(percentile(day.processingTimes(), 95)).append('\n');
        out.append("uptime ").append(DurationText.of(c.uptime())).append(", restarts ").append(c.restarts()).append('\n');
        out.append("tokens: ").append(day.inputTokens()).append(" in, ").append(day.outputTokens()).append(" out; cost ")
                .append(day.cost().setScale(2, RoundingMode.HALF_UP).toPlainString()).append(' ').append(c.currency()).append('\n');
        out.append("knowledge sync: ").append(c.syncStatus()).append('\n');
        out.append("\nfailed-mail queue: ").append(c.failedQueueSize()).append('\n');
        for (LedgerEntry e : c.failedQueue()) {
            out.append("  ").append(e.key()).append("  ").append(e.updatedAt()).append("  ").append(e.reason()).append('\n');
        }
        if (c.failedQueueSize() > c.failedQueue().size()) {
            out.append("  … and ").append(c.failedQueueSize() - c.failedQueue().size()).append(" more (ragmail queue list)\n");
        }
        out.append("\nactive alerts: ").append(c.activeAlerts().isEmpty() ? "none" : "").append('\n');
        c.activeAlerts().values().forEach(a -> out.append("  ").append(a.id()).append(": ").append(a.title())
                .append(" since ").append(a.since()).append('\n'));
        out.append("\nwarnings: ").append(c.warnings().isEmpty() ? "none" : "").append('\n');
        c.warnings().forEach((w, n) -> out.append("  ").append(n > 1 ? n + "x " : "").append(w).append('\n'));
        return out.toString();
    }

    /** Nearest-rank percentile, {@code -} when there are no samples. */
    static String percentile(List<Duration> samples, int p) {
        if (samples.isEmpty()) {
            return "-";
        }
        List<Duration> sorted = new ArrayList<>(samples);
        Collections.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        Duration d = sorted.get(Math.max(0, rank - 1));
        return d.toMillis() < 10_000 ? String.format("%.1fs", d.toMillis() / 1000.0) : DurationText.of(d);
    }
}
