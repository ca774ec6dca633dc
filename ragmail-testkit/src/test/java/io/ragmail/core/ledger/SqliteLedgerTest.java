package io.ragmail.core.ledger;

import io.ragmail.core.EmailAddress;
import io.ragmail.core.InboundMail;
import io.ragmail.core.MailKey;
import io.ragmail.core.NonRetriableException;
import io.ragmail.core.RetriableException;
import io.ragmail.core.TokenUsage;
import io.ragmail.testkit.contract.ProcessingLedgerContract;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SqliteLedgerTest extends ProcessingLedgerContract {

    @TempDir
    Path dir;

    private Path file() {
        return dir.resolve("data").resolve("ledger.db");
    }

    @Override
    protected ProcessingLedger newLedger() {
        return SqliteLedger.open(file());
    }

    @Override
    protected ProcessingLedger reopen() {
        return SqliteLedger.open(file());
    }

    private static String pragma(Path file, String name) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("PRAGMA " + name)) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Test
    void creates_parent_directories_and_opens_the_file_in_wal_mode() throws Exception {
        assertThat(file()).exists();
        assertThat(pragma(file(), "journal_mode")).isEqualToIgnoringCase("wal");
    }

    @Test
    void records_the_schema_version() throws Exception {
        ledger.close();
        ledger = null;
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file());
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT MAX(version) FROM schema_version")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(SqliteLedger.SCHEMA_VERSION);
        }
    }

    @Test
    void refuses_a_file_written_by_a_newer_schema() throws Exception {
        ledger.close();
        ledger = null;
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file());
                Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO schema_version (version) VALUES (99)");
        }

        assertThatThrownBy(() -> SqliteLedger.open(file()))
                .isInstanceOf(NonRetriableException.class)
                .hasMessageContaining("99");
    }

    @Test
    void keeps_an_audit_history_of_every_transition_until_purged() {
        bringTo("a", MailState.SENDING);
        ledger.scheduleRetry(key("a"), 1, T3, "smtp: reset", T2);
        ledger.resumeSending(key("a"), T3);
        ledger.markDelivered(key("a"), T4);
        ledger.markAcknowledged(key("a"), T4);

        List<SqliteLedger.Transition> history = ((SqliteLedger) ledger).history(key("a"));

        assertThat(history).extracting(SqliteLedger.Transition::to).containsExactly(
                MailState.RECEIVED, MailState.DRAFTING, MailState.SENDING, MailState.RETRY, MailState.SENDING,
                MailState.SENT);
        assertThat(history.get(0).from()).isNull();
        assertThat(history.get(3).from()).isEqualTo(MailState.SENDING);
        assertThat(history.get(3).detail()).contains("smtp: reset");
        assertThat(history.get(5).at()).isEqualTo(T4);

        ledger.purgeTerminalBefore(T5);

        assertThat(((SqliteLedger) ledger).history(key("a"))).isEmpty();
    }

    @Test
    void a_rejected_transition_adds_no_history() {
        bringTo("a", MailState.SENT);
        int before = ((SqliteLedger) ledger).history(key("a")).size();

        assertThatThrownBy(() -> ledger.markDead(key("a"), "late", T5)).isInstanceOf(LedgerConflictException.class);

        assertThat(((SqliteLedger) ledger).history(key("a"))).hasSize(before);
    }

    @Test
    void two_ledgers_on_the_same_file_admit_a_mail_once() throws Exception {
        try (SqliteLedger second = SqliteLedger.open(file())) {
            List<Boolean> fresh = race(8, i -> () -> (i % 2 == 0 ? ledger : second).admit(mail("a"), T0).isNew());

            assertThat(fresh).filteredOn(Boolean::booleanValue).hasSize(1);
            assertThat(second.find(key("a"))).isPresent();
        }
    }

    @Test
    void a_closed_ledger_refuses_work() {
        ledger.close();

        assertThatThrownBy(() -> ledger.find(key("a"))).isInstanceOf(IllegalStateException.class);
        ledger.close(); // closing twice is harmless
        ledger = null;
    }

    @Test
    void a_killed_process_loses_no_committed_transition() throws Exception {
        ledger.close();
        ledger = null;
        Path crashFile = dir.resolve("crash").resolve("ledger.db");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                LedgerCrashChild.class.getName(), crashFile.toString())
                .redirectErrorStream(true)
                .start();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        child.getInputStream().transferTo(output);
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("child JVM finished").isTrue();
        String printed = output.toString(StandardCharsets.UTF_8);
        assertThat(child.exitValue()).as(printed).isEqualTo(1);
        assertThat(printed).contains("committed");
        // the child never closed the ledger, so its last transactions live only in the WAL file
        assertThat(Files.exists(Path.of(crashFile + "-wal"))).isTrue();

        ledger = SqliteLedger.open(crashFile);

        LedgerEntry entry = ledger.find(LedgerCrashChild.KEY).orElseThrow();
        assertThat(entry.state()).isEqualTo(MailState.SENT);
        assertThat(entry.reply()).isEqualTo(LedgerCrashChild.reply());
        assertThat(entry.usage()).isEqualTo(new TokenUsage(5, 7));
        assertThat(entry.updatedAt()).isEqualTo(LedgerCrashChild.AT.plusSeconds(3));
        assertThat(ledger.admit(InboundMail.builder().key(LedgerCrashChild.KEY)
                .from(EmailAddress.of("ada@example.com")).build(), T5).isNew()).isFalse();
    }

    @Test
    void a_file_locked_by_another_process_is_a_retriable_fault() throws Exception {
        ledger.close();
        ledger = SqliteLedger.builder().file(file()).busyTimeout(Duration.ZERO).build();
        try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + file());
                Statement s = other.createStatement()) {
            s.execute("BEGIN EXCLUSIVE");

            assertThatThrownBy(() -> ledger.admit(mail("a"), T0))
                    .isInstanceOfSatisfying(RetriableException.class, e -> assertThat(e.component()).isEqualTo("ledger"));

            s.execute("ROLLBACK");
        }
        assertThat(ledger.admit(mail("a"), T0).isNew()).isTrue();
    }

    @Test
    void a_negative_busy_timeout_is_refused() {
        assertThatThrownBy(() -> SqliteLedger.builder().file(file()).busyTimeout(Duration.ofSeconds(-1)).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("busyTimeout");
    }

    @Test
    void an_unknown_key_names_the_mail() {
        MailKey unknown = new MailKey("INBOX", "<none@example.com>");

        assertThatThrownBy(() -> ledger.markDrafting(unknown, T0))
                .isInstanceOf(UnknownMailException.class)
                .hasMessageContaining("<none@example.com>");
    }
}
