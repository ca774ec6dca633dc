package io.ragmail.daemon.runtime;

import com.sun.net.httpserver.HttpServer;
import io.ragmail.core.Draft;
import io.ragmail.core.DraftRequest;
import io.ragmail.core.EmailAddress;
import io.ragmail.core.InboundMail;
import io.ragmail.core.MailKey;
import io.ragmail.core.ReviewDecision;
import io.ragmail.core.ReviewPolicy;
import io.ragmail.core.SenderIdentity;
import io.ragmail.core.TokenUsage;
import io.ragmail.core.event.ComponentDownEvent;
import io.ragmail.core.event.ComponentUpEvent;
import io.ragmail.core.event.ReplyDraftedEvent;
import io.ragmail.core.ledger.Disposition;
import io.ragmail.testkit.odoo.SettableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** Conditions become alerts on a real webhook receiver (the second channel), with the clock injected. */
class AlertRulesTest {

    @TempDir
    Path dataDir;

    private final SettableClock clock = new SettableClock(Instant.parse("2026-03-01T10:00:00Z"));
    private final DaemonStats stats = new DaemonStats(clock, ZoneOffset.UTC);
    private final List<String> posted = new CopyOnWriteArrayList<>();
    private final HttpServer webhook;
    private final Alerter alerter;

    AlertRulesTest() throws IOException {
        webhook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        webhook.createContext("/hooks/T0KEN", exchange -> {
            posted.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        webhook.start();
        URI url = URI.create("http://127.0.0.1:" + webhook.getAddress().getPort() + "/hooks/T0KEN");
        alerter = new Alerter(List.of(new WebhookAlertChannel(url)), clock, Duration.ofMinutes(30), Runnable::run);
    }

    @AfterEach
    void stop() {
        webhook.stop(0);
    }

    private AlertRules rules() {
        return new AlertRules(alerter, stats, new AlertRules.Settings(3, Duration.ofMinutes(5), 0, dataDir, dataDir.resolve("logs"),
                500L * 1024 * 1024), clock);
    }

    @Test
    void imap_down_alerts_only_after_the_threshold_and_recovers_when_it_is_back() {
        AlertRules rules = rules();
        ComponentDownEvent down = new ComponentDownEvent("imap", "IMAP 127.0.0.1:993 failed: connection refused", false, clock.instant());
        stats.onComponentDown(down);
        rules.onComponentDown(down);
        clock.advance(Duration.ofMinutes(4));
        rules.check();
        assertThat(posted).isEmpty();

        clock.advance(Duration.ofMinutes(2));
        rules.check();
        rules.check();
        assertThat(posted).hasSize(1);
        assertThat(posted.get(0)).contains("[ragmail] CRITICAL: imap unreachable for 6m 0s", "connection refused");

        stats.onComponentUp(new ComponentUpEvent("imap", Duration.ofMinutes(6), clock.instant()));
        rules.check();
        assertThat(posted).hasSize(2);
        assertThat(posted.get(1)).contains("[ragmail] RECOVERED: imap unreachable");
    }

    @Test
    void odoo_and_mistral_authentication_failures_alert_at_once() {
        AlertRules rules = rules();
        rules.onComponentDown(new ComponentDownEvent("odoo", "Odoo rejected the login of user 'ragmail'", true, clock.instant()));
        rules.onComponentDown(new ComponentDownEvent("mistral", "Mistral rejected the API key (HTTP 401)", true, clock.instant()));
        rules.onComponentDown(new ComponentDownEvent("mistral", "Mistral failed (HTTP 503)", false, clock.instant()));

        assertThat(posted).hasSize(2);
        assertThat(posted.get(0)).contains("Odoo unreachable or login refused");
        assertThat(posted.get(1)).contains("Mistral refused the API key");
        rules.onComponentUp(new ComponentUpEvent("odoo", Duration.ofMinutes(1), clock.instant()));
        assertThat(posted.get(2)).contains("RECOVERED: Odoo unreachable or login refused");
    }

    @Test
    void above_the_daily_budget_every_reply_goes_to_review_and_a_critical_alert_is_raised_once() {
        BudgetGuard budget = new BudgetGuard(ReviewPolicy.sendWhenConfident(0.5), new BigDecimal("1.00"), "EUR", stats,
                spent -> alerter.raise("budget", "daily budget exceeded", "Spent " + spent.toPlainString() + " EUR today"));
        InboundMail mail = InboundMail.builder().key(new MailKey("support/INBOX", "<1@x>")).from(EmailAddress.of("ada@x.example"))
                .subject("q").text("q").build();
        DraftRequest request = new DraftRequest(mail, List.of(), Optional.empty(),
                new SenderIdentity(mail.from(), false, "not verified"), false);
        Draft draft = new Draft("Hello", "en", 0.9, List.of(), false, "", TokenUsage.NONE);

        assertThat(budget.decide(request, draft).disposition()).isEqualTo(Disposition.SEND);

        stats.onDrafted(new ReplyDraftedEvent(mail.key(), 0.9, new TokenUsage(100_000, 10_000), Duration.ofSeconds(2),
                clock.instant(), new BigDecimal("1.20"), "EUR"));
        ReviewDecision over = budget.decide(request, draft);
        budget.decide(request, draft);

        assertThat(over.disposition()).isEqualTo(Disposition.REVIEW);
        assertThat(over.reasons()).containsExactly(
                "daily budget of 1.00 EUR reached (1.20 spent today): every reply is reviewed until midnight");
        assertThat(posted).hasSize(1);
        assertThat(posted.get(0)).contains("daily budget exceeded", "Spent 1.20 EUR today");
        assertThat(String.join("", posted)).doesNotContain("T0KEN");

        clock.advance(Duration.ofDays(1));
        assertThat(budget.exceeded()).isFalse();
    }

}
