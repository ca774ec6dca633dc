package io.ragmail.daemon.runtime;

import io.ragmail.core.ledger.LedgerEntry;
import io.ragmail.core.ledger.MailState;
import io.ragmail.testkit.TestMessage;
import io.ragmail.testkit.mistral.MistralFault;
import io.ragmail.testkit.odoo.SettableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static io.ragmail.daemon.runtime.DaemonFixture.OPERATOR;
import static io.ragmail.daemon.runtime.DaemonFixture.all;
import static io.ragmail.daemon.runtime.DaemonFixture.await;
import static org.assertj.core.api.Assertions.assertThat;

class FailuresAndRetentionTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    /** A request Mistral refuses for good: the mail goes to the failed-mail queue at once. */
    private static final MistralFault REJECTED = new MistralFault.Status(422,
            "{\"object\":\"error\",\"message\":\"invalid model\",\"type\":\"invalid_request_error\"}");

    @TempDir
    Path dataDir;

    DaemonFixture fx;

    @BeforeEach
    void setUp() {
        fx = new DaemonFixture(dataDir);
    }

    @AfterEach
    void tearDown() {
        fx.close();
    }

    @Test
    void three_failed_mails_in_a_row_raise_one_critical_alert_and_an_answered_mail_sends_the_recovery() throws Exception {
        fx.mistral.enqueue(REJECTED, REJECTED, REJECTED);
        try (Daemon daemon = fx.daemon()) {
            daemon.start();
            fx.deliver("Failing 1");
            await("first failed", WAIT, () -> daemon.ledger().countByState().get(MailState.DEAD) == 1);
            fx.deliver("Failing 2");
            await("second failed", WAIT, () -> daemon.ledger().countByState().get(MailState.DEAD) == 2);
            fx.deliver("Failing 3");
            await("the alert", WAIT, () -> !fx.mail.received(OPERATOR).isEmpty());

            fx.deliver("Works again");
            await("the recovery", WAIT, () -> fx.mail.received(OPERATOR).size() >= 2);

            List<String> subjects = fx.mail.received(OPERATOR).stream().map(TestMessage::subject).toList();
            assertThat(subjects).containsExactly("[ragmail] CRITICAL: 3 mails in a row failed",
                    "[ragmail] RECOVERED: 3 mails in a row failed");
            assertThat(fx.mail.received(OPERATOR).get(0).text()).contains("ragmail queue list");
            // the alert never became a customer mail: nothing from the operator's address is in the ledger
            assertThat(all(daemon)).noneMatch(e -> e.mail().from().toString().contains(OPERATOR));
        }
    }

    @Test
    void retention_removes_old_finished_rows_and_a_removed_mail_that_comes_back_is_not_answered_again() throws Exception {
        SettableClock clock = new SettableClock(Instant.now());
        fx.mistral.enqueue(REJECTED);
        fx.deliver("Fails and is never acknowledged");
        fx.settings.put("ragmail.imap.backlog", "all");
        try (Daemon daemon = Daemon.builder().config(fx.config()).clock(clock).build()) {
            daemon.start();
            await("the mail failed", WAIT, () -> daemon.ledger().countByState().get(MailState.DEAD) == 1);
            // retention removes only rows whose acknowledgement the server confirmed
            await("its acknowledgement recorded", WAIT, () -> all(daemon).get(0).acknowledgedAt() != null);
            clock.advance(Duration.ofDays(91));

            assertThat(daemon.runRetention()).isEqualTo(1);
            assertThat(all(daemon)).isEmpty();
        }
        // a new session: the failed mail stays on the server (marked for a person); were it yielded
        // again, the ledger's tombstone would recognise it
        try (Daemon daemon = Daemon.builder().config(fx.config()).clock(clock).build()) {
            daemon.start();
            fx.deliver("A new question");
            await("the new mail answered", WAIT, () -> all(daemon).stream().anyMatch(e -> e.state().isTerminal()));
            Thread.sleep(1500);

            assertThat(all(daemon)).extracting(e -> e.mail().subject()).containsExactly("A new question");
            assertThat(fx.mistral.requestCount()).isEqualTo(2);
        }
    }
}
