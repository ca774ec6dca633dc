package io.ragmail.config;

import io.ragmail.core.MailAccount;
import io.ragmail.core.MailSecurity;
import io.ragmail.core.imap.Acknowledgement;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * ragmail's configuration (the daemon's, and an embedding application's) as an interface over one method, {@link #get(String)}, like
 * Micrometer's {@code MeterRegistryConfig}: any source plugs in ({@code RagmailConfig config = map::get;}),
 * the typed accessors apply the defaults of {@link ConfigKeys}, and {@link #validate()} reports
 * every problem at once.
 *
 * <pre>{@code
 * RagmailConfig config = Map.of("ragmail.imap.host", "imap.example.com", ...)::get;
 * config.validate();                       // throws ConfigException listing every bad key
 * MailAccount imap = config.imapAccount();
 * RagmailComponents components = RagmailComponents.open(config);   // the configured pipeline's parts
 * }</pre>
 */
@FunctionalInterface
public interface RagmailConfig {

    /** The raw value of a key such as {@code ragmail.imap.host}, or {@code null} when unset. */
    String get(String key);

    /** Whether the key has a non-blank value. */
    default boolean isSet(ConfigKey<?> key) {
        String raw = get(key.name());
        return raw != null && !raw.isBlank();
    }

    /**
     * The parsed value, the default when unset, or {@code null} when unset without a default.
     *
     * @throws ConfigException when the value does not parse
     */
    default <T> T value(ConfigKey<T> key) {
        String raw = get(key.name());
        if (raw == null || raw.isBlank()) {
            raw = key.defaultValue();
            if (raw == null) {
                return null;
            }
        }
        try {
            return key.type().parse(raw);
        } catch (IllegalArgumentException e) {
            String was = key.secret() ? "was set (value not shown)" : "was '" + raw + "'";
            throw new ConfigException(List.of(key.name() + ": expected " + key.type().expected() + ", " + was));
        }
    }

    /** A text key's value when set and not blank. */
    default Optional<String> optional(ConfigKey<String> key) {
        return Optional.ofNullable(value(key)).filter(s -> !s.isBlank());
    }

    // ------------------------------------------------------------------ derived values

    /** {@code ragmail.imap.*}: the port defaults to 993 with ssl, 143 otherwise. */
    default MailAccount imapAccount() {
        MailSecurity security = security(value(ConfigKeys.IMAP_SECURITY));
        Integer port = value(ConfigKeys.IMAP_PORT);
        int p = port != null ? port : security == MailSecurity.SSL ? 993 : 143;
        return new MailAccount(value(ConfigKeys.IMAP_HOST), p, security, value(ConfigKeys.IMAP_USER), value(ConfigKeys.IMAP_PASSWORD));
    }

    /**
     * {@code ragmail.smtp.*}: the port defaults by security (465, 587, 25), the login to the IMAP one;
     * user {@code none} means a server without authentication.
     */
    default MailAccount smtpAccount() {
        MailSecurity security = security(value(ConfigKeys.SMTP_SECURITY));
        Integer port = value(ConfigKeys.SMTP_PORT);
        int p = port != null ? port : switch (security) {
            case SSL -> 465;
            case STARTTLS -> 587;
            case NONE -> 25;
        };
        String user = optional(ConfigKeys.SMTP_USER).orElse(value(ConfigKeys.IMAP_USER));
        String password = optional(ConfigKeys.SMTP_PASSWORD).orElse(value(ConfigKeys.IMAP_PASSWORD));
        if ("none".equalsIgnoreCase(user)) {
            user = "";
            password = "";
        }
        return new MailAccount(value(ConfigKeys.SMTP_HOST), p, security, user, password);
    }

    /** The IMAP folder sent replies are copied to, or empty for none. */
    default Optional<String> sentFolder() {
        return optional(ConfigKeys.SMTP_SENT_FOLDER).filter(f -> !f.equalsIgnoreCase("none"));
    }

    /** {@code ragmail.imap.ack}: how handled mail is marked on the server. */
    default Acknowledgement acknowledgement() {
        return value(ConfigKeys.IMAP_ACK);
    }

    /** {@code ragmail.data.dir}: ledger, index and state. */
    default Path dataDir() {
        return value(ConfigKeys.DATA_DIR);
    }

    /** {@code ragmail.log.dir}, by default {@code <data dir>/logs}; used by the daemon's logging setup. */
    default Path logDir() {
        Path dir = value(ConfigKeys.LOG_DIR);
        return dir != null ? dir : dataDir().resolve("logs");
    }

    /** The API key from {@code ragmail.mistral.api-key} (or {@code MISTRAL_API_KEY} mapped onto it by the loader). */
    default Optional<String> mistralApiKey() {
        return optional(ConfigKeys.MISTRAL_API_KEY);
    }

    /** Whether the knowledge index embeds with Mistral's {@code mistral-embed} instead of the in-process model. */
    default boolean usesMistralEmbed() {
        return "mistral-embed".equals(value(ConfigKeys.KNOWLEDGE_EMBEDDING_MODEL));
    }

    /** Whether {@code ragmail.odoo.url} is set (validation requires db, user and password with it). */
    default boolean odooConfigured() {
        return isSet(ConfigKeys.ODOO_URL);
    }

    private static MailSecurity security(String value) {
        return MailSecurity.valueOf(value.toUpperCase(Locale.ROOT));
    }

    // ------------------------------------------------------------------ validation

    /**
     * Every problem of this configuration for {@code run} and {@code check-config}, one line each,
     * naming the key; empty when it is fine. Secrets are never part of a line.
     */
    default List<String> problems() {
        List<String> problems = new ArrayList<>();
        for (ConfigKey<?> key : ConfigKeys.all()) {
            try {
                value(key);
            } catch (ConfigException e) {
                problems.addAll(e.problems());
            }
        }
        for (ConfigKey<?> key : List.of(ConfigKeys.IMAP_HOST, ConfigKeys.IMAP_USER, ConfigKeys.IMAP_PASSWORD,
                ConfigKeys.SMTP_HOST, ConfigKeys.FROM)) {
            if (!isSet(key)) {
                problems.add(key.name() + ": required (environment " + key.envName() + "), is missing");
            }
        }
        List<ConfigKey<?>> odoo = List.of(ConfigKeys.ODOO_URL, ConfigKeys.ODOO_DB, ConfigKeys.ODOO_USER, ConfigKeys.ODOO_PASSWORD);
        if (odoo.stream().anyMatch(this::isSet)) {
            for (ConfigKey<?> key : odoo) {
                if (!isSet(key)) {
                    problems.add(key.name() + ": required when any ragmail.odoo setting is given (url, db, user, password), is missing");
                }
            }
        }
        if (isSet(ConfigKeys.ERP_FILE) && odoo.stream().anyMatch(this::isSet)) {
            problems.add(ConfigKeys.ERP_FILE.name() + ": set either ragmail.odoo.* or ragmail.erp.file, not both");
        }
        String from = get(ConfigKeys.FROM.name());
        String alertTo = get(ConfigKeys.ALERT_TO.name());
        if (alertTo != null && from != null && alertTo.strip().equalsIgnoreCase(from.strip())) {
            problems.add(ConfigKeys.ALERT_TO.name() + ": must differ from ragmail.from, or alerts would enter the customer pipeline, was '"
                    + alertTo.strip() + "'");
        }
        if (alertTo != null && alertTo.strip().equalsIgnoreCase(String.valueOf(get(ConfigKeys.IMAP_USER.name())).strip())) {
            problems.add(ConfigKeys.ALERT_TO.name() + ": must not be the support mailbox (ragmail.imap.user), or alerts would be answered, was '"
                    + alertTo.strip() + "'");
        }
        try {
            if (usesMistralEmbed() && mistralApiKey().isEmpty()) {
                problems.add(ConfigKeys.KNOWLEDGE_EMBEDDING_MODEL.name() + ": mistral-embed needs " + ConfigKeys.MISTRAL_API_KEY.name()
                        + " (or " + ConfigKeys.MISTRAL_API_KEY_ALIAS + "), is missing");
            }
        } catch (ConfigException e) {
            // already reported above
        }
        try {
            Path dir = value(ConfigKeys.KNOWLEDGE_DIR);
            if (dir != null && !Files.isDirectory(dir)) {
                problems.add(ConfigKeys.KNOWLEDGE_DIR.name() + ": expected an existing folder, was '" + dir + "'");
            }
            Path erpFile = value(ConfigKeys.ERP_FILE);
            if (erpFile != null && !Files.isRegularFile(erpFile)) {
                problems.add(ConfigKeys.ERP_FILE.name() + ": expected an existing file, was '" + erpFile + "'");
            }
            if (acknowledgement() instanceof Acknowledgement.MoveTo move
                    && move.folder().equals(value(ConfigKeys.IMAP_FOLDER))) {
                problems.add(ConfigKeys.IMAP_ACK.name() + ": cannot move mail into the folder it is read from ("
                        + move.folder() + ")");
            }
        } catch (ConfigException e) {
            // already reported above
        }
        return problems;
    }

    /** @throws ConfigException listing every problem, when there is any */
    default void validate() {
        List<String> problems = problems();
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
    }
}
