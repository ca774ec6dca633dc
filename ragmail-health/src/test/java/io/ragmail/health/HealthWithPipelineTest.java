package io.ragmail.health;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ragmail.core.EmailAddress;
import io.ragmail.core.MailAccount;
import io.ragmail.core.Pipeline;
import io.ragmail.core.RetryPolicy;
import io.ragmail.core.imap.ImapDraftsSink;
import io.ragmail.core.imap.ImapMailSource;
import io.ragmail.core.ledger.SqliteLedger;
import io.ragmail.core.smtp.SmtpMailSink;
import io.ragmail.testkit.FakeDrafter;
import io.ragmail.testkit.TestMailServer;
import org.jsoup.Jsoup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The health server fed by a real pipeline: GreenMail IMAP/SMTP, the real IMAP source and SMTP sink,
 * a SQLite ledger file, {@link FakeDrafter}. What the pipeline emits must show up in {@code /health},
 * {@code /metrics} and the dashboard, including an IMAP outage and its end.
 */
class HealthWithPipelineTest {

    static final String SUPPORT = "support@shop.example";
    static final String PASSWORD = "support-secret";
    static final String TOKEN = "pipeline-test-token-0123456789";

    final HttpClient http = HttpClient.newHttpClient();
    final ObjectMapper json = new ObjectMapper();

    @Test
    void what_the_pipeline_does_shows_in_health_metrics_and_dashboard(@TempDir Path dir) throws Exception {
        try (TestMailServer mail = new TestMailServer().start()) {
            mail.createUser(SUPPORT, PASSWORD);
            MailAccount imap = mail.imapAccount(SUPPORT, PASSWORD);
            try (SqliteLedger ledger = SqliteLedger.open(dir.resolve("ledger.db"));
                    ImapMailSource source = ImapMailSource.builder().account(imap).build();
                    HealthMonitor health = HealthMonitor.builder().ledger(ledger).dataDirectory(dir)
                            .components(java.util.List.of("imap", "smtp", "mistral", "knowledge", "ledger", "disk",
                                    "memory"))
                            .probeInterval(Duration.ofSeconds(1)).build();
                    HealthServer server = HealthServer.builder().monitor(health).port(0).token(TOKEN).build().start();
                    Pipeline pipeline = Pipeline.builder()
                            .source(source)
                            .withoutKnowledge()
                            .drafter(new FakeDrafter())
                            .sink(SmtpMailSink.builder().account(mail.smtpAccount()).sentFolder(imap, "Sent").build())
                            .reviewSink(ImapDraftsSink.builder().account(imap).build())
                            .ledger(ledger)
                            .from(EmailAddress.of(SUPPORT))
                            .pollWait(Duration.ofMillis(300))
                            .shutdownTimeout(Duration.ofSeconds(5))
                            .retryPolicy(RetryPolicy.builder().initialDelay(Duration.ofMillis(200))
                                    .maxDelay(Duration.ofSeconds(2)).build())
                            .listener(health)
                            .build()) {
                pipeline.start();
                mail.deliver("ada@customer.example", SUPPORT, "<b>Acetone</b> safety data sheet?",
                        "Could you send the safety data sheet for acetone?", Map.of());

                await().atMost(Duration.ofSeconds(60)).until(() -> health(server, "emails_processed").asLong() == 1);
                JsonNode body = json.readTree(get(server, "/health").body());
                assertThat(body.get("status").asText()).isEqualTo("healthy");
                assertThat(body.get("last_email").isNull()).isFalse();
                assertThat(body.get("components").get("imap").get("status").asText()).isEqualTo("up");
                assertThat(body.get("components").get("smtp").get("status").asText()).isEqualTo("up");
                assertThat(body.get("components").get("ledger").get("status").asText()).isEqualTo("up");

                var metrics = PrometheusText.parse(get(server, "/metrics").body());
                assertThat(metrics.get("ragmail_mails_received_total").value("ragmail_mails_received_total", Map.of()))
                        .isEqualTo(1);
                assertThat(metrics.get("ragmail_mails_total").value("ragmail_mails_total", Map.of("outcome", "sent")))
                        .isEqualTo(1);
                assertThat(metrics.get("ragmail_mail_processing_seconds")
                        .value("ragmail_mail_processing_seconds_count", Map.of("outcome", "sent"))).isEqualTo(1);

                var page = Jsoup.parse(get(server, "/").body());
                assertThat(page.select("#recent td.subj").eachText()).containsExactly("<b>Acetone</b> safety data sheet?");
                assertThat(page.select("#recent td.o-sent")).hasSize(1);
                assertThat(page.select("#recent").text()).contains("customer.example").doesNotContain("ada@");

                // the mail server goes away: IMAP down is unhealthy, and /health says so with 503
                mail.stop();
                await().atMost(Duration.ofSeconds(60)).until(() -> get(server, "/health").statusCode() == 503);
                body = json.readTree(get(server, "/health").body());
                assertThat(body.get("status").asText()).isEqualTo("unhealthy");
                assertThat(body.get("components").get("imap").get("status").asText()).isEqualTo("down");
                assertThat(body.get("components").get("imap").get("last_error").asText()).isNotBlank()
                        .doesNotContain(PASSWORD);
                assertThat(get(server, "/health/ready").statusCode()).isEqualTo(503);
                assertThat(get(server, "/health/live").statusCode()).isEqualTo(200);

                // and comes back
                mail.start();
                await().atMost(Duration.ofSeconds(90)).until(() -> get(server, "/health").statusCode() == 200);
                assertThat(health(server, "components").get("imap").get("status").asText()).isEqualTo("up");
            }
        }
    }

    private JsonNode health(HealthServer server, String field) throws Exception {
        return json.readTree(get(server, "/health").body()).get(field);
    }

    private HttpResponse<String> get(HealthServer server, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getPort() + path))
                .header("Authorization", "Bearer " + TOKEN).build(), HttpResponse.BodyHandlers.ofString());
    }
}
