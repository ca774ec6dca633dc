package io.ragmail.daemon;

import io.ragmail.core.EmailAddress;
import io.ragmail.core.InboundMail;
import io.ragmail.core.MailKey;
import io.ragmail.core.ledger.MailState;
import io.ragmail.core.ledger.SqliteLedger;
import io.ragmail.daemon.runtime.Daemon;
import io.ragmail.daemon.runtime.DataDirLock;
import io.ragmail.testkit.TestMailServer;
import io.ragmail.testkit.mistral.FakeMistralServer;
import io.ragmail.testkit.odoo.FakeOdooServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class CommandLineTest {

    private static final String SUPPORT = "support@shop.example";
    private static final String PASSWORD = "imap-Pa55word-xyz";
    private static final String API_KEY = "sk-check-KEY-987654";

    @TempDir
    Path dir;

    private Map<String, String> env(TestMailServer mail) {
        Map<String, String> env = new HashMap<>();
        env.put("RAGMAIL_IMAP_HOST", "127.0.0.1");
        env.put("RAGMAIL_IMAP_PORT", Integer.toString(mail.imapPort()));
        env.put("RAGMAIL_IMAP_SECURITY", "none");
        env.put("RAGMAIL_IMAP_USER", SUPPORT);
        env.put("RAGMAIL_IMAP_PASSWORD", PASSWORD);
        env.put("RAGMAIL_SMTP_HOST", "127.0.0.1");
        env.put("RAGMAIL_SMTP_PORT", Integer.toString(mail.smtpPort()));
        env.put("RAGMAIL_SMTP_SECURITY", "none");
        env.put("RAGMAIL_SMTP_USER", "none");
        env.put("RAGMAIL_FROM", SUPPORT);
        env.put("RAGMAIL_DATA_DIR", dir.resolve("data").toString());
        return env;
    }

    private String[] noFiles(String... args) {
        String[] all = new String[args.length + 4];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--config";
        all[args.length + 1] = dir.resolve("none.properties").toString();
        all[args.length + 2] = "--env-file";
        all[args.length + 3] = dir.resolve("none.env").toString();
        return all;
    }

    @Test
    void run_with_a_wrong_configuration_lists_every_problem_and_exits_2_without_printing_secrets() {
        CliFixture cli = new CliFixture(Map.of("RAGMAIL_IMAP_PORT", "abc", "RAGMAIL_IMAP_PASSWORD", "hunter2-secret",
                "RAGMAIL_ALERT_WEBHOOK", "hooks.example/T0KEN-secret"));

        int exit = cli.run(noFiles("run"));

        assertThat(exit).isEqualTo(2);
        assertThat(cli.err()).contains("ragmail: ragmail.imap.port: expected a port number 1-65535, was 'abc'",
                "ragmail: ragmail.imap.host: required (environment RAGMAIL_IMAP_HOST), is missing",
                "ragmail: ragmail.alert.webhook: expected an http or https URL, was set (value not shown)",
                "configuration problems; see docs/configuration.md");
        assertThat(cli.err() + cli.out()).doesNotContain("hunter2-secret").doesNotContain("T0KEN-secret");
    }

    @Test
    void command_line_flags_win_over_the_env_file_and_the_environment() throws Exception {
        java.nio.file.Files.writeString(dir.resolve("my.env"), "RAGMAIL_MODE=send\nRAGMAIL_CONCURRENCY=2\n");
        java.nio.file.Files.setPosixFilePermissions(dir.resolve("my.env"), java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        CliFixture cli = new CliFixture(Map.of("RAGMAIL_CONCURRENCY", "3", "RAGMAIL_IMAP_PORT", "143"));

        int exit = cli.run("check-config", "--env-file", dir.resolve("my.env").toString(), "--config", dir.resolve("none").toString(),
                "-Dragmail.concurrency=0", "--set", "ragmail.imap.port=abc");

        assertThat(exit).isEqualTo(2);
        assertThat(cli.err()).contains("ragmail: ragmail.concurrency: expected a whole number 1-64, was '0'",
                "ragmail: ragmail.imap.port: expected a port number 1-65535, was 'abc'");
    }

    @Test
    void run_exits_4_naming_the_holder_pid_when_another_instance_holds_the_data_dir() throws Exception {
        try (TestMailServer mail = new TestMailServer().start();
             DataDirLock held = DataDirLock.acquire(Files.createDirectories(dir.resolve("data")))) {
            CliFixture cli = new CliFixture(env(mail));

            int exit = cli.run(noFiles("run"));

            assertThat(exit).isEqualTo(4);
            assertThat(cli.err()).contains("another ragmail (PID " + ProcessHandle.current().pid() + ") is running on data dir");
        }
    }

    @Test
    void run_exits_3_when_the_first_start_cannot_read_the_inbox_to_record_the_backlog_boundary() throws Exception {
        Map<String, String> env;
        try (TestMailServer mail = new TestMailServer().start()) {
            env = env(mail);
        } // stopped: nothing answers on its ports now
        env.put("RAGMAIL_HEALTH_PORT", "0");
        CliFixture cli = new CliFixture(env);

        int exit = cli.run(noFiles("run", "--no-console-log"));

        assertThat(exit).isEqualTo(3);
        assertThat(cli.err()).contains("ragmail: cannot start (imap): the first start must read INBOX");
        io.ragmail.daemon.logging.LoggingSetup.reset();
    }

    @Test
    void check_config_tries_every_connection_one_line_each_with_its_time_and_exits_0_when_all_pass() throws Exception {
        try (TestMailServer mail = new TestMailServer().start();
             FakeMistralServer mistral = FakeMistralServer.builder().apiKey(API_KEY).build();
             FakeOdooServer odoo = FakeOdooServer.builder().build()) {
            mail.createUser(SUPPORT, PASSWORD);
            Map<String, String> env = env(mail);
            env.put("MISTRAL_API_KEY", API_KEY);
            env.put("RAGMAIL_MISTRAL_BASE_URL", mistral.baseUrl());
            env.put("RAGMAIL_ODOO_URL", odoo.url());
            env.put("RAGMAIL_ODOO_DB", odoo.database());
            env.put("RAGMAIL_ODOO_USER", "admin");
            env.put("RAGMAIL_ODOO_PASSWORD", "admin");
            env.put("RAGMAIL_KNOWLEDGE_DIR", Files.createDirectories(dir.resolve("kb")).toString());
            Files.writeString(dir.resolve("kb/faq.md"), "# FAQ\nWe ship in 2 days.");
            CliFixture cli = new CliFixture(env);

            int exit = cli.run(noFiles("check-config"));

            assertThat(cli.out()).containsPattern("ok    imap login support@shop.example@127.0.0.1:\\d+ folder INBOX: 0 mails, 0 unread \\(\\d+ ms\\)")
                    .containsPattern("ok    smtp login 127.0.0.1:\\d+: ok \\(\\d+ ms\\)")
                    .containsPattern("ok    odoo authenticate 127.0.0.1 db \\S+: uid \\d+, Odoo .* \\(\\d+ ms\\)")
                    .containsPattern("ok    mistral 127.0.0.1 model mistral-small-latest: key accepted .* \\(\\d+ ms\\)")
                    .containsPattern("ok    knowledge dir readable .*: 1 readable files \\(\\d+ ms\\)")
                    .containsPattern("ok    data dir writable .* \\(\\d+ ms\\)")
                    .contains("warn  sender verification: ragmail.imap.authserv-id is not set")
                    .contains("ragmail.imap.password                  (set)  [environment RAGMAIL_IMAP_PASSWORD]")
                    .contains("ragmail.mistral.api-key                (set)  [environment MISTRAL_API_KEY]")
                    .contains("ragmail.smtp.password                  (unset)")
                    .contains("all checks passed");
            assertThat(cli.out() + cli.err()).doesNotContain(PASSWORD).doesNotContain(API_KEY);
            assertThat(exit).isZero();
        }
    }

    @Test
    void check_config_fails_with_exit_1_when_a_login_is_refused_or_a_key_is_wrong() throws Exception {
        try (TestMailServer mail = new TestMailServer().start();
             FakeMistralServer mistral = FakeMistralServer.builder().apiKey(API_KEY).build()) {
            mail.createUser(SUPPORT, "another-password");
            Map<String, String> env = env(mail);
            env.put("RAGMAIL_MISTRAL_API_KEY", "sk-wrong-key-000");
            env.put("RAGMAIL_MISTRAL_BASE_URL", mistral.baseUrl());
            CliFixture cli = new CliFixture(env);

            int exit = cli.run(noFiles("check-config"));

            assertThat(exit).isEqualTo(1);
            assertThat(cli.out()).containsPattern("FAIL  imap login .*\\(\\d+ ms\\)")
                    .containsPattern("FAIL  mistral .*: API key refused \\(HTTP 401\\) \\(\\d+ ms\\)")
                    .contains("2 checks failed")
                    .doesNotContain(PASSWORD).doesNotContain("sk-wrong-key-000");
        }
    }

    @Test
    void queue_lists_shows_retries_and_drops_failed_mail_in_the_ledger() {
        Path data = dir.resolve("data");
        MailKey first = new MailKey(SUPPORT + "/INBOX", "<f1@customers.example>");
        MailKey second = new MailKey(SUPPORT + "/INBOX", "<f2@customers.example>");
        try (SqliteLedger ledger = SqliteLedger.open(dir.resolve("data").resolve(Daemon.LEDGER_FILE))) {
            for (MailKey key : new MailKey[] {first, second}) {
                ledger.admit(InboundMail.builder().key(key).from(EmailAddress.of("ada@customers.example")).subject("Broken " + key.messageId())
                        .text("x").build(), Instant.now());
                ledger.markDead(key, "smtp: 550 mailbox unavailable", Instant.now());
            }
        }
        CliFixture cli = new CliFixture(Map.of("RAGMAIL_DATA_DIR", data.toString()));

        assertThat(cli.run(noFiles("queue", "list"))).isZero();
        assertThat(cli.out()).contains("2 failed mails", "support@shop.example/INBOX|<f1@customers.example>", "smtp: 550 mailbox unavailable");

        assertThat(cli.run(noFiles("queue", "show", "<f1@customers.example>"))).isZero();
        assertThat(cli.out()).contains("state:     DEAD", "history:", "-> DEAD");

        assertThat(cli.run(noFiles("queue", "drop", "<f2@customers.example>"))).isZero();
        assertThat(cli.run(noFiles("queue", "list"))).isZero();
        assertThat(cli.out()).contains("1 failed mail").doesNotContain("<f2@");
        assertThat(cli.run(noFiles("queue", "drop", "<f2@customers.example>"))).as("dropped already").isEqualTo(1);

        assertThat(cli.run(noFiles("queue", "retry", "--all"))).isZero();
        assertThat(cli.out()).contains("1 mail put back into processing");
        try (SqliteLedger ledger = SqliteLedger.open(data.resolve(Daemon.LEDGER_FILE))) {
            assertThat(ledger.find(first).orElseThrow().state()).isEqualTo(MailState.RETRY);
            assertThat(ledger.find(second).orElseThrow().state()).isEqualTo(MailState.SKIPPED);
            assertThat(ledger.find(second).orElseThrow().reason()).isEqualTo("dropped by an operator (ragmail queue drop)");
        }

        assertThat(cli.run(noFiles("queue", "retry", "<nope@x>"))).isEqualTo(1);
        assertThat(cli.err()).contains("no mail <nope@x> in the ledger");
    }

    @Test
    void queue_retry_works_while_the_daemon_runs_and_the_daemon_answers_the_retried_mail() throws Exception {
        try (TestMailServer mail = new TestMailServer().start();
             FakeMistralServer mistral = FakeMistralServer.builder().apiKey(API_KEY).replyWith(
                     "{\"reply\":\"Hello, acetone is in stock.\",\"language\":\"en\",\"confidence\":0.9,\"used_sources\":[],"
                             + "\"needs_human\":false,\"reason\":\"\"}").build()) {
            mail.createUser(SUPPORT, PASSWORD);
            mistral.enqueue(new io.ragmail.testkit.mistral.MistralFault.Status(422,
                    "{\"object\":\"error\",\"message\":\"invalid\",\"type\":\"invalid_request_error\"}"));
            Map<String, String> env = env(mail);
            env.put("RAGMAIL_HEALTH_PORT", "0");
            env.put("RAGMAIL_IMAP_POLL_INTERVAL", "1s");
            env.put("RAGMAIL_MISTRAL_API_KEY", API_KEY);
            env.put("RAGMAIL_MISTRAL_BASE_URL", mistral.baseUrl());
            Map<String, String> props = new HashMap<>();
            env.forEach((k, v) -> io.ragmail.config.ConfigKeys.byEnvName(k).ifPresent(key -> props.put(key.name(), v)));
            try (Daemon daemon = Daemon.builder().config(props::get).build()) {
                daemon.start();
                mail.deliver("Ada <ada@customers.example>", SUPPORT, "Refused once", "Do you have acetone?", Map.of());
                CliFixture cli = new CliFixture(env);
                long end = System.nanoTime() + 60_000_000_000L;
                while (!(cli.run(noFiles("queue", "list")) == 0 && cli.out().startsWith("1 failed mail"))) {
                    assertThat(System.nanoTime()).as("the mail fails").isLessThan(end);
                    Thread.sleep(100);
                }

                assertThat(cli.run(noFiles("queue", "retry", "--all"))).isZero();

                while (mail.received("ada@customers.example").isEmpty() && mail.messages(SUPPORT, "Drafts").isEmpty()) {
                    assertThat(System.nanoTime()).as("the retried mail is answered by the running daemon").isLessThan(end);
                    Thread.sleep(100);
                }
                assertThat(cli.run(noFiles("queue", "list"))).isZero();
                assertThat(cli.out()).startsWith("0 failed mails");
            }
        }
    }

    @Test
    void status_prints_the_running_daemons_health_for_a_person() throws Exception {
        try (TestMailServer mail = new TestMailServer().start()) {
            mail.createUser(SUPPORT, PASSWORD);
            Map<String, String> env = env(mail);
            env.put("RAGMAIL_HEALTH_PORT", "0");
            env.put("RAGMAIL_SUMMARY_TIME", "off");
            env.put("RAGMAIL_BACKUP_TIME", "off");
            Map<String, String> props = new HashMap<>();
            env.forEach((k, v) -> io.ragmail.config.ConfigKeys.byEnvName(k).ifPresent(key -> props.put(key.name(), v)));
            try (Daemon daemon = Daemon.builder().config(props::get).build()) {
                daemon.start();
                CliFixture cli = new CliFixture(env);

                int exit = cli.run(noFiles("status", "--url", "http://127.0.0.1:" + daemon.healthPort() + "/health"));

                assertThat(exit).isZero();
                assertThat(cli.out()).contains("ragmail is healthy, up ", "components:", "imap", "failed-mail queue: 0",
                        "backlog: since-start since first start");

                // with a token, /health needs it and status sends it
                env.put("RAGMAIL_HEALTH_TOKEN", "a-long-health-token-123");
            }
            props.put("ragmail.health.token", "a-long-health-token-123");
            try (Daemon daemon = Daemon.builder().config(props::get).build()) {
                daemon.start();
                String url = "http://127.0.0.1:" + daemon.healthPort() + "/health";
                var http = java.net.http.HttpClient.newHttpClient();
                assertThat(http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).build(),
                        java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(401);
                CliFixture cli = new CliFixture(env);
                assertThat(cli.run(noFiles("status", "--url", url))).isZero();
                assertThat(cli.out()).contains("ragmail is healthy").doesNotContain("a-long-health-token-123");
            }
            CliFixture cli = new CliFixture(env);
            assertThat(cli.run(noFiles("status", "--url", "http://127.0.0.1:1/health"))).isEqualTo(3);
        }
    }
}
