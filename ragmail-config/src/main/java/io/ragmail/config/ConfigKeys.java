package io.ragmail.config;

import io.ragmail.core.imap.Acknowledgement;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every key the daemon and {@link RagmailComponents} read, in documentation order, with its default. The one place a key is
 * spelled: {@code docs/configuration.md} and {@code ragmail.example.env} are checked against this
 * list by tests, so a key cannot be added without being documented.
 */
public final class ConfigKeys {

    private static final List<ConfigKey<?>> ALL = new ArrayList<>();

    // ------------------------------------------------------------ inbound mail
    public static final ConfigKey<String> IMAP_HOST = key("ragmail.imap.host", null, null, ValueType.text(), false,
            "IMAP server of the support mailbox (required).");
    public static final ConfigKey<Integer> IMAP_PORT = key("ragmail.imap.port", null, "993 with ssl, 143 otherwise",
            ValueType.port(1), false, "IMAP port.");
    public static final ConfigKey<String> IMAP_USER = key("ragmail.imap.user", null, null, ValueType.text(), false,
            "IMAP login (required).");
    public static final ConfigKey<String> IMAP_PASSWORD = key("ragmail.imap.password", null, null, ValueType.text(), true,
            "IMAP password (required; secret).");
    public static final ConfigKey<String> IMAP_SECURITY = key("ragmail.imap.security", "ssl", null,
            ValueType.choice("none", "starttls", "ssl"), false, "IMAP connection security.");
    public static final ConfigKey<String> IMAP_FOLDER = key("ragmail.imap.folder", "INBOX", null, ValueType.text(), false,
            "Folder to answer mail from.");
    public static final ConfigKey<String> IMAP_AUTHSERV_ID = key("ragmail.imap.authserv-id", null, "none", ValueType.text(), false,
            "Authentication-Results id of our own mail server; without it no sender is verified and no ERP facts reach a prompt.");
    public static final ConfigKey<Acknowledgement> IMAP_ACK = key("ragmail.imap.ack", "keyword", null,
            ValueType.simple("seen, keyword, keyword:NAME or move:FOLDER", ConfigKeys::parseAck), false,
            "How handled mail is marked on the server: seen (\\Seen flag), keyword ($RagmailDone), keyword:NAME, move:FOLDER.");
    public static final ConfigKey<Backlog> IMAP_BACKLOG = key("ragmail.imap.backlog", "since-start", null,
            ValueType.simple("since-start, days:N (1-3650) or all", Backlog::parse), false,
            "What the first start does with mail already waiting: since-start (only newer mail), days:N, all.");
    public static final ConfigKey<Duration> IMAP_POLL_INTERVAL = key("ragmail.imap.poll-interval", "30s", null,
            ValueType.duration(Duration.ofSeconds(1), Duration.ofHours(1), null), false,
            "Polling interval when the server lacks IDLE, and the safety net under IDLE.");
    public static final ConfigKey<Boolean> IMAP_IDLE = key("ragmail.imap.idle", "true", null, ValueType.bool(), false,
            "Wait for mail with IMAP IDLE where the server offers it.");
    public static final ConfigKey<Long> IMAP_MAX_MESSAGE_SIZE = key("ragmail.imap.max-message-size", "25MB", null,
            ValueType.size(64 * 1024), false, "Larger mail is read from its headers only (and goes to review).");

    // ------------------------------------------------------------ outbound mail
    public static final ConfigKey<String> SMTP_HOST = key("ragmail.smtp.host", null, null, ValueType.text(), false,
            "SMTP server replies and alerts are sent through (required).");
    public static final ConfigKey<Integer> SMTP_PORT = key("ragmail.smtp.port", null, "465 with ssl, 587 with starttls, 25 with none",
            ValueType.port(1), false, "SMTP port.");
    public static final ConfigKey<String> SMTP_USER = key("ragmail.smtp.user", null, "ragmail.imap.user", ValueType.text(), false,
            "SMTP login; 'none' for a server without authentication.");
    public static final ConfigKey<String> SMTP_PASSWORD = key("ragmail.smtp.password", null, "ragmail.imap.password",
            ValueType.text(), true, "SMTP password (secret).");
    public static final ConfigKey<String> SMTP_SECURITY = key("ragmail.smtp.security", "starttls", null,
            ValueType.choice("none", "starttls", "ssl"), false, "SMTP connection security.");
    public static final ConfigKey<String> SMTP_SENT_FOLDER = key("ragmail.smtp.sent-folder", null,
            "the server's \\Sent folder (RFC 6154), else Sent, Sent Items, ...", ValueType.text(), false,
            "IMAP folder a copy of each sent reply goes to (also how a crash between send and record is resolved); 'none' for no copy.");
    public static final ConfigKey<Boolean> SMTP_SERVER_FILES_SENT = key("ragmail.smtp.server-files-sent", "false", null,
            ValueType.bool(), false,
            "true when the SMTP server files every sent mail in Sent by itself (Gmail, Microsoft 365): no copy of our own, and no duplicate after a lost 250.");
    public static final ConfigKey<String> DRAFTS_FOLDER = key("ragmail.drafts.folder", null,
            "the server's \\Drafts folder (RFC 6154), else Drafts, Draft, ...", ValueType.text(), false,
            "IMAP folder replies for review are filed in.");
    public static final ConfigKey<String> FROM = key("ragmail.from", null, null, ValueType.email(), false,
            "The address replies come from (required).");
    public static final ConfigKey<String> MODE = key("ragmail.mode", "review", null, ValueType.choice("send", "review"), false,
            "send: auto-send confident, grounded replies; review: file every reply as a draft. Start with review.");
    public static final ConfigKey<Double> CONFIDENCE_THRESHOLD = key("ragmail.confidence-threshold", "0.7", null,
            ValueType.decimal(0, 1), false, "In send mode, drafts below this confidence go to review.");
    public static final ConfigKey<String> COMPANY_NAME = key("ragmail.company-name", "our company", null, ValueType.text(), false,
            "How replies name the company.");

