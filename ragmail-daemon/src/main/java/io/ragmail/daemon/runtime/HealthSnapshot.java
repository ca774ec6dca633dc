package io.ragmail.daemon.runtime;

import io.ragmail.core.Component;
import io.ragmail.core.ledger.MailState;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/** The JSON of {@code GET /health}, in the shape ARCHITECTURE.md gives, plus queue, syncs and backlog. Never holds a secret or mail text. */
final class HealthSnapshot {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.of("UTC"));

    private HealthSnapshot() {
    }

    static Map<String, Object> of(Daemon d) {
        Instant now = d.clock().instant();
        DaemonStats stats = d.stats();
        Map<String, DaemonStats.Down> down = stats.down();
        boolean critical = down.values().stream().anyMatch(DaemonStats.Down::critical);
        String status = !d.isRunning() || !d.pipelineRunning() || critical ? "unhealthy" : down.isEmpty() ? "healthy" : "degraded";
        Map<String, Long> counts = new LinkedHashMap<>();
        d.ledger().countByState().forEach((state, n) -> counts.put(state.name().toLowerCase(java.util.Locale.ROOT), n));
        DaemonStats.Day today = stats.today();

        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("uptime", DurationText.of(Duration.between(stats.started(), now)));
        body.put("emails_processed", stats.totalProcessed());
        body.put("last_email", stats.lastMail() == null ? null : TIME.format(stats.lastMail()) + " UTC");
        body.put("error_count", today.failed());
        Map<String, Object> components = new LinkedHashMap<>();
        for (String name : new String[] {Component.IMAP, Component.SMTP, Component.MISTRAL, Component.KNOWLEDGE, Component.ODOO}) {
            components.put(name, component(down.get(name), now));
        }
        d.supervisor().states().forEach((name, st) -> components.put(name, component(down.get(name), now)));
        down.forEach((name, dn) -> components.putIfAbsent(name, component(dn, now)));
        body.put("components", components);
        body.put("ledger", counts);
        body.put("queue_depth", counts.getOrDefault("dead", 0L));
        Map<String, Object> syncs = new LinkedHashMap<>();
        d.supervisor().states().forEach((name, st) -> {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("last_success", st.lastSuccess() == null ? null : TIME.format(st.lastSuccess()) + " UTC");
            s.put("lag", st.lastSuccess() == null ? null : DurationText.of(Duration.between(st.lastSuccess(), now)));
            s.put("failures_in_a_row", st.failuresInARow());
            s.put("restarts", st.restarts());
            syncs.put(name, s);
        });
        body.put("syncs", syncs);
        BacklogGate.Boundary b = d.backlog().boundary();
        body.put("backlog", Map.of("setting", b.backlog(), "first_start", TIME.format(b.firstStart()) + " UTC",
                "left_for_a_person_at_first_start", b.heldBack(), "held_back_this_run", d.backlog().heldBackThisRun()));
        body.put("alerts", d.alerter().active().keySet());
        body.put("restarts", d.restarts());
        body.put("unclean_start", d.uncleanStart());
        body.put("today", Map.of("received", today.received(), "sent", today.sent(), "review", today.review(),
                "skipped", today.skipped(), "failed", today.failed(), "cost", today.cost().toPlainString()));
        return body;
    }

    private static Map<String, Object> component(DaemonStats.Down down, Instant now) {
        Map<String, Object> c = new LinkedHashMap<>();
        if (down == null) {
            c.put("status", "up");
        } else {
            c.put("status", "down");
            c.put("since", TIME.format(down.since()) + " UTC");
            c.put("for", DurationText.of(Duration.between(down.since(), now)));
            c.put("error", down.error());
        }
        return c;
    }
}
