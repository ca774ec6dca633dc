package io.ragmail.daemon;

import io.ragmail.core.ledger.MailState;
import io.ragmail.core.ledger.SqliteLedger;
import io.ragmail.daemon.runtime.Daemon;
import io.ragmail.testkit.TestMailServer;
import io.ragmail.testkit.mistral.FakeMistralServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code ragmail run} as its own process, stopped by real signals while a mail is in flight. */
class SignalTest {

    private static final String SUPPORT = "support@shop.example";
    private static final String DRAFT = "{\"reply\":\"Hello, acetone is in stock.\",\"language\":\"en\",\"confidence\":0.9,"
            + "\"used_sources\":[],\"needs_human\":false,\"reason\":\"\"}";

    @TempDir
    Path data;

    private Process start(TestMailServer mail, FakeMistralServer mistral) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", System.getProperty("java.class.path"), RagmailCli.class.getName(), "run", "--no-console-log",
                "--env-file", data.resolve("none.env").toString(), "--config", data.resolve("none.properties").toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(data.resolve("console.txt").toFile());
        Map<String, String> env = pb.environment();
        env.put("RAGMAIL_IMAP_HOST", "127.0.0.1");
        env.put("RAGMAIL_IMAP_PORT", Integer.toString(mail.imapPort()));
        env.put("RAGMAIL_IMAP_SECURITY", "none");
        env.put("RAGMAIL_IMAP_USER", SUPPORT);
        env.put("RAGMAIL_IMAP_PASSWORD", "signal-Pa55");
        env.put("RAGMAIL_IMAP_POLL_INTERVAL", "1s");
        env.put("RAGMAIL_SMTP_HOST", "127.0.0.1");
        env.put("RAGMAIL_SMTP_PORT", Integer.toString(mail.smtpPort()));
        env.put("RAGMAIL_SMTP_SECURITY", "none");
        env.put("RAGMAIL_SMTP_USER", "none");
        env.put("RAGMAIL_FROM", SUPPORT);
        env.put("RAGMAIL_MODE", "send");
        env.put("RAGMAIL_MISTRAL_API_KEY", "signal-key");
        env.put("RAGMAIL_MISTRAL_BASE_URL", mistral.baseUrl());
        env.put("RAGMAIL_DATA_DIR", data.toString());
        env.put("RAGMAIL_HEALTH_PORT", "0");
        Process process = pb.start();
        // mail must arrive after the first start, or ragmail.imap.backlog=since-start leaves it to a person
        Path log = data.resolve("logs/ragmail.log");
        long end = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!(Files.exists(log) && Files.readString(log).contains("ragmail running"))) {
            assertThat(process.isAlive()).as("daemon alive; see %s", data.resolve("console.txt")).isTrue();
            assertThat(System.nanoTime()).as("waiting for the daemon to run").isLessThan(end);
            Thread.sleep(100);
        }
        return process;
    }

    private MailState stateOfOnlyMail() {
        Path file = data.resolve(Daemon.LEDGER_FILE);
        if (!Files.exists(file)) {
            return null;
        }
        try (SqliteLedger ledger = SqliteLedger.open(file)) {
            for (MailState s : MailState.values()) {
                if (!ledger.inState(s, 1).isEmpty()) {
                    return s;
                }
            }
            return null;
        }
    }

    private void awaitState(MailState state, Process daemon) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (stateOfOnlyMail() != state) {
            assertThat(daemon.isAlive()).as("daemon alive; see %s", data.resolve("console.txt")).isTrue();
            assertThat(System.nanoTime()).as("waiting for %s", state).isLessThan(end);
            Thread.sleep(50);
        }
    }

    @Test
    void sigterm_finishes_the_mail_in_flight_closes_everything_and_exits_0() throws Exception {
        try (TestMailServer mail = new TestMailServer().start();
             FakeMistralServer mistral = FakeMistralServer.builder().apiKey("signal-key").replyWith(DRAFT)
                     .latency(Duration.ofSeconds(3)).build()) {
            mail.createUser(SUPPORT, "signal-Pa55");
            Process daemon = start(mail, mistral);
            try {
                mail.deliver("Ada <ada@customers.example>", SUPPORT, "In flight", "Do you have acetone?", Map.of());
                awaitState(MailState.DRAFTING, daemon);

                daemon.destroy(); // SIGTERM

                assertThat(daemon.waitFor(60, TimeUnit.SECONDS)).isTrue();
                assertThat(daemon.exitValue()).isZero();
                assertThat(stateOfOnlyMail()).isIn(MailState.SENT, MailState.REVIEW);
                assertThat(mail.received("ada@customers.example").size() + mail.messages(SUPPORT, "Drafts").size()).isEqualTo(1);
                assertThat(data.resolve(Daemon.RUNNING_MARKER)).doesNotExist();
                assertThat(data.resolve("logs/ragmail.log")).content().contains("SIGTERM received: stopping gracefully", "stopped cleanly");
            } finally {
                daemon.destroyForcibly();
            }
        }
    }

    @Test
    void a_second_sigterm_exits_at_once_and_the_next_start_finishes_the_mail_without_answering_it_twice() throws Exception {
        try (TestMailServer mail = new TestMailServer().start();
             FakeMistralServer mistral = FakeMistralServer.builder().apiKey("signal-key").replyWith(DRAFT)
                     .latency(Duration.ofSeconds(20)).build()) {
            mail.createUser(SUPPORT, "signal-Pa55");
            Process daemon = start(mail, mistral);
            try {
                mail.deliver("Ada <ada@customers.example>", SUPPORT, "Interrupted", "Do you have acetone?", Map.of());
                awaitState(MailState.DRAFTING, daemon);

                daemon.destroy();
                Thread.sleep(500);
                daemon.destroy();

                assertThat(daemon.waitFor(10, TimeUnit.SECONDS)).as("exits at once, not after the 20 s model call").isTrue();
                assertThat(daemon.exitValue()).isEqualTo(130);
                assertThat(stateOfOnlyMail()).isEqualTo(MailState.DRAFTING);
            } finally {
                daemon.destroyForcibly();
            }
            mistral.latency(Duration.ZERO);
            Process again = start(mail, mistral);
            try {
                awaitState(MailState.SENT, again);
                assertThat(mail.received("ada@customers.example")).hasSize(1);
                assertThat(Files.readString(data.resolve("logs/ragmail.log"))).contains("the previous run did not stop cleanly");
            } finally {
                again.destroy();
                again.waitFor(60, TimeUnit.SECONDS);
            }
        }
    }
}
