package io.ragmail.config;

import io.ragmail.core.EmailAddress;
import io.ragmail.core.ErpRecord;
import io.ragmail.core.Pipeline;
import io.ragmail.core.SenderIdentity;
import io.ragmail.core.ledger.MailState;
import io.ragmail.core.ledger.SqliteLedger;
import io.ragmail.core.mistral.MistralDrafter;
import io.ragmail.core.template.TemplateDrafter;
import io.ragmail.testkit.TestMailServer;
import io.ragmail.testkit.TestMessage;
import io.ragmail.testkit.mistral.FakeMistralServer;
import io.ragmail.testkit.mistral.RecordedChatRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A host application gives {@link RagmailComponents} the same keys the daemon reads, as a plain map,
 * and gets the same pipeline: real IMAP and SMTP (GreenMail), the real SQLite ledger and Lucene index
 * with the in-process model, and the real Mistral drafter against the Mistral-compatible fake.
 */
class RagmailComponentsTest {

    static final String SUPPORT = "support@shop.example";
    static final String PASSWORD = "imap-Pa55word-xyz";
    static final String CUSTOMER = "ada@customers.example";
    static final String API_KEY = "sk-config-KEY-1234567890";
    static final String DRAFT_JSON = "{\"reply\":\"Hello Ada, yes: we ship within 2 working days.\",\"language\":\"en\","
            + "\"confidence\":0.95,\"used_sources\":[\"file:shipping.md\"],\"needs_human\":false,\"reason\":\"\"}";
    static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    final TestMailServer mail = new TestMailServer().start();
    final FakeMistralServer mistral = FakeMistralServer.builder().apiKey(API_KEY).replyWith(DRAFT_JSON).build();

    @AfterEach
    void stop() {
        mistral.close();
        mail.close();
    }

    Map<String, String> keys() throws IOException {
        mail.createUser(SUPPORT, PASSWORD);
        Path knowledge = Files.createDirectories(dir.resolve("knowledge"));
        Files.writeString(knowledge.resolve("shipping.md"), "# Shipping\nWe ship every order within 2 working days.");
        Map<String, String> keys = new HashMap<>();
        keys.put("ragmail.imap.host", "127.0.0.1");
        keys.put("ragmail.imap.port", Integer.toString(mail.imapPort()));
        keys.put("ragmail.imap.security", "none");
        keys.put("ragmail.imap.user", SUPPORT);
        keys.put("ragmail.imap.password", PASSWORD);
        keys.put("ragmail.imap.poll-interval", "1s");
        keys.put("ragmail.smtp.host", "127.0.0.1");
        keys.put("ragmail.smtp.port", Integer.toString(mail.smtpPort()));
        keys.put("ragmail.smtp.security", "none");
        keys.put("ragmail.smtp.user", "none");
        keys.put("ragmail.from", SUPPORT);
        keys.put("ragmail.mode", "send");
        keys.put("ragmail.mistral.api-key", API_KEY);
        keys.put("ragmail.mistral.base-url", mistral.baseUrl());
        keys.put("ragmail.mistral.requests-per-second", "100");
        keys.put("ragmail.knowledge.dir", knowledge.toString());
        keys.put("ragmail.data.dir", dir.resolve("data").toString());
        return keys;
    }

    @Test
    void keys_from_a_plain_map_build_a_pipeline_that_answers_a_customer_from_the_knowledge_folder() throws IOException {
        Map<String, String> keys = keys();
        RagmailConfig config = keys::get;

        try (RagmailComponents ragmail = RagmailComponents.open(config)) {
            Pipeline pipeline = ragmail.startPipeline();
            mail.deliver("Ada <" + CUSTOMER + ">", SUPPORT, "Shipping time", "How long does shipping take?", Map.of());

            await().atMost(WAIT).until(() -> !mail.received(CUSTOMER).isEmpty());
            TestMessage reply = mail.received(CUSTOMER).get(0);
            assertThat(reply.subject()).isEqualTo("Re: Shipping time");
            assertThat(reply.header("From")).hasValueSatisfying(from -> assertThat(from).contains(SUPPORT));
            assertThat(reply.text()).contains("we ship within 2 working days");
            assertThat(ragmail.drafter()).isInstanceOf(MistralDrafter.class);
            assertThat(ragmail.firstIngest()).hasValueSatisfying(r -> assertThat(r.added()).hasSize(1));
            // the drafter was given the passage from the configured knowledge folder
            assertThat(mistral.requests()).hasSize(1);
            assertThat(mistral.requests().get(0).firstUser()).contains("We ship every order within 2 working days");
            await().atMost(WAIT).until(() -> ragmail.ledger().countByState().getOrDefault(MailState.SENT, 0L) == 1L);
            assertThat(pipeline.isRunning()).isTrue();
        }
        // closed: the ledger file is released and tells the same story to the next reader
        try (SqliteLedger ledger = SqliteLedger.open(dir.resolve("data").resolve(RagmailComponents.LEDGER_FILE))) {
            assertThat(ledger.countByState()).containsEntry(MailState.SENT, 1L);
        }
    }

