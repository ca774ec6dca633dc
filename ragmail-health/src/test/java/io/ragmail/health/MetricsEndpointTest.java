package io.ragmail.health;

import io.ragmail.core.Component;
import io.ragmail.core.TokenUsage;
import io.ragmail.core.event.ComponentDownEvent;
import io.ragmail.core.event.KnowledgeSyncedEvent;
import io.ragmail.core.event.LoopHeartbeatEvent;
import io.ragmail.core.event.MailDeadEvent;
import io.ragmail.core.event.MailSkippedEvent;
import io.ragmail.core.event.ReplyDraftedEvent;
import io.ragmail.core.event.ReplyFiledForReviewEvent;
import io.ragmail.core.event.ReplySentEvent;
import io.ragmail.core.event.RetryScheduledEvent;
import io.ragmail.core.ledger.SqliteLedger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.nio.file.Files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MetricsEndpointTest {

    static final Instant T0 = Instant.parse("2025-10-11T14:00:00Z");

    @Test
    void metrics_parse_as_prometheus_text_and_count_what_happened(@TempDir Path dir) throws Exception {
        MutableClock clock = new MutableClock(T0);
        try (SqliteLedger ledger = SqliteLedger.open(dir.resolve("ledger.db"));
                HealthMonitor m = HealthMonitor.builder().clock(clock).ledger(ledger).dataDirectory(dir)
                        .syncSource("odoo").build();
                HealthServer s = HealthServer.builder().monitor(m).port(0).build().start()) {
            ledger.admit(Mails.mail("d", "dee@corp.example", "Invoice"), T0);
            ledger.markDead(Mails.key("d"), "mistral: 400", T0);
            m.onReceived(Mails.received("a", "ada@acme.example", "A", T0));
            m.onReceived(Mails.received("b", "bob@acme.example", "B", T0));
            m.onDrafted(new ReplyDraftedEvent(Mails.key("a"), 0.9, new TokenUsage(1200, 300), Duration.ofMillis(1500), T0,
                    new BigDecimal("0.0042"), "EUR"));
            m.onDrafted(new ReplyDraftedEvent(Mails.key("b"), 0.9, TokenUsage.NONE, Duration.ofMillis(30), T0));
            m.onSent(new ReplySentEvent(Mails.key("a"), "<r@us>", Duration.ofSeconds(12), T0));
            m.onFiledForReview(new ReplyFiledForReviewEvent(Mails.key("b"), "<r2@us>", List.of("low confidence"),
                    Duration.ofSeconds(40), T0));
            m.onSkipped(new MailSkippedEvent(Mails.key("c"), "auto-reply", T0));
            m.onRetryScheduled(new RetryScheduledEvent(Mails.key("e"), 1, T0.plusSeconds(60), Component.MISTRAL, "mistral: 503", T0));
            m.onDead(new MailDeadEvent(Mails.key("d"), "mistral", "mistral: 400", T0));
            m.onComponentDown(new ComponentDownEvent("smtp", "smtp: refused", false, T0));
            m.onKnowledgeSynced(new KnowledgeSyncedEvent("odoo", 40, 38, 2, Duration.ofSeconds(3), T0));
            m.onHeartbeat(new LoopHeartbeatEvent(T0));
            m.refresh();
            clock.advance(Duration.ofSeconds(90));

            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + s.getPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
            java.nio.file.Files.writeString(java.nio.file.Path.of("target/metrics-sample.txt"), r.body());
            Map<String, PrometheusText.Family> f = PrometheusText.parse(r.body());

            assertThat(f.get("ragmail_mails_received_total").type()).isEqualTo("counter");
            assertThat(f.get("ragmail_mails_received_total").value("ragmail_mails_received_total", Map.of())).isEqualTo(2);
            PrometheusText.Family mails = f.get("ragmail_mails_total");
            assertThat(mails.value("ragmail_mails_total", Map.of("outcome", "sent"))).isEqualTo(1);
            assertThat(mails.value("ragmail_mails_total", Map.of("outcome", "review"))).isEqualTo(1);
            assertThat(mails.value("ragmail_mails_total", Map.of("outcome", "skipped"))).isEqualTo(1);
            assertThat(mails.value("ragmail_mails_total", Map.of("outcome", "dead"))).isEqualTo(1);

            PrometheusText.Family processing = f.get("ragmail_mail_processing_seconds");
            assertThat(processing.type()).isEqualTo("histogram");
            assertThat(processing.value("ragmail_mail_processing_seconds_bucket", Map.of("outcome", "sent", "le", "15.0")))
                    .isEqualTo(1);
            assertThat(processing.value("ragmail_mail_processing_seconds_bucket", Map.of("outcome", "sent", "le", "5.0")))
                    .isEqualTo(0);
            assertThat(processing.value("ragmail_mail_processing_seconds_sum", Map.of("outcome", "review"))).isEqualTo(40);

            PrometheusText.Family queue = f.get("ragmail_queue_depth");
            assertThat(queue.type()).isEqualTo("gauge");
            assertThat(queue.value("ragmail_queue_depth", Map.of("state", "dead"))).isEqualTo(1);
            assertThat(queue.value("ragmail_queue_depth", Map.of("state", "retry"))).isEqualTo(0);

            PrometheusText.Family up = f.get("ragmail_component_up");
            assertThat(up.value("ragmail_component_up", Map.of("component", "smtp"))).isEqualTo(0);
            assertThat(up.value("ragmail_component_up", Map.of("component", "ledger"))).isEqualTo(1);
            assertThat(up.value("ragmail_component_up", Map.of("component", "odoo"))).isNaN();
            assertThat(f.get("ragmail_health_status").value("ragmail_health_status", Map.of("status", "degraded")))
                    .isEqualTo(1);
            assertThat(f.get("ragmail_health_status").value("ragmail_health_status", Map.of("status", "healthy")))
                    .isEqualTo(0);
            assertThat(f.get("ragmail_mail_retries_total").value("ragmail_mail_retries_total",
                    Map.of("component", "mistral"))).isEqualTo(1);

            assertThat(f.get("ragmail_llm_requests_total").value("ragmail_llm_requests_total", Map.of())).isEqualTo(1);
            assertThat(f.get("ragmail_llm_tokens_total").value("ragmail_llm_tokens_total", Map.of("type", "input")))
                    .isEqualTo(1200);
            assertThat(f.get("ragmail_llm_tokens_total").value("ragmail_llm_tokens_total", Map.of("type", "output")))
                    .isEqualTo(300);
            assertThat(f.get("ragmail_llm_cost_total").value("ragmail_llm_cost_total", Map.of("currency", "EUR")))
                    .isEqualTo(0.0042);
            assertThat(f.get("ragmail_llm_draft_seconds").value("ragmail_llm_draft_seconds_count", Map.of())).isEqualTo(2);

            PrometheusText.Family sync = f.get("ragmail_sync_records_total");
            assertThat(sync.value("ragmail_sync_records_total", Map.of("source", "odoo", "action", "fetched"))).isEqualTo(40);
            assertThat(sync.value("ragmail_sync_records_total", Map.of("source", "odoo", "action", "deleted"))).isEqualTo(2);
            assertThat(f.get("ragmail_sync_lag_seconds").value("ragmail_sync_lag_seconds", Map.of("source", "odoo")))
                    .isEqualTo(90);
            assertThat(f.get("ragmail_loop_heartbeat_age_seconds").value("ragmail_loop_heartbeat_age_seconds", Map.of()))
                    .isEqualTo(90);

            assertThat(f).containsKeys("jvm_memory_used_bytes", "jvm_threads_live_threads", "process_cpu_usage",
                    "process_uptime_seconds", "system_cpu_count", "disk_free_bytes");
            assertThat(f.values()).filteredOn(x -> x.name().startsWith("ragmail_"))
                    .allSatisfy(x -> assertThat(x.help()).as("HELP of " + x.name()).isNotBlank());

            // the docs list exactly what is served, and the dashboards and alerts use only what exists
            Set<String> served = f.keySet().stream().filter(n -> n.startsWith("ragmail_")).collect(Collectors.toSet());
            Path docs = Path.of("..", "docs");
            assertThat(metricNames(docs.resolve("metrics.md"))).isEqualTo(served);
            assertThat(served).containsAll(metricNames(docs.resolve("grafana-dashboard.json")));
            assertThat(served).containsAll(metricNames(docs.resolve("prometheus-alerts.yml")));
            assertThat(f.keySet()).contains("jvm_gc_live_data_size_bytes", "jvm_gc_max_data_size_bytes", "disk_total_bytes");
        }
    }

    /** The {@code ragmail_} metric families a file names (histogram sample suffixes folded into their family). */
    private static Set<String> metricNames(Path file) throws java.io.IOException {
        Set<String> names = new TreeSet<>();
        Matcher m = Pattern.compile("ragmail_[a-z_]*[a-z]").matcher(Files.readString(file));
        while (m.find()) {
            names.add(m.group().replaceAll("_(bucket|count|sum)$", ""));
        }
        return names;
    }

    @Test
    void the_parser_is_strict() {
        assertThatThrownBy(() -> PrometheusText.parse("ragmail_x{a=\"1\" 1\n")).hasMessageContaining("line 1");
        assertThatThrownBy(() -> PrometheusText.parse("ragmail_x 1")).hasMessageContaining("line feed");
        assertThatThrownBy(() -> PrometheusText.parse("9x 1\n")).hasMessageContaining("bad metric name");
        assertThatThrownBy(() -> PrometheusText.parse("x{a=\"\\q\"} 1\n")).hasMessageContaining("bad escape");
        assertThatThrownBy(() -> PrometheusText.parse("x one\n")).hasMessageContaining("bad value");
        assertThatThrownBy(() -> PrometheusText.parse("x 1\ny 1\nx{a=\"b\"} 2\n")).hasMessageContaining("not together");
        assertThatThrownBy(() -> PrometheusText.parse("# TYPE c counter\nc -1\n")).hasMessageContaining("counter");
        assertThatThrownBy(() -> PrometheusText.parse(
                "# TYPE h histogram\nh_bucket{le=\"1.0\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_count 1\nh_sum 1\n"))
                .hasMessageContaining("cumulative");
        assertThat(PrometheusText.parse("# HELP g a gauge\n# TYPE g gauge\ng{a=\"x\\\"y\\\\z\\n\"} NaN 1700000000000\n")
                .get("g").samples().get(0).labels()).containsEntry("a", "x\"y\\z\n");
    }
}
