package io.ragmail.core.ledger;

import io.ragmail.core.Component;
import io.ragmail.core.InboundMail;
import io.ragmail.core.MailKey;
import io.ragmail.core.MailOutcome;
import io.ragmail.core.NonRetriableException;
import io.ragmail.core.OutboundReply;
import io.ragmail.core.RagmailException;
import io.ragmail.core.RetriableException;
import io.ragmail.core.TokenUsage;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteException;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;

/**
 * The default {@link ProcessingLedger}: one SQLite file in the data directory.
 *
 * <p>The file is opened in WAL mode with {@code synchronous=FULL}, so a transition that returned is
 * on disk even if the machine loses power right after; {@code busy_timeout} makes a second process
 * on the same file wait instead of failing at once. Every method is one transaction; each change is
 * a {@code BEGIN IMMEDIATE} transaction that reads the mail's current state, checks the move with
 * {@link MailState#canMoveTo}, updates the row with {@code WHERE state = ?} and appends a row to the
 * {@code transitions} history, which is kept for audit until the entry is purged.
 *
 * <p>The ledger is safe for use from several threads: it holds one connection guarded by a lock.
 * SQLite errors surface as {@link RetriableException} (busy, locked, I/O) or
 * {@link NonRetriableException} (anything else), with component {@code "ledger"}.
 *
 * <pre>{@code
 * try (SqliteLedger ledger = SqliteLedger.open(dataDir.resolve("ledger.db"))) {
 *     if (ledger.admit(mail, clock.instant()).isNew()) {
 *         ledger.markDrafting(mail.key(), clock.instant());
 *     }
 * }
 * // or, with settings:
 * SqliteLedger ledger = SqliteLedger.builder()
 *         .file(dataDir.resolve("ledger.db"))
 *         .busyTimeout(Duration.ofSeconds(10))
 *         .build();
 * }</pre>
 */
public final class SqliteLedger implements ProcessingLedger {

    /** How long a statement waits for another connection's lock on the file before failing. */
    public static final Duration DEFAULT_BUSY_TIMEOUT = Duration.ofSeconds(5);

    /**
     * The schema version this class writes; files with a higher version are refused, files with a lower
     * one are upgraded in place when opened (1 → 2 adds each reply's cost and currency; 2 → 3 adds the
     * acknowledged outcome, the component a retry waits on, purged tombstones and quota reservations).
     */
    static final int SCHEMA_VERSION = 3;

    private static final String COLUMNS = "mailbox, message_id, state, mail_json, reply_json, disposition, "
            + "attempts, next_attempt_at, reason, input_tokens, output_tokens, received_at, updated_at, cost, currency, "
            + "outcome, acknowledged_at, waiting_on";

    /** The terminal states as an SQL list: {@code ('SKIPPED', 'SENT', 'REVIEW', 'DEAD')}. */
    private static final String TERMINAL_STATES = Arrays.stream(MailState.values())
            .filter(MailState::isTerminal)
            .map(state -> "'" + state.name() + "'")
            .collect(Collectors.joining(", ", "(", ")"));

    private final Path file;
    private final Connection connection;
    private final ReentrantLock lock = new ReentrantLock();
    private boolean closed;

    private SqliteLedger(Builder b) {
        this.file = b.file;
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (IOException e) {
            throw new RetriableException(Component.LEDGER, "cannot create the directory of " + file + ": " + e.getMessage(), e);
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setBusyTimeout((int) Math.min(Integer.MAX_VALUE, b.busyTimeout.toMillis()));
        config.enforceForeignKeys(true);
        try {
            this.connection = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath(), config.toProperties());
        } catch (SQLException e) {
            throw translate("open " + file, e);
        }
        try {
            migrate();
        } catch (RuntimeException e) {
            closeQuietly();
            throw e;
        }
    }

