package io.ragmail.config;

import io.ragmail.core.MailSecurity;
import io.ragmail.core.imap.Acknowledgement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigTest {

    @TempDir
    Path dir;

    static Map<String, String> minimal() {
        Map<String, String> m = new HashMap<>();
        m.put("ragmail.imap.host", "imap.example.com");
        m.put("ragmail.imap.user", "support@example.com");
        m.put("ragmail.imap.password", "imap-secret-1");
        m.put("ragmail.smtp.host", "smtp.example.com");
        m.put("ragmail.from", "support@example.com");
        return m;
    }

    @Test
    void a_map_is_a_configuration_and_unset_keys_take_the_named_defaults() {
        RagmailConfig config = minimal()::get;

        assertThat(config.problems()).isEmpty();
        assertThat(config.imapAccount()).isEqualTo(new io.ragmail.core.MailAccount("imap.example.com", 993, MailSecurity.SSL,
                "support@example.com", "imap-secret-1"));
        // SMTP login falls back to the IMAP one; STARTTLS on 587 by default
        assertThat(config.smtpAccount().port()).isEqualTo(587);
        assertThat(config.smtpAccount().user()).isEqualTo("support@example.com");
        assertThat(config.acknowledgement()).isEqualTo(Acknowledgement.keyword());
        assertThat(config.value(ConfigKeys.IMAP_BACKLOG)).isEqualTo(Backlog.SINCE_START);
        assertThat(config.value(ConfigKeys.ODOO_SYNC_INTERVAL)).isEqualTo(Duration.ofMinutes(10));
        assertThat(config.value(ConfigKeys.MODE)).isEqualTo("review");
        assertThat(config.dataDir()).isEqualTo(Path.of("data"));
        assertThat(config.logDir()).isEqualTo(Path.of("data", "logs"));
        assertThat(config.mistralApiKey()).isEmpty();
    }

    @Test
    void later_layers_win_properties_then_env_file_then_environment_then_flags() throws IOException {
        Path props = Files.writeString(dir.resolve("ragmail.properties"),
                "ragmail.imap.host=from-properties\nragmail.imap.folder=PropsFolder\nragmail.concurrency=2\nragmail.mode=send\n");
        Path env = Files.writeString(dir.resolve(".env"),
                "# comment\nRAGMAIL_IMAP_FOLDER=EnvFileFolder\nexport RAGMAIL_CONCURRENCY=\"3\"\nRAGMAIL_MODE=review\n");
        Files.setPosixFilePermissions(env, PosixFilePermissions.fromString("rw-------"));

        LayeredConfig config = LayeredConfig.builder().propertiesFile(props).envFile(env)
                .environment(Map.of("RAGMAIL_CONCURRENCY", "5", "RAGMAIL_MODE", "send", "PATH", "/usr/bin"))
                .flags(Map.of("ragmail.mode", "review"))
                .build();

        assertThat(config.get("ragmail.imap.host")).isEqualTo("from-properties");
        assertThat(config.origin("ragmail.imap.host")).isEqualTo(props.toString());
        assertThat(config.get("ragmail.imap.folder")).isEqualTo("EnvFileFolder");
        assertThat(config.origin("ragmail.imap.folder")).isEqualTo(env + " RAGMAIL_IMAP_FOLDER");
        assertThat(config.value(ConfigKeys.CONCURRENCY)).isEqualTo(5);
        assertThat(config.origin("ragmail.concurrency")).isEqualTo("environment RAGMAIL_CONCURRENCY");
        assertThat(config.get("ragmail.mode")).isEqualTo("review");
        assertThat(config.origin("ragmail.mode")).isEqualTo("command line");
        assertThat(config.origin("ragmail.data.dir")).isEqualTo("default");
        assertThat(config.warnings()).isEmpty();
    }

    @Test
    void mistral_api_key_is_read_from_MISTRAL_API_KEY_and_RAGMAIL_MISTRAL_API_KEY_wins() {
        LayeredConfig alias = LayeredConfig.builder().environment(Map.of("MISTRAL_API_KEY", "alias-key")).build();
        LayeredConfig both = LayeredConfig.builder()
                .environment(Map.of("MISTRAL_API_KEY", "alias-key", "RAGMAIL_MISTRAL_API_KEY", "own-key")).build();

        assertThat(alias.mistralApiKey()).contains("alias-key");
        assertThat(both.mistralApiKey()).contains("own-key");
    }

    @Test
    void an_env_file_readable_by_others_gives_a_warning_naming_chmod_600() throws IOException {
        Path env = Files.writeString(dir.resolve(".env"), "RAGMAIL_IMAP_PASSWORD=imap-secret-1\n");
        Files.setPosixFilePermissions(env, PosixFilePermissions.fromString("rw-r--r--"));

        LayeredConfig config = LayeredConfig.builder().envFile(env).build();

        assertThat(config.warnings()).containsExactly(
                env + " is readable by group or others and holds secrets; run: chmod 600 " + env);
        assertThat(String.join("\n", config.warnings())).doesNotContain("imap-secret-1");
    }

    @Test
    void unknown_keys_and_variables_are_warned_about_as_likely_typos() {
        LayeredConfig config = LayeredConfig.builder()
                .environment(Map.of("RAGMAIL_IMAP_HOTS", "x"))
                .flags(Map.of("ragmail.imap.hots", "y"))
                .build();

        assertThat(config.warnings()).containsExactlyInAnyOrder(
                "environment: unknown variable RAGMAIL_IMAP_HOTS ignored (see docs/configuration.md)",
                "command line: unknown key ragmail.imap.hots ignored (see docs/configuration.md)");
    }

    @Test
    void every_problem_is_reported_at_once_one_line_each_naming_the_key_and_what_is_expected() {
        Map<String, String> m = new HashMap<>();
        m.put("ragmail.imap.port", "abc");
        m.put("ragmail.imap.security", "tls");
        m.put("ragmail.imap.ack", "flag");
        m.put("ragmail.imap.backlog", "days:0");
        m.put("ragmail.imap.poll-interval", "30");
        m.put("ragmail.imap.idle", "maybe");
        m.put("ragmail.imap.max-message-size", "lots");
        m.put("ragmail.smtp.port", "70000");
        m.put("ragmail.from", "support");
        m.put("ragmail.mode", "auto");
        m.put("ragmail.confidence-threshold", "1.5");
        m.put("ragmail.mistral.base-url", "ftp://mistral");
        m.put("ragmail.concurrency", "0");
        m.put("ragmail.odoo.url", "https://odoo.example.com");
        m.put("ragmail.odoo.sync-interval", "1441");
        m.put("ragmail.health.port", "-1");
        m.put("ragmail.summary.time", "8am");
        m.put("ragmail.timezone", "Mars/Olympus");
        m.put("ragmail.knowledge.dir", dir.resolve("missing").toString());
        m.put("ragmail.alert.webhook", "not a url with token-123");
        RagmailConfig config = m::get;

        List<String> problems = config.problems();

        assertThat(problems).containsExactly(
                "ragmail.imap.port: expected a port number 1-65535, was 'abc'",
                "ragmail.imap.security: expected one of none, starttls, ssl, was 'tls'",
                "ragmail.imap.ack: expected seen, keyword, keyword:NAME or move:FOLDER, was 'flag'",
                "ragmail.imap.backlog: expected since-start, days:N (1-3650) or all, was 'days:0'",
                "ragmail.imap.poll-interval: expected a duration 1s-1h such as 30s, 10m or 2h, was '30'",
                "ragmail.imap.idle: expected true or false, was 'maybe'",
                "ragmail.imap.max-message-size: expected a size such as 10MB, 512KB or 1GB, at least 65536 bytes, was 'lots'",
                "ragmail.smtp.port: expected a port number 1-65535, was '70000'",
                "ragmail.from: expected an e-mail address such as support@example.com, was 'support'",
                "ragmail.mode: expected one of send, review, was 'auto'",
                "ragmail.confidence-threshold: expected a number 0-1, was '1.5'",
                "ragmail.mistral.base-url: expected an http or https URL, was 'ftp://mistral'",
                "ragmail.concurrency: expected a whole number 1-64, was '0'",
                "ragmail.odoo.sync-interval: expected a duration 1m-1d (a bare number counts in m), was '1441'",
                "ragmail.health.port: expected a port number 0-65535, was '-1'",
                "ragmail.timezone: expected a time zone such as Europe/Berlin or UTC, was 'Mars/Olympus'",
                "ragmail.alert.webhook: expected an http or https URL, was set (value not shown)",
                "ragmail.summary.time: expected a time of day such as 08:00, or off, was '8am'",
                "ragmail.imap.host: required (environment RAGMAIL_IMAP_HOST), is missing",
                "ragmail.imap.user: required (environment RAGMAIL_IMAP_USER), is missing",
                "ragmail.imap.password: required (environment RAGMAIL_IMAP_PASSWORD), is missing",
                "ragmail.smtp.host: required (environment RAGMAIL_SMTP_HOST), is missing",
                "ragmail.odoo.db: required when any ragmail.odoo setting is given (url, db, user, password), is missing",
                "ragmail.odoo.user: required when any ragmail.odoo setting is given (url, db, user, password), is missing",
                "ragmail.odoo.password: required when any ragmail.odoo setting is given (url, db, user, password), is missing",
                "ragmail.knowledge.dir: expected an existing folder, was '" + dir.resolve("missing") + "'");
        assertThat(String.join("\n", problems)).doesNotContain("token-123");
        assertThatThrownBy(config::validate).isInstanceOf(ConfigException.class)
                .satisfies(e -> assertThat(((ConfigException) e).problems()).isEqualTo(problems));
    }

    @Test
    void alerts_to_the_support_mailbox_are_refused_because_they_would_enter_the_customer_pipeline() {
        Map<String, String> m = minimal();
        m.put("ragmail.alert.to", "Support@Example.com");

        assertThat(((RagmailConfig) m::get).problems()).containsExactly(
                "ragmail.alert.to: must differ from ragmail.from, or alerts would enter the customer pipeline, was 'Support@Example.com'",
                "ragmail.alert.to: must not be the support mailbox (ragmail.imap.user), or alerts would be answered, was 'Support@Example.com'");
    }

    @Test
    void values_are_parsed_into_their_types() {
        Map<String, String> m = minimal();
        m.put("ragmail.imap.ack", "move:Done");
        m.put("ragmail.imap.backlog", "days:7");
        m.put("ragmail.odoo.sync-interval", "2h");
        m.put("ragmail.log.total-cap", "2GB");
        m.put("ragmail.summary.time", "off");
        m.put("ragmail.smtp.user", "none");
        m.put("ragmail.smtp.security", "ssl");
        RagmailConfig config = m::get;

        assertThat(config.acknowledgement()).isEqualTo(Acknowledgement.moveTo("Done"));
        assertThat(config.value(ConfigKeys.IMAP_BACKLOG)).isEqualTo(Backlog.days(7));
        assertThat(config.value(ConfigKeys.ODOO_SYNC_INTERVAL)).isEqualTo(Duration.ofHours(2));
        assertThat(config.value(ConfigKeys.LOG_TOTAL_CAP)).isEqualTo(2L * 1024 * 1024 * 1024);
        assertThat(config.value(ConfigKeys.SUMMARY_TIME)).isNull();
        assertThat(config.smtpAccount().authenticates()).isFalse();
        assertThat(config.smtpAccount().port()).isEqualTo(465);
    }

    @Test
    void secrets_display_only_as_set_or_unset() {
        assertThat(ConfigKeys.IMAP_PASSWORD.display("imap-secret-1")).isEqualTo("(set)");
        assertThat(ConfigKeys.IMAP_PASSWORD.display(null)).isEqualTo("(unset)");
        assertThat(ConfigKeys.IMAP_HOST.display("imap.example.com")).isEqualTo("imap.example.com");
        assertThat(ConfigKeys.all().stream().filter(ConfigKey::secret).map(ConfigKey::name)).containsExactlyInAnyOrder(
                "ragmail.imap.password", "ragmail.smtp.password", "ragmail.mistral.api-key", "ragmail.odoo.password",
                "ragmail.alert.webhook", "ragmail.health.token");
    }
}