    // ------------------------------------------------------------ drafting and cost
    public static final ConfigKey<String> MISTRAL_API_KEY = key("ragmail.mistral.api-key", null, "none (offline template drafter)",
            ValueType.text(), true, "Mistral API key; MISTRAL_API_KEY is also read. Without one, the offline template drafter is used (secret).");
    public static final ConfigKey<URI> MISTRAL_BASE_URL = key("ragmail.mistral.base-url", "https://api.mistral.ai/v1", null,
            ValueType.url(), false, "Mistral API base URL.");
    public static final ConfigKey<String> MISTRAL_MODEL = key("ragmail.mistral.model", "mistral-small-latest", null,
            ValueType.text(), false, "Mistral model.");
    public static final ConfigKey<Double> MISTRAL_RPS = key("ragmail.mistral.requests-per-second", "1.0", null,
            ValueType.decimal(0.01, 1000), false, "Requests per second allowed by your Mistral plan.");
    public static final ConfigKey<Long> MISTRAL_TPM = key("ragmail.mistral.tokens-per-minute", "500000", null,
            ValueType.longAtLeast(1000), false, "Tokens per minute allowed by your Mistral plan.");
    public static final ConfigKey<Duration> MISTRAL_TIMEOUT = key("ragmail.mistral.timeout", "60s", null,
            ValueType.duration(Duration.ofSeconds(1), Duration.ofMinutes(10), null), false, "Timeout of one Mistral call.");
    public static final ConfigKey<Double> PRICE_INPUT = key("ragmail.mistral.price.input-per-1k", "0", null,
            ValueType.decimal(0, 1000), false, "Price of 1000 input tokens, for cost accounting and the budget.");
    public static final ConfigKey<Double> PRICE_OUTPUT = key("ragmail.mistral.price.output-per-1k", "0", null,
            ValueType.decimal(0, 1000), false, "Price of 1000 output tokens.");
    public static final ConfigKey<String> PRICE_CURRENCY = key("ragmail.mistral.price.currency", "EUR", null, ValueType.text(), false,
            "Currency of the prices and the budget.");
    public static final ConfigKey<Double> BUDGET_DAILY = key("ragmail.budget.daily", "0", "0 (no cap)", ValueType.decimal(0, 1e9), false,
            "Daily cost cap; above it every reply goes to review and a critical alert is raised.");
    public static final ConfigKey<Integer> CONCURRENCY = key("ragmail.concurrency", "4", null, ValueType.integer(1, 64), false,
            "Mails processed at once; about requests-per-second x model latency in seconds, see docs/configuration.md.");

