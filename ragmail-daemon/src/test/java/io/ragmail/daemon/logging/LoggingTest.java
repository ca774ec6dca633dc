package io.ragmail.daemon.logging;

import io.ragmail.config.RagmailConfig;
import io.ragmail.testkit.TestMailServer;
import io.ragmail.testkit.mistral.FakeMistralServer;
import io.ragmail.testkit.odoo.FakeOdooServer;
import io.ragmail.daemon.runtime.Daemon;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

class LoggingTest {

    private static final String SUPPORT = "support@shop.example";
    private static final String PASSWORD = "imap-Pa55word-LOGTEST";
    private static final String API_KEY = "sk-LOGTEST-api-key-42";
    private static final String ODOO_PASSWORD = "odoo-LOGTEST-wrong";
    private static final String WEBHOOK_TOKEN = "T0KEN-LOGTEST-77";

    @TempDir
    Path dir;

    @AfterEach
    void restoreLogging() {
        LoggingSetup.reset();
    }

    @Test
    void a_running_daemon_never_writes_the_configured_password_or_api_key_into_any_log_file() throws Exception {
        try (TestMailServer mail = new TestMailServer().start();
             FakeMistralServer mistral = FakeMistralServer.builder().apiKey(API_KEY).replyWith(
                     "{\"reply\":\"Hello, acetone is in stock.\",\"language\":\"en\",\"confidence\":0.9,\"used_sources\":[],"
                             + "\"needs_human\":false,\"reason\":\"\"}").build();
             FakeOdooServer odoo = FakeOdooServer.builder().build()) {
            mail.createUser(SUPPORT, PASSWORD);
            mail.createUser("ops@shop.example", "ops");
            Map<String, String> m = new HashMap<>();
            m.put("ragmail.imap.host", "127.0.0.1");
            m.put("ragmail.imap.port", Integer.toString(mail.imapPort()));
            m.put("ragmail.imap.security", "none");
            m.put("ragmail.imap.user", SUPPORT);
            m.put("ragmail.imap.password", PASSWORD);
            m.put("ragmail.imap.poll-interval", "1s");
            m.put("ragmail.smtp.host", "127.0.0.1");
            m.put("ragmail.smtp.port", Integer.toString(mail.smtpPort()));
            m.put("ragmail.smtp.security", "none");
            m.put("ragmail.from", SUPPORT); // SMTP logs in with the IMAP password: GreenMail accepts it
            m.put("ragmail.mode", "send");
            m.put("ragmail.mistral.api-key", API_KEY);
            m.put("ragmail.mistral.base-url", mistral.baseUrl());
            m.put("ragmail.odoo.url", odoo.url());
            m.put("ragmail.odoo.db", odoo.database());
            m.put("ragmail.odoo.user", "admin");
            m.put("ragmail.odoo.password", "admin");
            m.put("ragmail.alert.to", "ops@shop.example");
            m.put("ragmail.alert.webhook", "http://127.0.0.1:1/hooks/" + WEBHOOK_TOKEN); // unreachable: errors are logged
            m.put("ragmail.data.dir", dir.resolve("data").toString());
            m.put("ragmail.health.port", "0");
            m.put("ragmail.summary.time", "off");
            m.put("ragmail.backup.time", "off");
            m.put("ragmail.log.level", "debug");
            m.put("ragmail.log.json", "true");
            RagmailConfig config = m::get;
            Path logs = LoggingSetup.configure(config, false);
            // the unclean-stop alert goes out through both channels, so the webhook failure is logged
            Files.createDirectories(dir.resolve("data"));
            Files.writeString(dir.resolve("data").resolve(Daemon.RUNNING_MARKER), "pid=1\n");

            try (Daemon daemon = Daemon.builder().config(config).build()) {
                daemon.start();
                mail.deliver("Ada <ada@customers.example>", SUPPORT, "Acetone?", "Do you have acetone? My password is not here.", Map.of());
                long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (mail.received("ada@customers.example").isEmpty() && mail.messages(SUPPORT, "Drafts").isEmpty()
                        && System.nanoTime() < end) {
                    Thread.sleep(100);
                }
                LoggerFactory.getLogger("third.party").error("a library that puts a secret into a message: " + PASSWORD + " " + API_KEY);
            }
            LoggingSetup.reset();

            String all = readAll(logs);
            assertThat(all).contains("ragmail running", "ALERT unclean-stop", "****");
            assertThat(all).doesNotContain(PASSWORD).doesNotContain(API_KEY).doesNotContain(ODOO_PASSWORD).doesNotContain(WEBHOOK_TOKEN);
            assertThat(logs.resolve(LoggingSetup.ERROR_FILE)).content().contains("ALERT unclean-stop").doesNotContain("DEBUG");
            assertThat(logs.resolve(LoggingSetup.JSON_FILE)).content().startsWith("{");
        }
    }

    @Test
    void logs_never_exceed_a_tiny_total_cap() throws Exception {
        Map<String, String> m = new HashMap<>();
        m.put("ragmail.log.dir", dir.resolve("logs").toString());
        m.put("ragmail.log.max-file-size", "2KB");
        m.put("ragmail.log.total-cap", "16KB");
        RagmailConfig config = m::get;
        Path logs = LoggingSetup.configure(config, false);
        Logger log = LoggerFactory.getLogger("flood");
        String line = "x".repeat(200);

        for (int i = 0; i < 5_000; i++) { // about 1 MB
            log.warn("{} {}", i, line);
        }
        // old archives are removed by logback's clean-up task after each roll-over
        long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (size(logs) > 16 * 1024 && System.nanoTime() < end) {
            Thread.sleep(100);
        }

        assertThat(size(logs)).isLessThanOrEqualTo(16 * 1024);
        assertThat(logs.resolve(LoggingSetup.MAIN_FILE)).exists();
    }

    private static long size(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            long total = 0;
            for (Path f : files.toList()) {
                total += Files.isRegularFile(f) ? Files.size(f) : 0;
            }
            return total;
        }
    }

    private static String readAll(Path dir) throws IOException {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                if (f.toString().endsWith(".gz")) {
                    try (InputStream in = new GZIPInputStream(Files.newInputStream(f))) {
                        all.append(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                    }
                } else {
                    all.append(Files.readString(f, StandardCharsets.UTF_8));
                }
            }
        }
        return all.toString();
    }

    @SuppressWarnings("unused")
    private static final List<String> NOTE = List.of("the log folder is read whole: rolled archives are searched too");
}
