package io.ragmail.health;

import io.ragmail.core.Component;
import io.ragmail.core.TokenUsage;
import io.ragmail.core.event.ComponentDownEvent;
import io.ragmail.core.event.ComponentUpEvent;
import io.ragmail.core.event.LoopHeartbeatEvent;
import io.ragmail.core.event.MailDeadEvent;
import io.ragmail.core.event.MailSkippedEvent;
import io.ragmail.core.event.ReplyDraftedEvent;
import io.ragmail.core.event.ReplyFiledForReviewEvent;
import io.ragmail.core.event.ReplySentEvent;
import io.ragmail.core.event.RetryScheduledEvent;
import io.ragmail.core.ledger.MailState;
import io.ragmail.core.ledger.SqliteLedger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class HealthMonitorTest {

    static final Instant T0 = Instant.parse("2025-10-11T14:00:00Z");

    final MutableClock clock = new MutableClock(T0);

    HealthMonitor.Builder monitor() {
        return HealthMonitor.builder().clock(clock).jvmMetrics(false).memoryProbe(false);
    }

    @Test
    void counts_outcomes_and_keeps_recent_mails_without_bodies_or_addresses() {
        try (HealthMonitor m = monitor().build()) {
            m.onReceived(Mails.received("a", "ada@acme.example", "Acetone SDS", T0.plusSeconds(60)));
            m.onSent(new ReplySentEvent(Mails.key("a"), "<r1@us>", Duration.ofSeconds(20), T0.plusSeconds(80)));
            m.onReceived(Mails.received("b", "bob@shop.example", "Out of office", T0.plusSeconds(120)));
            m.onSkipped(new MailSkippedEvent(Mails.key("b"), "auto-reply (RFC 3834)", T0.plusSeconds(121)));
            m.onReceived(Mails.received("c", "cy@corp.example", "Order 42", T0.plusSeconds(180)));
            m.onFiledForReview(new ReplyFiledForReviewEvent(Mails.key("c"), "<r2@us>", List.of("low confidence"),
                    Duration.ofSeconds(9), T0.plusSeconds(189)));
            m.onReceived(Mails.received("d", "dee@corp.example", "Invoice", T0.plusSeconds(240)));
            m.onDead(new MailDeadEvent(Mails.key("d"), "mistral", "mistral: 400 prompt rejected", T0.plusSeconds(250)));
            clock.advance(Duration.ofMinutes(10));

            HealthSnapshot s = m.snapshot();

            assertThat(s.emailsProcessed()).isEqualTo(4);
            assertThat(s.errorCount()).isEqualTo(1);
            assertThat(s.lastEmail()).isEqualTo(T0.plusSeconds(240));
            assertThat(s.recentMails()).extracting(RecentMail::senderDomain)
                    .containsExactly("corp.example", "corp.example", "shop.example", "acme.example");
            assertThat(s.recentMails()).extracting(RecentMail::outcome)
                    .containsExactly(MailOutcome.DEAD, MailOutcome.REVIEW, MailOutcome.SKIPPED, MailOutcome.SENT);
            assertThat(s.recentMails().get(1).reason()).isEqualTo("low confidence");
            assertThat(s.recentMails().toString()).doesNotContain("ada@").doesNotContain("secret body");
            assertThat(s.today().sent()).isEqualTo(1);
            assertThat(s.today().successRate()).hasValueCloseTo(2.0 / 3, org.assertj.core.data.Offset.offset(1e-9));
            OutcomeCounts thisHour = s.lastDay().get(23);
            assertThat(thisHour.start()).isEqualTo(T0);
            assertThat(thisHour.finished()).isEqualTo(4);
            assertThat(s.lastDay()).hasSize(24);
            assertThat(s.lastDay().subList(0, 23)).allMatch(c -> c.finished() == 0);
        }
    }

    @Test
    void the_hourly_chart_moves_with_the_clock_and_forgets_what_is_older_than_a_day() {
        try (HealthMonitor m = monitor().build()) {
            m.onSent(new ReplySentEvent(Mails.key("a"), "<r@us>", Duration.ofSeconds(5), T0));
            clock.advance(Duration.ofHours(5));
            m.onSent(new ReplySentEvent(Mails.key("b"), "<r@us>", Duration.ofSeconds(5), clock.instant()));
            m.onSent(new ReplySentEvent(Mails.key("c"), "<r@us>", Duration.ofSeconds(5), clock.instant()));

            List<OutcomeCounts> day = m.snapshot().lastDay();
            assertThat(day.get(23).sent()).isEqualTo(2);
            assertThat(day.get(18).sent()).isEqualTo(1);
            assertThat(day.get(18).start()).isEqualTo(T0);

            clock.advance(Duration.ofHours(20));
            assertThat(m.snapshot().lastDay()).allMatch(c -> c.start().isAfter(T0)).extracting(OutcomeCounts::sent)
                    .containsOnly(0L, 2L);
            clock.advance(Duration.ofHours(5));
            assertThat(m.snapshot().lastDay()).allMatch(c -> c.sent() == 0);
        }
    }

    @Test
    void keeps_only_the_configured_number_of_recent_mails() {
        try (HealthMonitor m = monitor().recentMails(3).build()) {
            for (int i = 0; i < 10; i++) {
                m.onReceived(Mails.received("m" + i, "x@d" + i + ".example", "s" + i, T0.plusSeconds(i)));
            }
            assertThat(m.snapshot().recentMails()).extracting(RecentMail::subject).containsExactly("s9", "s8", "s7");
        }
    }

    @Test
    void redacted_subjects_are_never_kept() {
        try (HealthMonitor m = monitor().redactSubjects(true).build()) {
            m.onReceived(Mails.received("a", "ada@acme.example", "Divorce papers for Ada", T0));
            assertThat(m.snapshot().recentMails().get(0).subject()).isEqualTo(HealthMonitor.REDACTED);
            assertThat(m.snapshot().toString()).doesNotContain("Divorce");
        }
    }

    @Test
    void redaction_covers_the_failed_mail_queue_read_from_the_ledger(@TempDir Path dir) {
        try (SqliteLedger ledger = SqliteLedger.open(dir.resolve("ledger.db"));
                HealthMonitor m = monitor().ledger(ledger).redactSubjects(true).build()) {
            ledger.admit(Mails.mail("a", "ada@acme.example", "Divorce papers for Ada"), T0);
            ledger.markDead(Mails.key("a"), "mistral: 400", T0);
            m.refresh();
            assertThat(m.snapshot().queue().failed()).extracting(QueuedMail::subject).containsExactly(HealthMonitor.REDACTED);
            assertThat(m.snapshot().toString()).doesNotContain("Divorce").doesNotContain("secret body");
        }
    }

    @Test
    void secrets_in_errors_are_masked_before_they_are_kept() {
        try (HealthMonitor m = monitor().build()) {
            m.onComponentDown(new ComponentDownEvent(Component.ODOO,
                    "odoo: cannot log in to https://admin:hunter2@erp.example/xmlrpc with password=hunter2", true, T0));
            m.onRetryScheduled(new RetryScheduledEvent(Mails.key("a"), 1, T0.plusSeconds(60), Component.MISTRAL,
                    "mistral: 401 Authorization: Bearer sk-abcdefghijklmnop", T0));

            HealthSnapshot s = m.snapshot();
            assertThat(s.components().get("odoo").lastError()).doesNotContain("hunter2").contains("***");
            assertThat(s.recentMails().get(0).reason()).doesNotContain("sk-abcdefghijklmnop");
        }
    }

    @ParameterizedTest(name = "{0} down -> {1}")
    @CsvSource({
            "imap, UNHEALTHY",
            "ledger, UNHEALTHY",
            "disk, UNHEALTHY",
            "smtp, DEGRADED",
            "mistral, DEGRADED",
            "odoo, DEGRADED",
            "knowledge, DEGRADED",
            "memory, DEGRADED"})
    void a_component_down_makes_ragmail_unhealthy_only_when_mail_cannot_come_in_or_be_recorded(String component,
            HealthStatus expected) {
        try (HealthMonitor m = monitor().build()) {
            assertThat(m.snapshot().status()).isEqualTo(HealthStatus.HEALTHY);
            m.onComponentDown(new ComponentDownEvent(component, component + ": connection refused", false, T0));
            HealthSnapshot s = m.snapshot();
            assertThat(s.status()).isEqualTo(expected);
            assertThat(s.components().get(component).state()).isEqualTo(ComponentState.DOWN);
            assertThat(s.components().get(component).since()).isEqualTo(T0);

            clock.advance(Duration.ofMinutes(3));
            m.onComponentUp(new ComponentUpEvent(component, Duration.ofMinutes(3), clock.instant()));
            s = m.snapshot();
            assertThat(s.status()).isEqualTo(HealthStatus.HEALTHY);
            assertThat(s.components().get(component).since()).isEqualTo(clock.instant());
            assertThat(s.components().get(component).lastError()).contains("connection refused");
        }
    }

    @Test
    void events_name_components_in_the_core_vocabulary_without_translation() {
        try (HealthMonitor m = monitor().build()) {
            m.onComponentDown(new ComponentDownEvent(Component.MISTRAL, "mistral: 503", false, T0));
            m.onComponentDown(new ComponentDownEvent(Component.ODOO, "odoo: timeout", false, T0));
            // a drafter of the user's own that named no component is not passed off as Mistral
            m.onComponentDown(new ComponentDownEvent(Component.DRAFTER, "drafter: NullPointerException", false, T0));
            assertThat(m.snapshot().components().get(Component.MISTRAL).state()).isEqualTo(ComponentState.DOWN);
            assertThat(m.snapshot().components().get(Component.ODOO).state()).isEqualTo(ComponentState.DOWN);
            assertThat(m.snapshot().components().get(Component.DRAFTER).state()).isEqualTo(ComponentState.DOWN);
            assertThat(m.snapshot().components().get(Component.SMTP).state()).isEqualTo(ComponentState.UNKNOWN);
        }
    }

    @Test
    void an_alias_shows_an_adapters_own_component_name_under_another_row() {
        try (HealthMonitor m = monitor().alias("crm", Component.ERP).build()) {
            m.onComponentDown(new ComponentDownEvent("crm", "crm: timeout", false, T0));
            assertThat(m.snapshot().components().get(Component.ERP).state()).isEqualTo(ComponentState.DOWN);
            assertThat(m.snapshot().components()).doesNotContainKey("crm");
        }
    }

    @Test
    void probes_run_on_refresh_only_never_when_the_snapshot_is_read() {
        AtomicInteger calls = new AtomicInteger();
        try (HealthMonitor m = monitor().probe(ComponentProbe.of("smtp", () -> {
            calls.incrementAndGet();
            return ProbeResult.down("535 authentication failed");
        })).build()) {
            assertThat(m.snapshot().components().get("smtp").state()).isEqualTo(ComponentState.UNKNOWN);
            m.refresh();
            for (int i = 0; i < 20; i++) {
                m.snapshot();
            }
            assertThat(calls).hasValue(1);
            ComponentHealth smtp = m.snapshot().components().get("smtp");
            assertThat(smtp.state()).isEqualTo(ComponentState.DOWN);
            assertThat(smtp.checkedAt()).isEqualTo(T0);
            assertThat(m.snapshot().status()).isEqualTo(HealthStatus.DEGRADED);
        }
    }

    @Test
    void a_probe_that_hangs_counts_as_down_after_the_timeout_and_is_not_started_again_while_it_hangs() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        try (HealthMonitor m = monitor().probeTimeout(Duration.ofMillis(50)).probe(ComponentProbe.of("imap", () -> {
            calls.incrementAndGet();
            try {
                release.await();
            } catch (InterruptedException e) {
                // ignore the interrupt, as a badly written probe would, and keep hanging
                try {
                    release.await();
                } catch (InterruptedException again) {
                    Thread.currentThread().interrupt();
                }
            }
            return ProbeResult.up();
        })).build()) {
            m.refresh();
            assertThat(m.snapshot().components().get("imap").lastError()).startsWith("no answer within");
            assertThat(m.snapshot().status()).isEqualTo(HealthStatus.UNHEALTHY);
            m.refresh();
            assertThat(m.snapshot().components().get("imap").lastError()).contains("still hanging");
            assertThat(calls).hasValue(1);
        } finally {
            release.countDown();
        }
    }

    @Test
    void a_throwing_probe_is_down_with_its_message() {
        try (HealthMonitor m = monitor().probe(ComponentProbe.of("odoo", () -> {
            throw new IllegalStateException("connect timed out (password=swordfish)");
        })).build()) {
            m.refresh();
            ComponentHealth odoo = m.snapshot().components().get("odoo");
            assertThat(odoo.state()).isEqualTo(ComponentState.DOWN);
            assertThat(odoo.lastError()).contains("connect timed out").doesNotContain("swordfish");
        }
    }

    @Test
    void disk_space_below_the_thresholds_is_degraded_then_down(@TempDir Path dir) {
        assertThat(ComponentProbe.diskSpace(dir, 0.0, 0.0).check().state()).isEqualTo(ComponentState.UP);
        assertThat(ComponentProbe.diskSpace(dir, 1.0, 0.0).check().state()).isEqualTo(ComponentState.DEGRADED);
        assertThat(ComponentProbe.diskSpace(dir, 1.0, 1.0).check().state()).isEqualTo(ComponentState.DOWN);
        assertThat(ComponentProbe.diskSpace(dir.resolve("not/yet/made"), 0.0, 0.0).check().state())
                .isEqualTo(ComponentState.UP);
        try (HealthMonitor m = monitor().probe(ComponentProbe.diskSpace(dir, 1.0, 1.0)).build()) {
            m.refresh();
            assertThat(m.snapshot().status()).isEqualTo(HealthStatus.UNHEALTHY);
            assertThat(m.snapshot().components().get("disk").lastError()).contains("% free");
        }
    }

    @Test
    void the_memory_probe_reports_the_heap_in_use() {
        ProbeResult r = ComponentProbe.memory().check();
        assertThat(r.detail()).matches("\\d+% of heap in use after GC");
        assertThat(ComponentProbe.memory(1e-9).check().state()).isEqualTo(ComponentState.DEGRADED);
    }

    @Test
    void liveness_fails_when_the_loop_heartbeat_is_older_than_the_timeout() {
        try (HealthMonitor m = monitor().heartbeatTimeout(Duration.ofMinutes(5)).build()) {
            assertThat(m.live().ok()).as("no heartbeat source yet").isTrue();
            m.onHeartbeat(new LoopHeartbeatEvent(clock.instant()));
            clock.advance(Duration.ofMinutes(4));
            assertThat(m.live().ok()).isTrue();
            clock.advance(Duration.ofMinutes(2));
            assertThat(m.live().ok()).isFalse();
            assertThat(m.live().reason()).isEqualTo("pipeline loop made no progress for 6m");
            assertThat(m.snapshot().status()).isEqualTo(HealthStatus.UNHEALTHY);
            m.heartbeat();
            assertThat(m.live().ok()).isTrue();
        }
    }

    @Test
    void an_expected_heartbeat_that_never_comes_fails_liveness() {
        try (HealthMonitor m = monitor().expectHeartbeat(true).heartbeatTimeout(Duration.ofMinutes(1)).build()) {
            assertThat(m.live().ok()).isTrue();
            clock.advance(Duration.ofMinutes(2));
            assertThat(m.live().reason()).startsWith("no pipeline heartbeat since start");
        }
    }

    @Test
    void queue_depth_and_failed_mails_come_from_the_ledger_and_operators_can_retry_or_drop(@TempDir Path dir) {
        try (SqliteLedger ledger = SqliteLedger.open(dir.resolve("ledger.db"));
                HealthMonitor m = monitor().ledger(ledger).build()) {
            ledger.admit(Mails.mail("a", "ada@acme.example", "Acetone SDS"), T0);
            ledger.markDead(Mails.key("a"), "mistral: 400 prompt rejected", T0.plusSeconds(5));
            ledger.admit(Mails.mail("b", "bob@shop.example", "Where is my order?"), T0);
            ledger.markDead(Mails.key("b"), "smtp: 550 mailbox unavailable", T0.plusSeconds(6));
            ledger.admit(Mails.mail("c", "cy@corp.example", "Price"), T0);
            ledger.scheduleRetry(Mails.key("c"), 1, T0.plusSeconds(60), "odoo: timeout", T0.plusSeconds(7));
            assertThat(m.snapshot().queue().known()).isFalse();
            assertThat(m.ready().ok()).isFalse();

            m.refresh();
            HealthSnapshot s = m.snapshot();
            assertThat(s.queue().dead()).isEqualTo(2);
            assertThat(s.queue().retry()).isEqualTo(1);
            assertThat(s.errorCount()).isEqualTo(2);
            assertThat(s.emailsProcessed()).isEqualTo(2);
            assertThat(s.queue().failed()).extracting(QueuedMail::subject).containsExactly("Acetone SDS", "Where is my order?");
            assertThat(s.queue().failed()).extracting(QueuedMail::senderDomain).containsExactly("acme.example", "shop.example");
            assertThat(s.components().get("ledger").state()).isEqualTo(ComponentState.UP);

            assertThat(m.retry(Mails.key("a"))).isTrue();
            assertThat(m.drop(Mails.key("b"))).isTrue();
            assertThat(m.drop(Mails.key("b"))).as("no longer dead").isFalse();
            assertThat(m.retry(Mails.key("nope"))).isFalse();

            assertThat(ledger.find(Mails.key("a")).orElseThrow().state()).isEqualTo(MailState.RETRY);
            assertThat(ledger.find(Mails.key("b")).orElseThrow().state()).isEqualTo(MailState.SKIPPED);
            assertThat(ledger.find(Mails.key("b")).orElseThrow().reason()).isEqualTo("dropped by an operator");
            assertThat(m.snapshot().queue().dead()).isZero();
            assertThat(m.snapshot().queue().retry()).isEqualTo(2);
        }
    }

    @Test
    void a_ledger_that_cannot_be_read_is_down_and_makes_ragmail_unhealthy(@TempDir Path dir) {
        SqliteLedger ledger = SqliteLedger.open(dir.resolve("ledger.db"));
        try (HealthMonitor m = monitor().ledger(ledger).build()) {
            ledger.close();
            m.refresh();
            assertThat(m.snapshot().components().get("ledger").state()).isEqualTo(ComponentState.DOWN);
            assertThat(m.snapshot().status()).isEqualTo(HealthStatus.UNHEALTHY);
        }
    }

    @Test
    void first_signs_of_life_mark_unknown_components_up_but_never_override_a_known_state() {
        try (HealthMonitor m = monitor().build()) {
            assertThat(m.snapshot().components().get("imap").state()).isEqualTo(ComponentState.UNKNOWN);
            m.onComponentDown(new ComponentDownEvent("smtp", "smtp: refused", false, T0));
            m.onReceived(Mails.received("a", "a@b.example", "hi", T0));
            m.onDrafted(new ReplyDraftedEvent(Mails.key("a"), 0.9, new TokenUsage(100, 20), Duration.ofSeconds(2), T0));
            m.onSent(new ReplySentEvent(Mails.key("a"), "<r@us>", Duration.ofSeconds(3), T0));
            HealthSnapshot s = m.snapshot();
            assertThat(s.components().get("imap").state()).isEqualTo(ComponentState.UP);
            assertThat(s.components().get("mistral").state()).isEqualTo(ComponentState.UP);
            assertThat(s.components().get("smtp").state()).isEqualTo(ComponentState.DOWN);
        }
    }

    @Test
    void a_listener_method_never_throws_even_on_odd_events() {
        try (HealthMonitor m = monitor().build()) {
            m.onComponentDown(new ComponentDownEvent(null, null, false, T0));
            m.onReceived(new io.ragmail.core.event.MailReceivedEvent(Mails.key("x"), null, null, T0));
            assertThat(m.snapshot().recentMails()).hasSize(1);
        }
    }
}
