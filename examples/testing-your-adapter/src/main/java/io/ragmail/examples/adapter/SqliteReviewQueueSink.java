package io.ragmail.examples.adapter;

import io.ragmail.core.Delivery;
import io.ragmail.core.EmailAddress;
import io.ragmail.core.MailSink;
import io.ragmail.core.OutboundReply;
import io.ragmail.core.RetriableException;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link MailSink} for review that files each reply as a row of a database table, for teams whose
 * reviewers work in a back-office application rather than in an IMAP Drafts folder. The application
 * reads {@link #pending()} (or the table {@code review_queue} directly), edits, and sends.
 *
 * <p>The Message-ID is the primary key: delivering the same reply again (after a crash between
 * "filed" and "recorded as filed") leaves one row, and {@link #findDelivered} answers from the table,
 * so the pipeline files every reply exactly once. SQLite here; the same works with any JDBC database.
 *
 * <pre>{@code
 * Pipeline.builder().reviewSink(SqliteReviewQueueSink.open(Path.of("review.db")))...
 * }</pre>
 */
public final class SqliteReviewQueueSink implements MailSink {

    private final Connection connection;

    private SqliteReviewQueueSink(Connection connection) {
        this.connection = connection;
    }

    /** Opens (and creates when missing) the queue in the SQLite file {@code file}. */
    public static SqliteReviewQueueSink open(Path file) {
        try {
            Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
            try (Statement s = connection.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS review_queue (message_id TEXT PRIMARY KEY, from_address TEXT NOT NULL,"
                        + " to_address TEXT NOT NULL, subject TEXT NOT NULL, in_reply_to TEXT NOT NULL, refs TEXT NOT NULL,"
                        + " headers TEXT NOT NULL, body TEXT NOT NULL, review_notes TEXT NOT NULL)");
            }
            return new SqliteReviewQueueSink(connection);
        } catch (SQLException e) {
            throw new RetriableException("review-queue", "cannot open the review queue " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized void deliver(OutboundReply reply) {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT OR IGNORE INTO review_queue VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, reply.messageId());
            insert.setString(2, reply.from().address());
            insert.setString(3, reply.to().address()); // always the original sender: the pipeline decides, not us
            insert.setString(4, reply.subject());
            insert.setString(5, reply.inReplyTo());
            insert.setString(6, String.join(" ", reply.references()));
            StringBuilder headers = new StringBuilder();
            reply.headers().forEach((name, value) -> headers.append(name).append(": ").append(value).append('\n'));
            insert.setString(7, headers.toString());
            insert.setString(8, reply.text());
            insert.setString(9, String.join("\n", reply.reviewNotes()));
            insert.executeUpdate();
        } catch (SQLException e) {
            // a locked or unreachable database passes: the pipeline keeps the reply and tries again
            throw new RetriableException(name(), "cannot file " + reply.messageId() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public synchronized Delivery findDelivered(String messageId) {
        try (PreparedStatement select = connection.prepareStatement("SELECT 1 FROM review_queue WHERE message_id = ?")) {
            select.setString(1, messageId);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next() ? Delivery.DELIVERED : Delivery.NOT_DELIVERED;
            }
        } catch (SQLException e) {
            return Delivery.UNKNOWN; // the pipeline then files it again; INSERT OR IGNORE keeps one row
        }
    }

    /** Every filed reply, oldest first, with its review notes: what the back-office application shows. */
    public synchronized List<OutboundReply> pending() {
        List<OutboundReply> replies = new ArrayList<>();
        try (Statement s = connection.createStatement();
             ResultSet rows = s.executeQuery("SELECT * FROM review_queue ORDER BY rowid")) {
            while (rows.next()) {
                Map<String, String> headers = new LinkedHashMap<>();
                for (String line : rows.getString("headers").split("\n")) {
                    int colon = line.indexOf(": ");
                    if (colon > 0) {
                        headers.put(line.substring(0, colon), line.substring(colon + 2));
                    }
                }
                String refs = rows.getString("refs");
                String notes = rows.getString("review_notes");
                replies.add(new OutboundReply(rows.getString("message_id"), EmailAddress.of(rows.getString("from_address")),
                        EmailAddress.of(rows.getString("to_address")), rows.getString("subject"), rows.getString("in_reply_to"),
                        refs.isEmpty() ? List.of() : Arrays.asList(refs.split(" ")), rows.getString("body"), headers,
                        notes.isEmpty() ? List.of() : Arrays.asList(notes.split("\n"))));
            }
        } catch (SQLException e) {
            throw new RetriableException(name(), "cannot read the review queue: " + e.getMessage(), e);
        }
        return replies;
    }

    @Override
    public String name() {
        return "review-queue";
    }

    @Override
    public synchronized void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            // closing: nothing left to save
        }
    }
}