    /** Opens (creating when needed) the ledger in the given file, with the default settings. */
    public static SqliteLedger open(Path file) {
        return builder().file(file).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The SQLite file this ledger writes to. */
    public Path file() {
        return file;
    }

    // ---------------------------------------------------------------- schema

    private void migrate() {
        inTransaction(c -> {
            try (Statement s = c.createStatement()) {
                s.executeUpdate("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
                int version = 0;
                try (ResultSet rs = s.executeQuery("SELECT MAX(version) FROM schema_version")) {
                    if (rs.next()) {
                        version = rs.getInt(1);
                    }
                }
                if (version > SCHEMA_VERSION) {
                    throw new NonRetriableException(Component.LEDGER, file + " has ledger schema version " + version
                            + ", newer than this ragmail understands (" + SCHEMA_VERSION + ")");
                }
                if (version < 1) {
                    createVersion1(s);
                    s.executeUpdate("INSERT INTO schema_version (version) VALUES (1)");
                }
                if (version < 2) {
                    // in the same transaction: a crash leaves the file at version 1, never half upgraded
                    upgradeToVersion2(s);
                    s.executeUpdate("INSERT INTO schema_version (version) VALUES (2)");
                }
                if (version < 3) {
                    upgradeToVersion3(s);
                    s.executeUpdate("INSERT INTO schema_version (version) VALUES (3)");
                }
            }
            return null;
        });
    }

    private static void createVersion1(Statement s) throws SQLException {
        s.executeUpdate("CREATE TABLE mails ("
                + " mailbox TEXT NOT NULL,"
                + " message_id TEXT NOT NULL,"
                + " state TEXT NOT NULL,"
                + " sender TEXT NOT NULL,"
                + " thread_key TEXT NOT NULL,"
                + " subject TEXT NOT NULL,"
                + " mail_json TEXT NOT NULL,"
                + " reply_json TEXT,"
                + " disposition TEXT,"
                + " attempts INTEGER NOT NULL DEFAULT 0,"
                + " next_attempt_at INTEGER,"
                + " reason TEXT NOT NULL DEFAULT '',"
                + " input_tokens INTEGER NOT NULL DEFAULT 0,"
                + " output_tokens INTEGER NOT NULL DEFAULT 0,"
                + " received_at INTEGER NOT NULL,"
                + " updated_at INTEGER NOT NULL,"
                + " replied_at INTEGER,"
                + " PRIMARY KEY (mailbox, message_id))");
        s.executeUpdate("CREATE TABLE transitions ("
                + " id INTEGER PRIMARY KEY AUTOINCREMENT,"
                + " mailbox TEXT NOT NULL,"
                + " message_id TEXT NOT NULL,"
                + " from_state TEXT,"
                + " to_state TEXT NOT NULL,"
                + " at INTEGER NOT NULL,"
                + " detail TEXT NOT NULL DEFAULT '',"
                + " FOREIGN KEY (mailbox, message_id) REFERENCES mails (mailbox, message_id) ON DELETE CASCADE)");
        s.executeUpdate("CREATE INDEX transitions_by_key ON transitions (mailbox, message_id)");
        s.executeUpdate("CREATE INDEX mails_due ON mails (state, next_attempt_at)");
        s.executeUpdate("CREATE INDEX mails_in_state ON mails (state, received_at)");
        s.executeUpdate("CREATE INDEX mails_by_sender ON mails (sender, replied_at)");
        s.executeUpdate("CREATE INDEX mails_by_thread ON mails (thread_key, replied_at)");
        s.executeUpdate("CREATE INDEX mails_terminal ON mails (updated_at)");
    }

    /** Version 2: what each mail's tokens cost (0 for rows written before), and in which currency. */
    private static void upgradeToVersion2(Statement s) throws SQLException {
        s.executeUpdate("ALTER TABLE mails ADD COLUMN cost REAL NOT NULL DEFAULT 0");
        s.executeUpdate("ALTER TABLE mails ADD COLUMN currency TEXT NOT NULL DEFAULT ''");
    }

    /**
     * Version 3: the outcome the source is told and when it confirmed it ({@code acknowledged_at}),
     * the component a retry waits on, whether the row is a purged tombstone, and when the mail was
     * counted against the reply quota. Rows written before: replies count from when they were stored;
     * SENT, REVIEW and SKIPPED rows count as acknowledged (the old pipeline acknowledged them, skipped
     * mail as IGNORED); DEAD rows, which it never acknowledged, are acknowledged as NEEDS_PERSON by the
     * next pipeline.
     */
    private static void upgradeToVersion3(Statement s) throws SQLException {
        s.executeUpdate("ALTER TABLE mails ADD COLUMN outcome TEXT");
        s.executeUpdate("ALTER TABLE mails ADD COLUMN acknowledged_at INTEGER");
        s.executeUpdate("ALTER TABLE mails ADD COLUMN waiting_on TEXT NOT NULL DEFAULT ''");
        s.executeUpdate("ALTER TABLE mails ADD COLUMN purged INTEGER NOT NULL DEFAULT 0");
        s.executeUpdate("ALTER TABLE mails ADD COLUMN reserved_at INTEGER");
        s.executeUpdate("UPDATE mails SET reserved_at = replied_at WHERE disposition = 'SEND'");
        s.executeUpdate("UPDATE mails SET outcome = 'ANSWERED', acknowledged_at = updated_at WHERE state IN ('SENT', 'REVIEW')");
        s.executeUpdate("UPDATE mails SET outcome = 'IGNORED', acknowledged_at = updated_at WHERE state = 'SKIPPED'");
        s.executeUpdate("UPDATE mails SET outcome = 'NEEDS_PERSON' WHERE state = 'DEAD'");
        s.executeUpdate("CREATE INDEX mails_unacknowledged ON mails (acknowledged_at, updated_at)");
        s.executeUpdate("CREATE INDEX mails_waiting ON mails (state, waiting_on, next_attempt_at)");
        s.executeUpdate("CREATE INDEX mails_reserved_by_sender ON mails (sender, reserved_at)");
        s.executeUpdate("CREATE INDEX mails_reserved_by_thread ON mails (thread_key, reserved_at)");
    }

    // ---------------------------------------------------------------- admission and look-up

    @Override
    public Admission admit(InboundMail mail, Instant now) {
        Objects.requireNonNull(mail, "mail");
        Objects.requireNonNull(now, "now");
        return inTransaction(c -> {
            InboundMail admitted = mail;
            String sender = mail.from().normalized();
            Optional<String> taken = senderOf(c, mail.key());
            if (taken.isPresent() && !taken.get().equals(sender)) {
                // The Message-ID is reused by another sender's mail: a different mail, never a duplicate.
                admitted = mail.toBuilder().key(mail.key().forSender(sender)).build();
            }
            MailKey key = admitted.key();
            int inserted;
            try (PreparedStatement ps = c.prepareStatement("INSERT OR IGNORE INTO mails "
                    + "(mailbox, message_id, state, sender, thread_key, subject, mail_json, received_at, updated_at) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setString(1, key.mailbox());
                ps.setString(2, key.messageId());
                ps.setString(3, MailState.RECEIVED.name());
                ps.setString(4, sender);
                ps.setString(5, admitted.threadKey());
                ps.setString(6, admitted.subject());
                ps.setString(7, LedgerJson.write(admitted));
                ps.setLong(8, now.toEpochMilli());
                ps.setLong(9, now.toEpochMilli());
                inserted = ps.executeUpdate();
            }
            if (inserted == 1) {
                recordTransition(c, key, null, MailState.RECEIVED, now,
                        key.equals(mail.key()) ? "admitted" : "admitted; its Message-ID was already taken by another sender");
            }
            return new Admission(load(c, key), inserted == 1);
        });
    }

    private static Optional<String> senderOf(Connection c, MailKey key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT sender FROM mails WHERE mailbox = ? AND message_id = ?")) {
            ps.setString(1, key.mailbox());
            ps.setString(2, key.messageId());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        }
    }

    @Override
    public Optional<LedgerEntry> find(MailKey key) {
        Objects.requireNonNull(key, "key");
        return inReadTransaction(c -> loadIfPresent(c, key));
    }

    // ---------------------------------------------------------------- transitions

    @Override
    public LedgerEntry markDrafting(MailKey key, Instant now) {
        return transition(key, now, (c, current) -> {
            Change change = new Change(MailState.DRAFTING, "drafting");
            if (current.reply() != null) {
                // A stored reply is delivered again (resumeSending), never replaced by a new draft.
                throw new LedgerConflictException(key, current.state(), MailState.DRAFTING);
            }
            return change.set("next_attempt_at", null);
        });
    }

    @Override
    public LedgerEntry markSkipped(MailKey key, String reason, Instant now) {
        return markSkipped(key, reason, MailOutcome.IGNORED, now);
    }

    @Override
    public LedgerEntry markSkipped(MailKey key, String reason, MailOutcome outcome, Instant now) {
        Objects.requireNonNull(outcome, "outcome");
        if (outcome == MailOutcome.ANSWERED) {
            throw new IllegalArgumentException("a skipped mail was not answered; outcome must be IGNORED or NEEDS_PERSON");
        }
        String why = reason == null ? "" : reason;
        return transition(key, now, (c, current) -> new Change(MailState.SKIPPED, why + " (" + outcome + ")")
                .set("reason", why)
                .set("outcome", outcome.name())
                .set("next_attempt_at", null));
    }

    /**
     * {@inheritDoc}
     *
     * <p>Counts toward the quota: mails from the sender (or in the thread) counted at or after the
     * window's start that are not SKIPPED or DEAD and not filed for review, and replies stored before
     * quotas were counted at drafting (ledgers upgraded from schema 2).
     */
    @Override
    public LedgerEntry startDrafting(MailKey key, ReplyQuota quota, Instant now) {
        Objects.requireNonNull(quota, "quota");
        return transition(key, now, (c, current) -> {
            if (current.reply() != null) {
                // A stored reply is delivered again (resumeSending), never replaced by a new draft.
                throw new LedgerConflictException(key, current.state(), MailState.DRAFTING);
            }
            Change change = new Change(MailState.DRAFTING, "drafting, attempt " + (current.attempts() + 1))
                    .set("attempts", current.attempts() + 1)
                    .set("next_attempt_at", null);
            if (!current.state().canMoveTo(MailState.DRAFTING) || reservedAt(c, key).isPresent()) {
                return change; // counted before (a retry), or refused by transition() anyway
            }
            String sender = current.mail().from().normalized();
            int toSender = countReserved(c, "sender", sender, key, now.minus(quota.senderWindow()));
            if (toSender >= quota.maxPerSender()) {
                throw new QuotaExceededException(key, QuotaExceededException.Scope.SENDER, sender, toSender,
                        quota.senderWindow());
            }
            String thread = current.mail().threadKey();
            int inThread = countReserved(c, "thread_key", thread, key, now.minus(quota.threadWindow()));
            if (inThread >= quota.maxPerThread()) {
                throw new QuotaExceededException(key, QuotaExceededException.Scope.THREAD, thread, inThread,
                        quota.threadWindow());
            }
            return change.set("reserved_at", now.toEpochMilli());
        });
    }

    private static Optional<Instant> reservedAt(Connection c, MailKey key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT reserved_at FROM mails WHERE mailbox = ? AND message_id = ?")) {
            ps.setString(1, key.mailbox());
            ps.setString(2, key.messageId());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                long at = rs.getLong(1);
                return rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(at));
            }
        }
    }

    private static int countReserved(Connection c, String column, String value, MailKey except, Instant since)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM mails WHERE " + column + " = ? "
                + "AND COALESCE(reserved_at, replied_at) >= ? AND state NOT IN ('SKIPPED', 'DEAD') "
                + "AND (disposition IS NULL OR disposition = 'SEND') AND NOT (mailbox = ? AND message_id = ?)")) {
            ps.setString(1, value);
            ps.setLong(2, since.toEpochMilli());
            ps.setString(3, except.mailbox());
            ps.setString(4, except.messageId());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    @Override
    public LedgerEntry storeReply(MailKey key, OutboundReply reply, Disposition disposition, TokenUsage usage,
            Instant now) {
        return storeReply(key, reply, disposition, usage, BigDecimal.ZERO, "", now);
    }

    /** {@inheritDoc} The cost is stored as a SQLite {@code REAL} (double precision), rounded to 12 decimals when read. */
    @Override
    public LedgerEntry storeReply(MailKey key, OutboundReply reply, Disposition disposition, TokenUsage usage,
            BigDecimal cost, String currency, Instant now) {
        Objects.requireNonNull(reply, "reply");
        Objects.requireNonNull(disposition, "disposition");
        BigDecimal amount = cost == null ? BigDecimal.ZERO : cost;
        if (amount.signum() < 0) {
            throw new IllegalArgumentException("cost must not be negative, was " + amount);
        }
        String unit = currency == null ? "" : currency.trim();
        TokenUsage tokens = usage == null ? TokenUsage.NONE : usage;
        String json = LedgerJson.write(reply);
        return transition(key, now, (c, current) -> {
            if (current.state() != MailState.DRAFTING) {
                throw new LedgerConflictException(key, current.state(), MailState.SENDING);
            }
            return new Change(MailState.SENDING, "reply " + reply.messageId() + " stored for " + disposition)
                    .set("reply_json", json)
                    .set("disposition", disposition.name())
                    .set("input_tokens", tokens.inputTokens())
                    .set("output_tokens", tokens.outputTokens())
                    .set("cost", amount.doubleValue())
                    .set("currency", unit)
                    .set("replied_at", now.toEpochMilli())
                    .set("next_attempt_at", null);
        });
    }

    @Override
    public LedgerEntry resumeSending(MailKey key, Instant now) {
        return transition(key, now, (c, current) -> {
            if (current.reply() == null || current.state() == MailState.SENDING) {
                throw new LedgerConflictException(key, current.state(), MailState.SENDING);
            }
            return new Change(MailState.SENDING, "resending reply " + current.reply().messageId()
                    + ", attempt " + (current.attempts() + 1))
                    .set("attempts", current.attempts() + 1)
                    .set("next_attempt_at", null);
        });
    }

    @Override
    public LedgerEntry markDelivered(MailKey key, Instant now) {
        return transition(key, now, (c, current) -> {
            MailState target = current.disposition() == Disposition.REVIEW ? MailState.REVIEW : MailState.SENT;
            if (current.state() != MailState.SENDING || current.reply() == null) {
                throw new LedgerConflictException(key, current.state(), target);
            }
            return new Change(target, target == MailState.SENT ? "sent" : "filed for review")
                    .set("outcome", MailOutcome.ANSWERED.name());
        });
    }

    @Override
    public LedgerEntry scheduleRetry(MailKey key, int attempts, Instant nextAttemptAt, String error, Instant now) {
        return scheduleRetry(key, attempts, nextAttemptAt, error, "", now);
    }

    @Override
    public LedgerEntry scheduleRetry(MailKey key, int attempts, Instant nextAttemptAt, String error, String waitingOn,
            Instant now) {
        Objects.requireNonNull(nextAttemptAt, "nextAttemptAt");
        String component = waitingOn == null ? "" : waitingOn.trim();
        if (attempts < 0) {
            throw new IllegalArgumentException("attempts must not be negative, was " + attempts);
        }
        String why = error == null ? "" : error;
        return transition(key, now, (c, current) -> new Change(MailState.RETRY,
                "attempt " + attempts + ", next at " + nextAttemptAt + ": " + why)
                .set("attempts", attempts)
                .set("next_attempt_at", nextAttemptAt.toEpochMilli())
                .set("waiting_on", component)
                .set("reason", why));
    }

    @Override
    public int wake(String component, int limit, Instant now) {
        Objects.requireNonNull(component, "component");
        Objects.requireNonNull(now, "now");
        if (component.isBlank() || limit < 1) {
            return 0;
        }
        return inTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE mails SET next_attempt_at = ? WHERE rowid IN "
                    + "(SELECT rowid FROM mails WHERE state = 'RETRY' AND waiting_on = ? AND next_attempt_at > ? "
                    + "ORDER BY next_attempt_at, received_at LIMIT ?)")) {
                ps.setLong(1, now.toEpochMilli());
                ps.setString(2, component);
                ps.setLong(3, now.toEpochMilli());
                ps.setInt(4, limit);
                return ps.executeUpdate();
            }
        });
    }

    @Override
    public LedgerEntry markDead(MailKey key, String error, Instant now) {
        String why = error == null ? "" : error;
        return transition(key, now, (c, current) -> new Change(MailState.DEAD, why)
                .set("reason", why)
                .set("outcome", MailOutcome.NEEDS_PERSON.name())
                .set("next_attempt_at", null));
    }

    @Override
    public LedgerEntry requeue(MailKey key, Instant now) {
        return transition(key, now, (c, current) -> {
            if ((current.state() != MailState.DEAD && current.state() != MailState.RETRY) || isPurged(c, key)) {
                throw new LedgerConflictException(key, current.state(), MailState.RETRY);
            }
            return new Change(MailState.RETRY, "requeued by an operator")
                    .set("attempts", 0)
                    .set("next_attempt_at", now.toEpochMilli());
        });
    }

    /** {@inheritDoc} One transaction: the state is checked and changed together. */
    @Override
    public LedgerEntry drop(MailKey key, String reason, Instant now) {
        String why = reason == null || reason.isBlank() ? "dropped by an operator" : reason;
        return transition(key, now, (c, current) -> {
            if (current.state() != MailState.DEAD) {
                throw new LedgerConflictException(key, current.state(), MailState.SKIPPED);
            }
            // Dropping changes nothing on the server: the mail stays where a person sees it.
            return new Change(MailState.SKIPPED, why)
                    .set("reason", why)
                    .set("outcome", MailOutcome.NEEDS_PERSON.name())
                    .set("next_attempt_at", null);
        });
    }

    private static boolean isPurged(Connection c, MailKey key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT purged FROM mails WHERE mailbox = ? AND message_id = ?")) {
            ps.setString(1, key.mailbox());
            ps.setString(2, key.messageId());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getInt(1) != 0;
            }
        }
    }

    // ---------------------------------------------------------------- acknowledgement

    @Override
    public LedgerEntry markAcknowledged(MailKey key, Instant now) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(now, "now");
        return inTransaction(c -> {
            LedgerEntry current = load(c, key);
            if (!current.state().isTerminal()) {
                throw new LedgerConflictException(key, current.state(), current.state());
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE mails SET acknowledged_at = ? "
                    + "WHERE mailbox = ? AND message_id = ? AND acknowledged_at IS NULL")) {
                ps.setLong(1, now.toEpochMilli());
                ps.setString(2, key.mailbox());
                ps.setString(3, key.messageId());
                ps.executeUpdate();
            }
            return load(c, key);
        });
    }

    @Override
    public List<LedgerEntry> unacknowledged(int limit) {
        return query("SELECT " + COLUMNS + " FROM mails WHERE acknowledged_at IS NULL AND state IN " + TERMINAL_STATES
                + " ORDER BY updated_at, mailbox, message_id LIMIT ?", ps -> ps.setInt(1, Math.max(0, limit)));
    }

    // ---------------------------------------------------------------- queries

    @Override
    public List<LedgerEntry> inState(MailState state, int limit) {
        Objects.requireNonNull(state, "state");
        // Purged tombstones only answer "seen before?" at admission: no listing or count shows them.
        return query("SELECT " + COLUMNS + " FROM mails WHERE state = ? AND purged = 0 "
                + "ORDER BY received_at, mailbox, message_id LIMIT ?", ps -> {
                    ps.setString(1, state.name());
                    ps.setInt(2, Math.max(0, limit));
                });
    }

    @Override
    public List<LedgerEntry> dueForRetry(Instant now, int limit) {
        Objects.requireNonNull(now, "now");
        return query("SELECT " + COLUMNS + " FROM mails WHERE state = 'RETRY' AND next_attempt_at <= ? "
                + "ORDER BY next_attempt_at, received_at, mailbox, message_id LIMIT ?", ps -> {
                    ps.setLong(1, now.toEpochMilli());
                    ps.setInt(2, Math.max(0, limit));
                });
    }

    /**
     * {@inheritDoc}
     *
     * <p>Counts entries in SENDING or SENT whose reply is to be sent (not filed for review) and was
     * stored at or after {@code since}.
     */
    @Override
    public int countRepliesToSender(String sender, Instant since) {
        Objects.requireNonNull(sender, "sender");
        return countReplies("sender", sender.trim().toLowerCase(Locale.ROOT), since);
    }

    /** {@inheritDoc} Counted like {@link #countRepliesToSender}. */
    @Override
    public int countRepliesInThread(String threadKey, Instant since) {
        Objects.requireNonNull(threadKey, "threadKey");
        return countReplies("thread_key", threadKey, since);
    }

    private int countReplies(String column, String value, Instant since) {
        Objects.requireNonNull(since, "since");
        return inReadTransaction(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM mails WHERE " + column + " = ? "
                    + "AND replied_at >= ? AND state IN ('SENDING', 'SENT') AND disposition = 'SEND'")) {
                ps.setString(1, value);
                ps.setLong(2, since.toEpochMilli());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getInt(1);
                }
            }
        });
    }

    @Override
    public Map<MailState, Long> countByState() {
        return inReadTransaction(c -> {
            Map<MailState, Long> counts = new EnumMap<>(MailState.class);
            for (MailState state : MailState.values()) {
                counts.put(state, 0L);
            }
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT state, COUNT(*) FROM mails WHERE purged = 0 GROUP BY state")) {
                while (rs.next()) {
                    counts.put(MailState.valueOf(rs.getString(1)), rs.getLong(2));
                }
            }
            return Collections.unmodifiableMap(counts);
        });
    }

    @Override
    public int purgeTerminalBefore(Instant before) {
        Objects.requireNonNull(before, "before");
        return inTransaction(c -> {
            // Only acknowledged rows: an unacknowledged mail is still on the server as new and comes back.
            List<InboundMail> purged = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT mail_json FROM mails WHERE updated_at < ? "
                    + "AND state IN " + TERMINAL_STATES + " AND acknowledged_at IS NOT NULL AND purged = 0")) {
                ps.setLong(1, before.toEpochMilli());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        purged.add(LedgerJson.read(rs.getString(1), InboundMail.class));
                    }
                }
            }
            for (InboundMail mail : purged) {
                // The tombstone: enough to recognise and acknowledge the mail if it is yielded again.
                InboundMail tombstone = InboundMail.builder().key(mail.key()).sourceRef(mail.sourceRef())
                        .from(mail.from()).unreadableReason(mail.unreadableReason()).build();
                try (PreparedStatement ps = c.prepareStatement("UPDATE mails SET mail_json = ?, reply_json = NULL, "
                        + "subject = '', purged = 1 WHERE mailbox = ? AND message_id = ?")) {
                    ps.setString(1, LedgerJson.write(tombstone));
                    ps.setString(2, mail.key().mailbox());
                    ps.setString(3, mail.key().messageId());
                    ps.executeUpdate();
                }
                try (PreparedStatement ps = c.prepareStatement(
                        "DELETE FROM transitions WHERE mailbox = ? AND message_id = ?")) {
                    ps.setString(1, mail.key().mailbox());
                    ps.setString(2, mail.key().messageId());
                    ps.executeUpdate();
                }
            }
            return purged.size();
        });
    }

    /** The audit history of one mail, oldest first: one line per transition. */
    public List<Transition> history(MailKey key) {
        Objects.requireNonNull(key, "key");
        return inReadTransaction(c -> {
            List<Transition> result = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT from_state, to_state, at, detail FROM transitions "
                    + "WHERE mailbox = ? AND message_id = ? ORDER BY id")) {
                ps.setString(1, key.mailbox());
                ps.setString(2, key.messageId());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String from = rs.getString(1);
                        result.add(new Transition(from == null ? null : MailState.valueOf(from),
                                MailState.valueOf(rs.getString(2)), Instant.ofEpochMilli(rs.getLong(3)),
                                rs.getString(4)));
                    }
                }
            }
            return List.copyOf(result);
        });
    }

    /**
     * One line of a mail's audit history.
     *
     * @param from   the state before, {@code null} for the admission
     * @param to     the state after
     * @param at     when
     * @param detail the reason, error or reply id recorded with the move
     */
    public record Transition(MailState from, MailState to, Instant at, String detail) {
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (!closed) {
                closed = true;
                connection.close();
            }
        } catch (SQLException e) {
            throw translate("close " + file, e);
        } finally {
            lock.unlock();
        }
    }

    // ---------------------------------------------------------------- machinery

    /** The columns a transition sets besides state and updated_at, and the detail for the history. */
    private static final class Change {
        final MailState target;
        final String detail;
        final Map<String, Object> columns = new LinkedHashMap<>();

        Change(MailState target, String detail) {
            this.target = target;
            this.detail = detail;
        }

        Change set(String column, Object value) {
            columns.put(column, value);
            return this;
        }
    }

    @FunctionalInterface
    private interface Planner {
        Change plan(Connection c, LedgerEntry current) throws SQLException;
    }

    @FunctionalInterface
    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    /** Reads the row, checks the move, updates the row if still in the state read, records it: one transaction. */
    private LedgerEntry transition(MailKey key, Instant now, Planner planner) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(now, "now");
        return inTransaction(c -> {
            LedgerEntry current = load(c, key);
            Change change = planner.plan(c, current);
            if (!current.state().canMoveTo(change.target)) {
                throw new LedgerConflictException(key, current.state(), change.target);
            }
            // Every move changes what the source is to be told: the outcome is set by moves into a
            // terminal state and must be acknowledged (again); a mail in flight has none and waits on nothing.
            change.columns.putIfAbsent("outcome", null);
            change.columns.put("acknowledged_at", null);
            change.columns.putIfAbsent("waiting_on", "");
            StringBuilder sql = new StringBuilder("UPDATE mails SET state = ?, updated_at = ?");
            for (String column : change.columns.keySet()) {
                sql.append(", ").append(column).append(" = ?");
            }
            sql.append(" WHERE mailbox = ? AND message_id = ? AND state = ?");
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                int i = 1;
                ps.setString(i++, change.target.name());
                ps.setLong(i++, now.toEpochMilli());
                for (Object value : change.columns.values()) {
                    bind(ps, i++, value);
                }
                ps.setString(i++, key.mailbox());
                ps.setString(i++, key.messageId());
                ps.setString(i, current.state().name());
                if (ps.executeUpdate() != 1) {
                    // Cannot happen while BEGIN IMMEDIATE holds the write lock; kept as a safety net.
                    throw new LedgerConflictException(key, current.state(), change.target);
                }
            }
            recordTransition(c, key, current.state(), change.target, now, change.detail);
            return load(c, key);
        });
    }

    private static void bind(PreparedStatement ps, int index, Object value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.NULL);
        } else if (value instanceof String s) {
            ps.setString(index, s);
        } else if (value instanceof Integer n) {
            ps.setInt(index, n);
        } else if (value instanceof Long n) {
            ps.setLong(index, n);
        } else if (value instanceof Double d) {
            ps.setDouble(index, d);
        } else {
            throw new IllegalArgumentException("unsupported column value " + value.getClass());
        }
    }

    private static void recordTransition(Connection c, MailKey key, MailState from, MailState to, Instant at, String detail)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO transitions "
                + "(mailbox, message_id, from_state, to_state, at, detail) VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, key.mailbox());
            ps.setString(2, key.messageId());
            ps.setString(3, from == null ? null : from.name());
            ps.setString(4, to.name());
            ps.setLong(5, at.toEpochMilli());
            ps.setString(6, detail == null ? "" : detail);
            ps.executeUpdate();
        }
    }

    private static LedgerEntry load(Connection c, MailKey key) throws SQLException {
        return loadIfPresent(c, key).orElseThrow(() -> new UnknownMailException(key));
    }

    private static Optional<LedgerEntry> loadIfPresent(Connection c, MailKey key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT " + COLUMNS + " FROM mails WHERE mailbox = ? AND message_id = ?")) {
            ps.setString(1, key.mailbox());
            ps.setString(2, key.messageId());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(entry(rs)) : Optional.empty();
            }
        }
    }

    private static LedgerEntry entry(ResultSet rs) throws SQLException {
        MailKey key = new MailKey(rs.getString("mailbox"), rs.getString("message_id"));
        String replyJson = rs.getString("reply_json");
        String disposition = rs.getString("disposition");
        long next = rs.getLong("next_attempt_at");
        Instant nextAttemptAt = rs.wasNull() ? null : Instant.ofEpochMilli(next);
        long acked = rs.getLong("acknowledged_at");
        Instant acknowledgedAt = rs.wasNull() ? null : Instant.ofEpochMilli(acked);
        return new LedgerEntry(
                key,
                MailState.valueOf(rs.getString("state")),
                LedgerJson.read(rs.getString("mail_json"), InboundMail.class),
                replyJson == null ? null : LedgerJson.read(replyJson, OutboundReply.class),
                disposition == null ? null : Disposition.valueOf(disposition),
                rs.getInt("attempts"),
                nextAttemptAt,
                rs.getString("reason"),
                new TokenUsage(rs.getLong("input_tokens"), rs.getLong("output_tokens")),
                Instant.ofEpochMilli(rs.getLong("received_at")),
                Instant.ofEpochMilli(rs.getLong("updated_at")),
                cost(rs.getDouble("cost")),
                rs.getString("currency"),
                outcome(rs.getString("outcome")),
                acknowledgedAt,
                rs.getString("waiting_on"));
    }

    private static MailOutcome outcome(String stored) {
        return stored == null ? null : MailOutcome.valueOf(stored);
    }

    private static BigDecimal cost(double stored) {
        if (stored == 0.0 || !Double.isFinite(stored)) {
            return BigDecimal.ZERO;
        }
        return BigDecimal.valueOf(stored).setScale(12, RoundingMode.HALF_UP).stripTrailingZeros();
    }

    private List<LedgerEntry> query(String sql, Binder binder) {
        return inReadTransaction(c -> {
            List<LedgerEntry> result = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                binder.bind(ps);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        result.add(entry(rs));
                    }
                }
            }
            return List.copyOf(result);
        });
    }

    /**
     * Runs the work in one {@code BEGIN IMMEDIATE} transaction under the lock: committed when it
     * returns, rolled back when it throws.
     */
    private <T> T inTransaction(Work<T> work) {
        return inTransaction("BEGIN IMMEDIATE", work);
    }

    /** A read-only transaction: deferred, so that readers in other processes are not blocked (WAL). */
    private <T> T inReadTransaction(Work<T> work) {
        return inTransaction("BEGIN DEFERRED", work);
    }

    private <T> T inTransaction(String begin, Work<T> work) {
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("the ledger " + file + " is closed");
            }
            try (Statement s = connection.createStatement()) {
                s.execute(begin);
            } catch (SQLException e) {
                throw translate("begin a transaction", e);
            }
            boolean committed = false;
            try {
                T result = work.run(connection);
                try (Statement s = connection.createStatement()) {
                    s.execute("COMMIT");
                }
                committed = true;
                return result;
            } catch (SQLException e) {
                throw translate("update " + file, e);
            } finally {
                if (!committed) {
                    rollbackQuietly();
                }
            }
        } finally {
            lock.unlock();
        }
    }

    private void rollbackQuietly() {
        try (Statement s = connection.createStatement()) {
            s.execute("ROLLBACK");
        } catch (SQLException ignored) {
            // no transaction left to roll back (SQLite may already have rolled back on an I/O error)
        }
    }

    private void closeQuietly() {
        try {
            closed = true;
            connection.close();
        } catch (SQLException ignored) {
            // already failing; the original error is what matters
        }
    }

    /** Busy, locked and I/O errors may pass; anything else (corrupt file, constraint, bad SQL) will not. */
    static RagmailException translate(String action, SQLException e) {
        int code = e instanceof SQLiteException se ? se.getResultCode().code : e.getErrorCode();
        int primary = code & 0xff;
        String message = "cannot " + action + ": " + e.getMessage();
        return switch (primary) {
            case 5, 6, 10 -> new RetriableException(Component.LEDGER, message, e); // SQLITE_BUSY, SQLITE_LOCKED, SQLITE_IOERR
            default -> new NonRetriableException(Component.LEDGER, message, e);
        };
    }

    /** Settings of a {@link SqliteLedger}; only {@code file} is required. */
    public static final class Builder {
        private Path file;
        private Duration busyTimeout = DEFAULT_BUSY_TIMEOUT;

        private Builder() {
        }

        /** Required: the SQLite file; it and its parent directories are created when missing. */
        public Builder file(Path file) {
            this.file = file;
            return this;
        }

        /** How long to wait for another process's lock on the file; default {@link #DEFAULT_BUSY_TIMEOUT}. */
        public Builder busyTimeout(Duration busyTimeout) {
            this.busyTimeout = busyTimeout;
            return this;
        }

        public SqliteLedger build() {
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(busyTimeout, "busyTimeout");
            if (busyTimeout.isNegative()) {
                throw new IllegalArgumentException("busyTimeout must not be negative, was " + busyTimeout);
            }
            return new SqliteLedger(this);
        }
    }
}