    @Test
    void without_a_mistral_key_and_in_review_mode_the_template_drafter_files_the_reply_in_drafts_and_sends_nothing()
            throws IOException {
        Map<String, String> keys = keys();
        keys.remove("ragmail.mistral.api-key");
        keys.put("ragmail.mode", "review");

        try (RagmailComponents ragmail = RagmailComponents.open(keys::get)) {
            ragmail.startPipeline();
            mail.deliver("Ada <" + CUSTOMER + ">", SUPPORT, "Invoice copy", "Could you send me my last invoice?", Map.of());

            await().atMost(WAIT).until(() -> ragmail.ledger().countByState().getOrDefault(MailState.REVIEW, 0L) == 1L);
            assertThat(ragmail.drafter()).isInstanceOf(TemplateDrafter.class);
            assertThat(mail.messages(SUPPORT, "Drafts")).extracting(TestMessage::subject).containsExactly("Re: Invoice copy");
            assertThat(mail.received(CUSTOMER)).isEmpty();
            assertThat(mistral.requestCount()).isZero();
        }
    }

    @Test
    void a_bad_value_is_named_in_one_line_with_what_was_expected_and_nothing_is_opened() throws IOException {
        Map<String, String> keys = keys();
        keys.put("ragmail.imap.port", "99999");
        keys.put("ragmail.health.token", "short-secret"); // a secret: its value must not be shown

        assertThatThrownBy(() -> RagmailComponents.open(keys::get))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.problems()).containsExactlyInAnyOrder(
                            "ragmail.imap.port: expected a port number 1-65535, was '99999'",
                            "ragmail.health.token: expected at least 16 characters, was set (value not shown)");
                    assertThat(e.getMessage()).doesNotContain("short-secret").doesNotContain(PASSWORD).doesNotContain(API_KEY);
                });
        assertThat(dir.resolve("data")).doesNotExist();
    }

    @Test
    void a_german_mail_is_also_searched_with_mistrals_english_rewrite_unless_translate_queries_is_off() throws IOException {
        // the drafter asks in JSON mode, the query rewriter in plain text
        mistral.replyWith(request -> request.jsonMode() ? DRAFT_JSON : "How long does shipping take?");
        Map<String, String> keys = keys();

        try (RagmailComponents ragmail = RagmailComponents.open(keys::get)) {
            ragmail.startPipeline();
            mail.deliver("Ada <" + CUSTOMER + ">", SUPPORT, "Lieferzeit", "Guten Tag, wie lange dauert die Lieferung bei Ihnen?", Map.of());

            await().atMost(WAIT).until(() -> mistral.requests().stream().anyMatch(RecordedChatRequest::jsonMode));
            assertThat(mistral.requests()).filteredOn(r -> !r.jsonMode()).singleElement()
                    .satisfies(r -> assertThat(r.lastUser()).contains("wie lange dauert die Lieferung"));
        }

        mistral.reset();
        keys.put("ragmail.knowledge.translate-queries", "false");
        keys.put("ragmail.data.dir", dir.resolve("data-without").toString());
        try (RagmailComponents ragmail = RagmailComponents.open(keys::get)) {
            ragmail.startPipeline();
            mail.deliver("Ada <" + CUSTOMER + ">", SUPPORT, "Lieferzeit 2", "Guten Tag, wie lange dauert die Lieferung nach Wien?", Map.of());

            await().atMost(WAIT).until(() -> mistral.requests().stream().anyMatch(RecordedChatRequest::jsonMode));
            assertThat(mistral.requests()).allMatch(RecordedChatRequest::jsonMode);
        }
    }

    @Test
    void a_customer_file_gives_a_verified_sender_their_own_orders_and_nobody_else_anything() throws IOException {
        Map<String, String> keys = keys();
        Path customers = Files.writeString(dir.resolve("customers.json"), "{\"customers\": [{\"id\": \"C-1\", "
                + "\"name\": \"Ada Lovelace\", \"emails\": [\"" + CUSTOMER + "\"], \"records\": [{\"kind\": \"order\", "
                + "\"reference\": \"S00042\", \"fields\": {\"status\": \"shipped\"}}]}]}");
        keys.put("ragmail.erp.file", customers.toString());

        try (RagmailComponents ragmail = RagmailComponents.open(keys::get)) {
            assertThat(ragmail.erp().factsFor(new SenderIdentity(EmailAddress.of(CUSTOMER), true, "")))
                    .hasValueSatisfying(facts -> assertThat(facts.records()).extracting(ErpRecord::reference).containsExactly("S00042"));
            assertThat(ragmail.erp().factsFor(new SenderIdentity(EmailAddress.of("eve@elsewhere.example"), true, ""))).isEmpty();
        }
    }

    @Test
    void a_customer_file_that_is_missing_broken_or_set_beside_odoo_is_named_in_one_line() throws IOException {
        Map<String, String> keys = keys();
        keys.put("ragmail.erp.file", dir.resolve("missing.json").toString());
        assertThatThrownBy(() -> RagmailComponents.open(keys::get)).isInstanceOfSatisfying(ConfigException.class,
                e -> assertThat(e.problems()).containsExactly(
                        "ragmail.erp.file: expected an existing file, was '" + dir.resolve("missing.json") + "'"));

        keys.put("ragmail.erp.file", Files.writeString(dir.resolve("broken.json"), "{\"customers\": [").toString());
        assertThatThrownBy(() -> RagmailComponents.open(keys::get)).isInstanceOfSatisfying(ConfigException.class,
                e -> assertThat(e.problems()).singleElement().asString()
                        .startsWith("ragmail.erp.file: ").contains("broken.json"));

        keys.put("ragmail.odoo.url", "https://odoo.example");
        keys.put("ragmail.odoo.db", "prod");
        keys.put("ragmail.odoo.user", "ragmail");
        keys.put("ragmail.odoo.password", "odoo-secret-123");
        assertThatThrownBy(() -> RagmailComponents.open(keys::get)).isInstanceOfSatisfying(ConfigException.class,
                e -> assertThat(e.problems()).containsExactly(
                        "ragmail.erp.file: set either ragmail.odoo.* or ragmail.erp.file, not both"));
    }

    @Test
    void the_same_keys_from_a_dot_env_file_and_the_environment_give_the_same_settings_with_the_environment_winning()
            throws IOException {
        Map<String, String> keys = keys();
        StringBuilder dotEnv = new StringBuilder();
        keys.forEach((name, value) -> dotEnv.append(ConfigKey.envName(name)).append('=').append(value).append('\n'));
        Path envFile = Files.writeString(dir.resolve(".env"), dotEnv);
        Files.setPosixFilePermissions(envFile, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));

        LayeredConfig config = LayeredConfig.builder().envFile(envFile)
                .environment(Map.of("RAGMAIL_MODE", "review", "PATH", "/usr/bin")).build();

        assertThat(config.warnings()).isEmpty();
        assertThat(config.origin("ragmail.mode")).isEqualTo("environment RAGMAIL_MODE");
        try (RagmailComponents ragmail = RagmailComponents.open(config)) {
            assertThat(ragmail.config().value(ConfigKeys.MODE)).isEqualTo("review");
            assertThat(ragmail.drafter()).isInstanceOf(MistralDrafter.class);
            assertThat(ragmail.dataDirectory()).isEqualTo(dir.resolve("data"));
        }
    }

    @Test
    void a_started_pipeline_cannot_be_started_twice_and_close_stops_it() throws IOException {
        Map<String, String> keys = keys();
        Pipeline pipeline;
        try (RagmailComponents ragmail = RagmailComponents.open(keys::get)) {
            pipeline = ragmail.startPipeline();
            assertThatThrownBy(ragmail::startPipeline).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("started already");
        }
        assertThat(pipeline.isRunning()).isFalse();
        // the index and the ledger were released: the same data dir opens again
        try (RagmailComponents again = RagmailComponents.open(keys::get)) {
            assertThat(again.knowledge().sourceVersions("file:")).containsOnlyKeys("file:shipping.md");
            assertThat(again.firstIngest()).hasValueSatisfying(r -> assertThat(r.added()).isEmpty());
        }
    }
}
