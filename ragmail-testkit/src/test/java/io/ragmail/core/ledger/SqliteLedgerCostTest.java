package io.ragmail.core.ledger;

import io.ragmail.core.Draft;
import io.ragmail.core.EmailAddress;
import io.ragmail.core.InboundMail;
import io.ragmail.core.MailKey;
import io.ragmail.core.OutboundReply;
import io.ragmail.core.TokenUsage;
import io.ragmail.core.reply.ReplyComposer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The cost of each reply in the SQLite ledger (schema version 2), and the in-place upgrade of version 1 files. */
class SqliteLedgerCostTest {

    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    @TempDir
    Path dir;

    static InboundMail mail(String id) {
        return InboundMail.builder()
                .key(new MailKey("INBOX", "<" + id + "@customers.example>"))
                .from(EmailAddress.of("ada@customers.example"))
                .subject("Acetone in stock?")
                .text("Hello, is ACE-1 in stock?")
                .build();
    }

    static OutboundReply reply(InboundMail mail) {
        ReplyComposer composer = ReplyComposer.builder().from(EmailAddress.of("support@shop.example")).build();
        return composer.compose(mail, new Draft("Yes, it is.", "en", 0.9, List.of(), false, "", TokenUsage.NONE), List.of());
    }

    @Test
    void a_stored_reply_keeps_its_tokens_cost_and_currency_across_a_reopen() {
        Path file = dir.resolve("ledger.db");
        InboundMail mail = mail("cost");
        try (SqliteLedger ledger = SqliteLedger.open(file)) {
            ledger.admit(mail, T0);
            ledger.markDrafting(mail.key(), T0);
            LedgerEntry stored = ledger.storeReply(mail.key(), reply(mail), Disposition.SEND, new TokenUsage(1_000, 200),
                    new BigDecimal("0.0032"), "EUR", T0.plusSeconds(1));
            assertThat(stored.cost()).isEqualByComparingTo("0.0032");
            assertThat(stored.currency()).isEqualTo("EUR");
        }
        try (SqliteLedger reopened = SqliteLedger.open(file)) {
            LedgerEntry entry = reopened.find(mail.key()).orElseThrow();
            assertThat(entry.usage()).isEqualTo(new TokenUsage(1_000, 200));
            assertThat(entry.cost()).isEqualByComparingTo("0.0032");
            assertThat(entry.currency()).isEqualTo("EUR");
        }
    }

    @Test
    void the_old_store_reply_without_a_cost_records_zero_and_no_currency() {
        InboundMail mail = mail("free");
        try (SqliteLedger ledger = SqliteLedger.open(dir.resolve("ledger.db"))) {
            ledger.admit(mail, T0);
            ledger.markDrafting(mail.key(), T0);
            LedgerEntry stored = ledger.storeReply(mail.key(), reply(mail), Disposition.REVIEW, new TokenUsage(5, 7), T0);
            assertThat(stored.cost()).isEqualByComparingTo(BigDecimal.ZERO);
            assertThat(stored.currency()).isEmpty();
        }
    }

    @Test
    void a_negative_cost_is_refused_and_the_mail_stays_in_drafting() {
        InboundMail mail = mail("negative");
        try (SqliteLedger ledger = SqliteLedger.open(dir.resolve("ledger.db"))) {
            ledger.admit(mail, T0);
            ledger.markDrafting(mail.key(), T0);
            assertThatThrownBy(() -> ledger.storeReply(mail.key(), reply(mail), Disposition.SEND, TokenUsage.NONE,
                    new BigDecimal("-1"), "EUR", T0)).hasMessageContaining("cost must not be negative");
            assertThat(ledger.find(mail.key()).orElseThrow().state()).isEqualTo(MailState.DRAFTING);
        }
    }

    @Test
    void a_version_1_file_is_upgraded_in_place_and_keeps_every_row_and_its_history() throws Exception {
        Path file = dir.resolve("v1.db");
        InboundMail sent = mail("old-sent");
        InboundMail waiting = mail("old-waiting");
        OutboundReply oldReply = reply(sent);
        writeVersion1File(file, sent, oldReply, waiting);

        try (SqliteLedger ledger = SqliteLedger.open(file)) {
            // the old rows, as they were, with no cost
            LedgerEntry old = ledger.find(sent.key()).orElseThrow();
            assertThat(old.state()).isEqualTo(MailState.SENT);
            assertThat(old.usage()).isEqualTo(new TokenUsage(1_200, 345));
            assertThat(old.reply().messageId()).isEqualTo(oldReply.messageId());
            assertThat(old.mail().subject()).isEqualTo("Acetone in stock?");
            assertThat(old.cost()).isEqualByComparingTo(BigDecimal.ZERO);
            assertThat(old.currency()).isEmpty();
            // schema 3: the old pipeline acknowledged answered mail, so it counts as acknowledged
            assertThat(old.acknowledgement()).contains(io.ragmail.core.MailOutcome.ANSWERED);
            assertThat(old.acknowledged()).isTrue();
            assertThat(ledger.history(sent.key())).extracting(SqliteLedger.Transition::to)
                    .containsExactly(MailState.RECEIVED, MailState.SENT);
            assertThat(ledger.countByState()).containsEntry(MailState.SENT, 1L).containsEntry(MailState.RECEIVED, 1L);

            // and the mail that was waiting goes on, now with its cost
            ledger.markDrafting(waiting.key(), T0.plusSeconds(60));
            ledger.storeReply(waiting.key(), reply(waiting), Disposition.SEND, new TokenUsage(100, 10),
                    new BigDecimal("0.00012"), "USD", T0.plusSeconds(61));
            assertThat(ledger.find(waiting.key()).orElseThrow().cost()).isEqualByComparingTo("0.00012");
        }
        assertThat(schemaVersions(file)).containsExactly(1, 2, 3);
        // opening again changes nothing more
        SqliteLedger.open(file).close();
        assertThat(schemaVersions(file)).containsExactly(1, 2, 3);
    }

