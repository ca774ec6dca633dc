package io.ragmail.daemon.runtime;

import io.ragmail.core.MailKey;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;

/**
 * The keys of mail that retention removed from the ledger, in {@code <data dir>/purged.db}. Without
 * them a purged mail that the server yields again (never acknowledged, such as a failed mail, or
 * marked unread by a person) would look new and be answered a second time. A key costs about 100
 * bytes; they are kept for good.
 *
 * <pre>{@code
 * try (Tombstones purged = new Tombstones(dataDir)) { boolean seen = purged.contains(key); }
 * }</pre>
 */
public final class Tombstones implements AutoCloseable {

    public static final String FILE_NAME = "purged.db";
    private final Connection connection;

    public Tombstones(Path dataDir) {
        try {
            connection = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve(FILE_NAME).toAbsolutePath());
            try (Statement s = connection.createStatement()) {
                s.execute("PRAGMA journal_mode = WAL");
                s.execute("PRAGMA busy_timeout = 5000");
                s.execute("CREATE TABLE IF NOT EXISTS purged (mailbox TEXT NOT NULL, message_id TEXT NOT NULL, "
                        + "purged_at INTEGER NOT NULL, PRIMARY KEY (mailbox, message_id))");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open " + FILE_NAME + ": " + e.getMessage(), e);
        }
    }

    public synchronized void addAll(Collection<MailKey> keys, long nowMillis) {
        try (PreparedStatement ps = connection.prepareStatement("INSERT OR IGNORE INTO purged VALUES (?, ?, ?)")) {
            connection.setAutoCommit(false);
            for (MailKey key : keys) {
                ps.setString(1, key.mailbox());
                ps.setString(2, key.messageId());
                ps.setLong(3, nowMillis);
                ps.addBatch();
            }
            ps.executeBatch();
            connection.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record purged mail: " + e.getMessage(), e);
        } finally {
            try {
                connection.setAutoCommit(true);
            } catch (SQLException ignored) {
                // the next statement reports it
            }
        }
    }

    public synchronized boolean contains(MailKey key) {
        try (PreparedStatement ps = connection.prepareStatement("SELECT 1 FROM purged WHERE mailbox = ? AND message_id = ?")) {
            ps.setString(1, key.mailbox());
            ps.setString(2, key.messageId());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            // cannot tell: treat as purged, since answering twice is worse than leaving a mail to a person
            return true;
        }
    }

    @Override
    public synchronized void close() {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // nothing left to do
        }
    }
}
