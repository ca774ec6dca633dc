package io.ragmail.daemon.runtime;

import io.ragmail.core.ledger.LedgerEntry;
import io.ragmail.core.ledger.MailState;
import io.ragmail.testkit.TestMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static io.ragmail.daemon.runtime.DaemonFixture.OPERATOR;
import static io.ragmail.daemon.runtime.DaemonFixture.SUPPORT;
import static io.ragmail.daemon.runtime.DaemonFixture.all;
import static io.ragmail.daemon.runtime.DaemonFixture.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DaemonTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

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
    void first_start_with_since_start_answers_only_mail_that_arrives_after_it_and_leaves_older_mail_unmarked() throws Exception {
        fx.deliver("Old question 1");
        fx.deliver("Old question 2");
        try (Daemon daemon = fx.daemon()) {
            daemon.start();
            fx.deliver("New question");

            await("the new mail answered", WAIT, () -> !fx.mail.received("ada@customers.example").isEmpty()
                    || !fx.mail.messages(SUPPORT, "Drafts").isEmpty());
            await("the new mail finished", WAIT, () -> all(daemon).stream().allMatch(e -> e.state().isTerminal()) && !all(daemon).isEmpty());

            assertThat(all(daemon)).extracting(e -> e.mail().subject()).containsExactly("New question");
            assertThat(daemon.backlog().boundary().heldBack()).isEqualTo(2);
            List<TestMessage> inbox = fx.mail.received(SUPPORT);
            assertThat(inbox).filteredOn(m -> m.subject().startsWith("Old")).allSatisfy(m ->
                    assertThat(m.flags()).doesNotContain("\\Seen", "$RagmailDone"));
            assertThat(daemon.healthSnapshot().get("backlog").toString()).contains("left_for_a_person_at_first_start=2");
        }
        // a restart does not re-measure: the boundary is the first start's
        try (Daemon again = fx.daemon()) {
            again.start();
            assertThat(again.backlog().boundary().heldBack()).isEqualTo(2);
        }
    }

    @Test
    void backlog_days_n_answers_mail_received_within_n_days_and_all_answers_everything() throws Exception {
        fx.appendOld("Thirty days old", Duration.ofDays(30));
        fx.appendOld("Two days old", Duration.ofDays(2));
        fx.settings.put("ragmail.imap.backlog", "days:7");
        try (Daemon daemon = fx.daemon()) {
            daemon.start();
            await("the recent mail finished", WAIT, () -> all(daemon).stream().anyMatch(e -> e.state().isTerminal()));
            Thread.sleep(1500); // one more poll cycle: the old mail must still not appear
            assertThat(all(daemon)).extracting(e -> e.mail().subject()).containsExactly("Two days old");
        }

        Path other = Files.createDirectories(dataDir.resolve("other"));
        fx.settings.put("ragmail.data.dir", other.toString());
        fx.settings.put("ragmail.imap.backlog", "all");
        fx.settings.put("ragmail.imap.folder", "INBOX");
        // the first daemon acknowledged "Two days old" with a keyword; "Thirty days old" is still unanswered
        try (Daemon daemon = fx.daemon()) {
            daemon.start();
            await("the old mail finished", WAIT, () -> all(daemon).stream().anyMatch(e -> e.mail().subject().equals("Thirty days old")
                    && e.state().isTerminal()));
            assertThat(daemon.backlog().boundary().heldBack()).isZero();
        }
    }

    @Test
    void a_second_daemon_on_the_same_data_dir_refuses_to_start_naming_the_holder_pid() throws Exception {
        try (Daemon first = fx.daemon()) {
            first.start();
            Daemon second = fx.daemon();

            assertThatThrownBy(second::start).isInstanceOf(DataDirLock.InstanceLockedException.class)
                    .hasMessageContaining("PID " + ProcessHandle.current().pid())
                    .hasMessageContaining(dataDir.toAbsolutePath().toString());
            assertThat(first.isRunning()).isTrue();
        }
        // released on close: a new daemon may take the data dir
        try (Daemon third = fx.daemon()) {
            third.start();
            assertThat(third.isRunning()).isTrue();
        }
    }

    @Test
    void close_finishes_mail_in_flight_before_it_returns() throws Exception {
        fx.mistral.latency(Duration.ofSeconds(2));
        Daemon daemon = fx.daemon();
        daemon.start();
        fx.deliver("Question in flight");
        await("the mail being drafted", WAIT, () -> all(daemon).stream().anyMatch(e -> e.state() == MailState.DRAFTING));

        daemon.close();

        try (io.ragmail.core.ledger.SqliteLedger ledger = io.ragmail.core.ledger.SqliteLedger.open(dataDir.resolve(Daemon.LEDGER_FILE))) {
            List<LedgerEntry> done = ledger.inState(MailState.SENT, 10);
            List<LedgerEntry> review = ledger.inState(MailState.REVIEW, 10);
            assertThat(done.size() + review.size()).as("the mail in flight was finished, not abandoned").isEqualTo(1);
        }
        assertThat(fx.mail.received("ada@customers.example").size() + fx.mail.messages(SUPPORT, "Drafts").size()).isEqualTo(1);
        assertThat(dataDir.resolve(Daemon.RUNNING_MARKER)).doesNotExist();
    }

    @Test
    void a_start_after_an_unclean_stop_is_detected_and_alerted_to_the_operator_and_nothing_is_answered_twice() throws Exception {
        try (Daemon daemon = fx.daemon()) {
            daemon.start();
            fx.deliver("Answered once");
            await("answered", WAIT, () -> all(daemon).stream().anyMatch(e -> e.state().isTerminal()));
        }
        // a crash leaves the marker behind (kill -9 never runs close())
        Files.writeString(dataDir.resolve(Daemon.RUNNING_MARKER), "pid=12345 started=2026-01-01T00:00:00Z\n");

        try (Daemon daemon = fx.daemon()) {
            daemon.start();
            assertThat(daemon.uncleanStart()).isTrue();
            await("the alert mail", WAIT, () -> !fx.mail.received(OPERATOR).isEmpty());
            TestMessage alert = fx.mail.received(OPERATOR).get(0);
            assertThat(alert.subject()).isEqualTo("[ragmail] CRITICAL: ragmail restarted after an unclean stop");
            assertThat(alert.text()).contains("pid=12345");
            assertThat(alert.header("Auto-Submitted")).contains("auto-generated");
            Thread.sleep(1500);
            assertThat(all(daemon)).hasSize(1);
        }
        int replies = fx.mail.received("ada@customers.example").size() + fx.mail.messages(SUPPORT, "Drafts").size();
        assertThat(replies).isEqualTo(1);
    }

    @Test
    void the_watchdog_restarts_a_mail_loop_without_progress_while_mail_waits() throws Exception {
        io.ragmail.testkit.odoo.SettableClock clock = new io.ragmail.testkit.odoo.SettableClock(java.time.Instant.now());
        try (Daemon daemon = Daemon.builder().config(fx.config()).clock(clock).build()) {
            daemon.start();
            // nothing waits: no restart however long it has been quiet
            clock.advance(Duration.ofMinutes(10));
            daemon.watchdog(Duration.ofMinutes(5));
            assertThat(daemon.restarts()).isZero();

            // a mail stuck in RECEIVED (as a hung worker would leave it) is waiting
            io.ragmail.core.InboundMail stuck = io.ragmail.core.InboundMail.builder()
                    .key(new io.ragmail.core.MailKey(SUPPORT + "/INBOX", "<stuck@customers.example>"))
                    .from(io.ragmail.core.EmailAddress.of("ada@customers.example")).subject("Stuck question")
                    .text("Do you have acetone?").build();
            daemon.ledger().admit(stuck, clock.instant());
            clock.advance(Duration.ofMinutes(6));

            daemon.watchdog(Duration.ofMinutes(5));

            assertThat(daemon.restarts()).isEqualTo(1);
            await("the restarted loop resumes the stuck mail", WAIT, () ->
                    daemon.ledger().find(stuck.key()).map(e -> e.state().isTerminal()).orElse(false));
            assertThat(daemon.alerter().takeWarnings()).containsKey("watchdog restarted the mail loop after 5m 0s without progress");
        }
    }

    @Test
    void odoo_products_are_synced_at_start_and_health_shows_the_syncs_last_success_and_lag() throws Exception {
        try (io.ragmail.testkit.odoo.FakeOdooServer odoo = io.ragmail.testkit.odoo.FakeOdooServer.builder().build()) {
            odoo.create("product.template", java.util.Map.of("name", "Acetone technical grade", "default_code", "ACE-500"));
            fx.settings.put("ragmail.odoo.url", odoo.url());
            fx.settings.put("ragmail.odoo.db", odoo.database());
            fx.settings.put("ragmail.odoo.user", "admin");
            fx.settings.put("ragmail.odoo.password", "admin");
            try (Daemon daemon = fx.daemon()) {
                daemon.start();
                await("the first Odoo sync", WAIT, () -> daemon.supervisor().states().get("odoo-sync").lastSuccess() != null);

                var syncs = (java.util.Map<?, ?>) daemon.healthSnapshot().get("syncs");
                assertThat(syncs.get("odoo-sync").toString()).contains("failures_in_a_row=0").containsPattern("lag=\\d+s");
                assertThat(daemon.healthSnapshot().get("components").toString()).contains("odoo-sync={status=up}");
            }
        }
    }

    @Test
    void the_knowledge_folder_is_ingested_at_start_and_a_rescan_reingests_changed_files_and_removes_deleted_ones() throws Exception {
        Path kb = Files.createDirectories(dataDir.resolve("kb"));
        Files.writeString(kb.resolve("shipping.md"), "# Shipping\nWe ship within 2 days.");
        Files.writeString(kb.resolve("returns.md"), "# Returns\nReturns within 30 days.");
        fx.settings.put("ragmail.knowledge.dir", kb.toString());
        try (Daemon daemon = fx.daemon()) {
            daemon.start();
            java.util.Map<String, String> before = daemon.store().sourceVersions("file:");
            assertThat(before).containsOnlyKeys("file:shipping.md", "file:returns.md");

            Files.writeString(kb.resolve("shipping.md"), "# Shipping\nWe ship within 3 days now.");
            Files.delete(kb.resolve("returns.md"));
            daemon.rescanKnowledge();

            java.util.Map<String, String> after = daemon.store().sourceVersions("file:");
            assertThat(after).containsOnlyKeys("file:shipping.md");
            assertThat(after.get("file:shipping.md")).isNotEqualTo(before.get("file:shipping.md"));
        }
    }

    @Test
    void the_watchdog_notices_mail_left_on_the_server_by_a_dead_mail_loop_and_restarts_it() throws Exception {
        io.ragmail.testkit.odoo.SettableClock clock = new io.ragmail.testkit.odoo.SettableClock(java.time.Instant.now());
        try (Daemon daemon = Daemon.builder().config(fx.config()).clock(clock).build()) {
            daemon.start();
            daemon.pipeline().close(); // the mail loop is gone, as a hung IDLE or a dead thread would leave it
            fx.deliver("Nobody takes this");
            Thread.sleep(1500);
            assertThat(all(daemon)).isEmpty();

            clock.advance(Duration.ofMinutes(6));
            daemon.watchdog(Duration.ofMinutes(5));

            assertThat(daemon.restarts()).isEqualTo(1);
            await("the restarted loop answers the mail", WAIT, () -> all(daemon).stream().anyMatch(e -> e.state().isTerminal()));
        }
    }

    @Test
    void a_reply_left_in_drafts_for_more_than_a_day_is_a_warning_for_the_summary() throws Exception {
        io.ragmail.testkit.odoo.SettableClock clock = new io.ragmail.testkit.odoo.SettableClock(java.time.Instant.now());
        fx.settings.put("ragmail.mode", "review");
        try (Daemon daemon = Daemon.builder().config(fx.config()).clock(clock).build()) {
            daemon.start();
            fx.deliver("For review");
            // the draft shows in Drafts a moment before the pipeline's event reaches the daemon's stats
            await("filed for review", WAIT, () -> !fx.mail.messages(SUPPORT, "Drafts").isEmpty()
                    && !daemon.stats().filedBefore(java.time.Instant.MAX, 1).isEmpty());

            daemon.warnAboutWaitingReviews();
            assertThat(daemon.alerter().takeWarnings()).isEmpty();

            clock.advance(Duration.ofHours(25));
            daemon.warnAboutWaitingReviews();

            assertThat(daemon.alerter().takeWarnings().keySet())
                    .anySatisfy(w -> assertThat(w).startsWith("1 replies waiting in review (Drafts) for more than a day"));
        }
    }

    @Test
    void health_shows_components_counts_queue_and_syncs() throws Exception {
        try (Daemon daemon = fx.daemon()) {
            daemon.start();
            fx.deliver("A question");
            // the ledger's terminal state is written a moment before the pipeline's event reaches the stats
            await("answered", WAIT, () -> all(daemon).stream().anyMatch(e -> e.state().isTerminal())
                    && daemon.stats().totalProcessed() == 1);

            var health = daemon.healthSnapshot();

            assertThat(health.get("status")).isEqualTo("healthy");
            assertThat(health.get("emails_processed")).isEqualTo(1L);
            assertThat(health.get("components").toString()).contains("imap={status=up}");
            assertThat(health.get("queue_depth")).isEqualTo(0L);
            assertThat(health.toString()).doesNotContain(DaemonFixture.PASSWORD).doesNotContain(DaemonFixture.API_KEY);
        }
    }
}
