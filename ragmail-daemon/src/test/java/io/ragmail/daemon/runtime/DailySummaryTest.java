package io.ragmail.daemon.runtime;

import io.ragmail.core.MailKey;
import io.ragmail.core.TokenUsage;
import io.ragmail.core.event.MailDeadEvent;
import io.ragmail.core.event.MailReceivedEvent;
import io.ragmail.core.event.MailSkippedEvent;
import io.ragmail.core.event.ReplyDraftedEvent;
import io.ragmail.core.event.ReplyFiledForReviewEvent;
import io.ragmail.core.event.ReplySentEvent;
import io.ragmail.core.EmailAddress;
import io.ragmail.testkit.odoo.SettableClock;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DailySummaryTest {

    private final SettableClock clock = new SettableClock(Instant.parse("2026-03-01T07:00:00Z"));
    private final DaemonStats stats = new DaemonStats(clock, ZoneOffset.UTC);

    private static MailKey key(int i) {
        return new MailKey("support/INBOX", "<" + i + "@customers.example>");
    }

    @Test
    void the_summary_reports_the_days_counts_success_rate_percentiles_cost_uptime_syncs_queue_and_warnings() {
        Instant t = clock.instant();
        for (int i = 1; i <= 10; i++) {
            stats.onReceived(new MailReceivedEvent(key(i), EmailAddress.of("a@b.example"), "q", t));
        }
        for (int i = 1; i <= 6; i++) {
            stats.onDrafted(new ReplyDraftedEvent(key(i), 0.9, new TokenUsage(1000, 200), Duration.ofSeconds(2), t,
                    new BigDecimal("0.05"), "EUR"));
            stats.onSent(new ReplySentEvent(key(i), "<r" + i + ">", Duration.ofSeconds(i), t));
        }
        stats.onFiledForReview(new ReplyFiledForReviewEvent(key(7), "<r7>", List.of("low confidence"), Duration.ofSeconds(20), t));
        stats.onSkipped(new MailSkippedEvent(key(8), "auto-reply", t));
        stats.onDead(new MailDeadEvent(key(9), "mistral", "401", t));
        stats.onDead(new MailDeadEvent(key(10), "smtp", "550", t));
        clock.advance(Duration.ofHours(2));

        DaemonStats.Day day = stats.takeDay();
        String text = DailySummary.render(day, new DailySummary.Context(Duration.ofHours(26).plusMinutes(5), 1,
                "odoo-sync last success 2026-03-01T08:50:00Z; ", List.of(), 2,
                Map.of("processing slower than 2m 0s: x took 3m 0s", 3), Map.of(), "EUR"));

        assertThat(DailySummary.subject(day)).isEqualTo("[ragmail] daily summary 2026-03-01: 6 sent, 1 review, 2 failed");
        assertThat(text).contains(
                "received 10, sent 6, review 1, skipped 1, failed 2 (retries 0)",
                "success rate: 77.8%",
                "processing time: median 4.0s, p95 20s",
                "uptime 1d 2h 5m, restarts 1",
                "tokens: 6000 in, 1200 out; cost 0.30 EUR",
                "knowledge sync: odoo-sync last success 2026-03-01T08:50:00Z;",
                "failed-mail queue: 2",
                "  … and 2 more (ragmail queue list)",
                "active alerts: none",
                "  3x processing slower than 2m 0s: x took 3m 0s");
        // a new day starts from zero
        assertThat(stats.today().received()).isZero();
    }

    @Test
    void a_new_local_day_resets_the_counters_and_the_budget_spend() {
        stats.onDrafted(new ReplyDraftedEvent(key(1), 0.9, new TokenUsage(10, 10), Duration.ofSeconds(1), clock.instant(),
                new BigDecimal("1.50"), "EUR"));
        assertThat(stats.costToday()).isEqualByComparingTo("1.50");

        clock.advance(Duration.ofHours(18)); // past midnight UTC

        assertThat(stats.costToday()).isEqualByComparingTo("0");
    }
}