    /** A ledger file as version 1 of SqliteLedger wrote it (its exact DDL), with two mails in it. */
    private static void writeVersion1File(Path file, InboundMail sent, OutboundReply reply, InboundMail waiting) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            s.executeUpdate("CREATE TABLE schema_version (version INTEGER NOT NULL)");
            s.executeUpdate("CREATE TABLE mails ( mailbox TEXT NOT NULL, message_id TEXT NOT NULL, state TEXT NOT NULL,"
                    + " sender TEXT NOT NULL, thread_key TEXT NOT NULL, subject TEXT NOT NULL, mail_json TEXT NOT NULL,"
                    + " reply_json TEXT, disposition TEXT, attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at INTEGER,"
                    + " reason TEXT NOT NULL DEFAULT '', input_tokens INTEGER NOT NULL DEFAULT 0,"
                    + " output_tokens INTEGER NOT NULL DEFAULT 0, received_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,"
                    + " replied_at INTEGER, PRIMARY KEY (mailbox, message_id))");
            s.executeUpdate("CREATE TABLE transitions ( id INTEGER PRIMARY KEY AUTOINCREMENT, mailbox TEXT NOT NULL,"
                    + " message_id TEXT NOT NULL, from_state TEXT, to_state TEXT NOT NULL, at INTEGER NOT NULL,"
                    + " detail TEXT NOT NULL DEFAULT '',"
                    + " FOREIGN KEY (mailbox, message_id) REFERENCES mails (mailbox, message_id) ON DELETE CASCADE)");
            s.executeUpdate("CREATE INDEX transitions_by_key ON transitions (mailbox, message_id)");
            s.executeUpdate("CREATE INDEX mails_due ON mails (state, next_attempt_at)");
            s.executeUpdate("CREATE INDEX mails_in_state ON mails (state, received_at)");
            s.executeUpdate("CREATE INDEX mails_by_sender ON mails (sender, replied_at)");
            s.executeUpdate("CREATE INDEX mails_by_thread ON mails (thread_key, replied_at)");
            s.executeUpdate("CREATE INDEX mails_terminal ON mails (updated_at)");
            s.executeUpdate("INSERT INTO schema_version (version) VALUES (1)");
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO mails (mailbox, message_id, state, sender, thread_key,"
                    + " subject, mail_json, reply_json, disposition, input_tokens, output_tokens, received_at, updated_at,"
                    + " replied_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (InboundMail mail : List.of(sent, waiting)) {
                    boolean done = mail == sent;
                    ps.setString(1, mail.key().mailbox());
                    ps.setString(2, mail.key().messageId());
                    ps.setString(3, done ? "SENT" : "RECEIVED");
                    ps.setString(4, mail.from().normalized());
                    ps.setString(5, mail.threadKey());
                    ps.setString(6, mail.subject());
                    ps.setString(7, LedgerJson.write(mail));
                    ps.setString(8, done ? LedgerJson.write(reply) : null);
                    ps.setString(9, done ? "SEND" : null);
                    ps.setLong(10, done ? 1_200 : 0);
                    ps.setLong(11, done ? 345 : 0);
                    ps.setLong(12, T0.toEpochMilli());
                    ps.setLong(13, T0.toEpochMilli());
                    if (done) {
                        ps.setLong(14, T0.toEpochMilli());
                    } else {
                        ps.setNull(14, java.sql.Types.INTEGER);
                    }
                    ps.executeUpdate();
                }
            }
            s.executeUpdate("INSERT INTO transitions (mailbox, message_id, from_state, to_state, at, detail) VALUES"
                    + " ('INBOX', '" + sent.key().messageId() + "', NULL, 'RECEIVED', " + T0.toEpochMilli() + ", 'admitted'),"
                    + " ('INBOX', '" + sent.key().messageId() + "', 'SENDING', 'SENT', " + T0.toEpochMilli() + ", 'sent')");
        }
    }

    private static List<Integer> schemaVersions(Path file) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT version FROM schema_version ORDER BY version")) {
            List<Integer> versions = new ArrayList<>();
            while (rs.next()) {
                versions.add(rs.getInt(1));
            }
            return versions;
        }
    }
}