    // ------------------------------------------------------------ Odoo and knowledge
    public static final ConfigKey<URI> ODOO_URL = key("ragmail.odoo.url", null, "none (no ERP facts)", ValueType.url(), false,
            "Odoo base URL; set url, db, user and password together.");
    public static final ConfigKey<String> ODOO_DB = key("ragmail.odoo.db", null, null, ValueType.text(), false, "Odoo database.");
    public static final ConfigKey<String> ODOO_USER = key("ragmail.odoo.user", null, null, ValueType.text(), false, "Odoo login.");
    public static final ConfigKey<String> ODOO_PASSWORD = key("ragmail.odoo.password", null, null, ValueType.text(), true,
            "Odoo password or API key (secret).");
    public static final ConfigKey<Duration> ODOO_SYNC_INTERVAL = key("ragmail.odoo.sync-interval", "10", "10 (minutes)",
            ValueType.duration(Duration.ofMinutes(1), Duration.ofMinutes(1440), "m"), false,
            "Odoo to knowledge sync interval, 1-1440 minutes.");
    public static final ConfigKey<Path> ERP_FILE = key("ragmail.erp.file", null, "none",
            ValueType.simple("a file path", Path::of), false,
            "JSON file of customers and their orders, for ERP facts without Odoo (format: docs/configuration.md); read at start.");
    public static final ConfigKey<Path> KNOWLEDGE_DIR = key("ragmail.knowledge.dir", null, "none",
            ValueType.simple("a folder path", Path::of), false, "Folder of documents (md, txt, html, pdf) to answer from.");
    public static final ConfigKey<Duration> KNOWLEDGE_RESCAN = key("ragmail.knowledge.rescan-interval", "5m", null,
            ValueType.duration(Duration.ofMinutes(1), Duration.ofDays(1), null), false,
            "How often the knowledge folder is re-scanned (changed files re-ingested, removed files removed).");
    public static final ConfigKey<Boolean> KNOWLEDGE_TRANSLATE_QUERIES = key("ragmail.knowledge.translate-queries", "true", null,
            ValueType.bool(), false,
            "With ragmail.mistral.api-key: mail in German, French, Spanish, Italian or Dutch is also searched with Mistral's "
                    + "English rewrite of it (one short request per such mail, within the same rate limit); see docs/knowledge.md.");
    public static final ConfigKey<String> KNOWLEDGE_EMBEDDING_MODEL = key("ragmail.knowledge.embedding-model", "bge-small-en", null,
            ValueType.choice("bge-small-en", "mistral-embed"), false,
            "Embedding model of the knowledge index: bge-small-en (in-process, English only, no network) or mistral-embed "
                    + "(multilingual, Mistral's API with ragmail.mistral.api-key: one call per 32 chunks written and per search). "
                    + "Changing it re-embeds every source at the next start, see docs/knowledge.md.");

    // ------------------------------------------------------------ process
    public static final ConfigKey<Path> DATA_DIR = key("ragmail.data.dir", "data", null, ValueType.simple("a folder path", Path::of), false,
            "Ledger, index, backups, state; one daemon per data dir.");
    public static final ConfigKey<String> HEALTH_BIND = key("ragmail.health.bind", "127.0.0.1", null, ValueType.text(), false,
            "Address the health server binds.");
    public static final ConfigKey<Integer> HEALTH_PORT = key("ragmail.health.port", "8080", null, ValueType.port(0), false,
            "Health server port (0 picks a free one).");
    public static final ConfigKey<String> HEALTH_TOKEN = key("ragmail.health.token", null, "none (read-only endpoints, no actions)",
            ValueType.simple("at least 16 characters", t -> {
                if (t.length() < 16) {
                    throw new IllegalArgumentException();
                }
                return t;
            }), true,
            "Token for the health server (dashboard, /health, /metrics, retry/drop from the dashboard); /health/live and /health/ready never need it (secret).");
    public static final ConfigKey<Duration> SHUTDOWN_TIMEOUT = key("ragmail.shutdown-timeout", "30s", null,
            ValueType.duration(Duration.ofSeconds(1), Duration.ofMinutes(10), null), false,
            "On SIGTERM, how long in-flight mail may take to finish; the rest resumes from the ledger.");
    public static final ConfigKey<Duration> WATCHDOG = key("ragmail.watchdog.stall-after", "5m", null,
            ValueType.duration(Duration.ofSeconds(10), Duration.ofHours(6), null), false,
            "A processing loop without progress for this long while mail waits is restarted.");
    public static final ConfigKey<ZoneId> TIMEZONE = key("ragmail.timezone", null, "the system time zone", ValueType.zone(), false,
            "Time zone of the daily schedules.");

    // ------------------------------------------------------------ alerts and summary
    public static final ConfigKey<String> ALERT_TO = key("ragmail.alert.to", null, "none (alerts only in the log)", ValueType.email(), false,
            "Operator address for alerts and the daily summary (sent over the SMTP server above).");
    public static final ConfigKey<URI> ALERT_WEBHOOK = key("ragmail.alert.webhook", null, "none", ValueType.url(), true,
            "Slack/Teams-style incoming webhook URL for critical alerts (secret: it holds a token).");
    public static final ConfigKey<Duration> ALERT_THROTTLE = key("ragmail.alert.throttle", "30m", null,
            ValueType.duration(Duration.ofMinutes(1), Duration.ofDays(1), null), false,
            "The same alert is sent at most once per this interval.");
    public static final ConfigKey<Duration> ALERT_UNREACHABLE_AFTER = key("ragmail.alert.unreachable-after", "5m", null,
            ValueType.duration(Duration.ofSeconds(10), Duration.ofDays(1), null), false,
            "IMAP or SMTP unreachable this long raises a critical alert.");
    public static final ConfigKey<Integer> ALERT_FAILED_IN_A_ROW = key("ragmail.alert.failed-in-a-row", "3", null,
            ValueType.integer(1, 1000), false, "This many failed mails in a row raise a critical alert.");
    public static final ConfigKey<Integer> ALERT_DISK_FREE_PERCENT = key("ragmail.alert.disk-free-percent", "10", null,
            ValueType.integer(0, 99), false, "Less free space than this on the data dir's disk raises a critical alert.");
    public static final ConfigKey<LocalTime> SUMMARY_TIME = key("ragmail.summary.time", "08:00", null, ValueType.timeOfDayOrOff(), false,
            "Local time of the daily summary mail, or off.");

