package io.ragmail.daemon.runtime;

import io.ragmail.testkit.TestMailServer;
import io.ragmail.testkit.TestMessage;
import io.ragmail.testkit.odoo.SettableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Alerts reach a real mailbox once per condition, again only after the throttle, and with a recovery notice. */
class AlerterTest {

    private static final String OPERATOR = "ops@shop.example";
    private final TestMailServer mail = new TestMailServer().start();
    private final SettableClock clock = new SettableClock(Instant.parse("2026-03-01T10:00:00Z"));
    private final Alerter alerter;

    AlerterTest() {
        mail.createUser(OPERATOR, "ops-password");
        MailAlertChannel channel = new MailAlertChannel(mail.smtpAccount(), "support@shop.example", OPERATOR);
        alerter = new Alerter(List.of(channel), clock, Duration.ofMinutes(30), Runnable::run);
    }

    @AfterEach
    void stop() {
        mail.close();
    }

    private List<String> subjects() {
        return mail.received(OPERATOR).stream().map(TestMessage::subject).toList();
    }

    @Test
    void a_condition_is_sent_once_then_at_most_once_per_throttle_interval_then_a_recovery_notice() {
        alerter.raise("imap-unreachable", "imap unreachable for 5m 0s", "connection refused");
        clock.advance(Duration.ofMinutes(1));
        alerter.raise("imap-unreachable", "imap unreachable for 6m 0s", "connection refused");
        clock.advance(Duration.ofMinutes(10));
        alerter.raise("imap-unreachable", "imap unreachable for 16m 0s", "connection refused");

        assertThat(subjects()).containsExactly("[ragmail] CRITICAL: imap unreachable for 5m 0s");

        clock.advance(Duration.ofMinutes(20)); // 31 minutes after the first message
        alerter.raise("imap-unreachable", "imap unreachable for 36m 0s", "connection refused");
        clock.advance(Duration.ofMinutes(4));
        alerter.clear("imap-unreachable", "imap is reachable again.");
        alerter.clear("imap-unreachable", "imap is reachable again.");

        assertThat(subjects()).containsExactly(
                "[ragmail] CRITICAL: imap unreachable for 5m 0s",
                "[ragmail] CRITICAL: imap unreachable for 36m 0s",
                "[ragmail] RECOVERED: imap unreachable for 36m 0s");
        TestMessage second = mail.received(OPERATOR).get(1);
        assertThat(second.text()).contains("Repeated 2 times since the last message.");
        assertThat(mail.received(OPERATOR).get(2).text()).contains("Lasted: 35m 0s");
        assertThat(second.header("Auto-Submitted")).contains("auto-generated");
        assertThat(second.header(MailAlertChannel.MARKER_HEADER)).contains("yes");
    }

    @Test
    void different_conditions_are_separate_alerts_and_a_storm_is_capped_per_hour() {
        alerter.raise("odoo", "Odoo unreachable or login refused", "HTTP 503");
        alerter.raise("disk", "disk nearly full", "900 MB free");
        assertThat(subjects()).hasSize(2);

        for (int i = 0; i < 40; i++) {
            alerter.raise("storm-" + i, "condition " + i, "detail");
        }

        assertThat(subjects()).hasSize(Alerter.MAX_PER_HOUR);
        clock.advance(Duration.ofMinutes(61));
        alerter.raise("after", "after the storm", "detail");
        List<TestMessage> all = mail.received(OPERATOR);
        assertThat(all.get(all.size() - 1).text()).contains("22 earlier messages were held back by storm protection");
    }

    @Test
    void an_event_such_as_an_unclean_stop_is_sent_once_and_leaves_nothing_active() {
        alerter.event("unclean-stop", "ragmail restarted after an unclean stop", "pid=1");
        alerter.event("unclean-stop", "ragmail restarted after an unclean stop", "pid=2");

        assertThat(subjects()).containsExactly("[ragmail] CRITICAL: ragmail restarted after an unclean stop");
        assertThat(alerter.active()).isEmpty();

        clock.advance(Duration.ofMinutes(31));
        alerter.event("unclean-stop", "ragmail restarted after an unclean stop", "pid=3");
        assertThat(subjects()).hasSize(2);
    }

    @Test
    void warnings_are_collected_for_the_summary_and_counted_not_repeated() {
        alerter.warn("processing slower than 2m 0s: a took 3m 0s");
        alerter.warn("heap above 80% of -Xmx");
        alerter.warn("heap above 80% of -Xmx");

        assertThat(alerter.takeWarnings()).containsExactly(
                java.util.Map.entry("processing slower than 2m 0s: a took 3m 0s", 1),
                java.util.Map.entry("heap above 80% of -Xmx", 2));
        assertThat(alerter.takeWarnings()).isEmpty();
        assertThat(subjects()).isEmpty();
    }
}