    // ------------------------------------------------------------ backups and retention
    public static final ConfigKey<LocalTime> BACKUP_TIME = key("ragmail.backup.time", "03:00", null, ValueType.timeOfDayOrOff(), false,
            "Local time of the daily backup (ledger + knowledge index) into <data dir>/backups, or off.");
    public static final ConfigKey<Integer> BACKUP_KEEP = key("ragmail.backup.keep", "7", null, ValueType.integer(1, 365), false,
            "Backups kept.");
    public static final ConfigKey<Integer> RETENTION_DAYS = key("ragmail.retention.days", "90", null, ValueType.integer(1, 3650), false,
            "Finished ledger rows older than this are removed (their mail is never answered again: see docs/operations.md).");

    // ------------------------------------------------------------ logging
    public static final ConfigKey<Path> LOG_DIR = key("ragmail.log.dir", null, "<data dir>/logs",
            ValueType.simple("a folder path", Path::of), false, "Log folder.");
    public static final ConfigKey<String> LOG_LEVEL = key("ragmail.log.level", "INFO", null,
            ValueType.choice("error", "warn", "info", "debug", "trace"), false, "Log level of ragmail's own loggers.");
    public static final ConfigKey<Long> LOG_MAX_FILE_SIZE = key("ragmail.log.max-file-size", "10MB", null, ValueType.size(1024), false,
            "A log file rolls over at this size (and daily).");
    public static final ConfigKey<Integer> LOG_MAX_HISTORY = key("ragmail.log.max-history", "14", null, ValueType.integer(1, 3650), false,
            "Days of logs kept.");
    public static final ConfigKey<Long> LOG_TOTAL_CAP = key("ragmail.log.total-cap", "500MB", null, ValueType.size(4096), false,
            "All log files together never exceed this; the oldest are deleted first.");
    public static final ConfigKey<Boolean> LOG_JSON = key("ragmail.log.json", "false", null, ValueType.bool(), false,
            "Also write JSON lines (ragmail.json.log) for a log shipper.");

    /** Read from the environment as a fallback for {@link #MISTRAL_API_KEY}, as Mistral's own tools do. */
    public static final String MISTRAL_API_KEY_ALIAS = "MISTRAL_API_KEY";

    private static final Map<String, ConfigKey<?>> BY_NAME;

    static {
        Map<String, ConfigKey<?>> map = new LinkedHashMap<>();
        for (ConfigKey<?> key : ALL) {
            map.put(key.name(), key);
        }
        BY_NAME = Collections.unmodifiableMap(map);
    }

    private ConfigKeys() {
    }

    /** Every key, in documentation order. */
    public static List<ConfigKey<?>> all() {
        return Collections.unmodifiableList(ALL);
    }

    /** The key of a property name such as {@code ragmail.imap.host}. */
    public static Optional<ConfigKey<?>> byName(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    /** The key whose environment variable this is, if any. */
    public static Optional<ConfigKey<?>> byEnvName(String envName) {
        return ALL.stream().filter(k -> k.envName().equals(envName)).findFirst();
    }

    static Acknowledgement parseAck(String text) {
        if (text.equals("seen")) {
            return Acknowledgement.seen();
        }
        if (text.equals("keyword")) {
            return Acknowledgement.keyword();
        }
        if (text.startsWith("keyword:")) {
            return Acknowledgement.keyword(text.substring("keyword:".length()));
        }
        if (text.startsWith("move:")) {
            return Acknowledgement.moveTo(text.substring("move:".length()));
        }
        throw new IllegalArgumentException(text);
    }

    private static <T> ConfigKey<T> key(String name, String defaultValue, String defaultText, ValueType<T> type, boolean secret,
                                        String description) {
        ConfigKey<T> key = new ConfigKey<>(name, defaultValue, defaultText, type, secret, description);
        ALL.add(key);
        return key;
    }
}
