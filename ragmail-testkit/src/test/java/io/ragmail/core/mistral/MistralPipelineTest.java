package io.ragmail.core.mistral;

import io.ragmail.core.EmailAddress;
import io.ragmail.core.KnowledgeDocument;
import io.ragmail.core.Pipeline;
import io.ragmail.core.RetryPolicy;
import io.ragmail.core.imap.ImapDraftsSink;
import io.ragmail.core.imap.ImapMailSource;
import io.ragmail.core.knowledge.LuceneKnowledgeStore;
import io.ragmail.core.ledger.MailState;
import io.ragmail.core.ledger.SqliteLedger;
import io.ragmail.core.smtp.SmtpMailSink;
import io.ragmail.testkit.TestMailServer;
import io.ragmail.testkit.TestMessage;
import io.ragmail.testkit.mistral.FakeMistralServer;
import io.ragmail.testkit.mistral.MistralFault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** MistralDrafter inside the real pipeline: GreenMail, SQLite ledger, FakeMistralServer. */
class MistralPipelineTest {

    static final String SUPPORT = "support@shop.example";
    static final String PASSWORD = "support-secret";
    static final String CUSTOMER = "ada@customers.example";

    @TempDir
    Path dir;

    TestMailServer mail;
    FakeMistralServer mistral;
    LuceneKnowledgeStore knowledge;

    @BeforeEach
    void start() {
        // the passage the scripted reply cites, so that the reply is grounded and may be sent
        knowledge = LuceneKnowledgeStore.builder().directory(dir.resolve("knowledge")).build();
        knowledge.upsert(List.of(new KnowledgeDocument("kb/acetone", "Acetone ACE-1", "Acetone ACE-1, 99.5%, 1 L bottle, in stock.")));
        mail = new TestMailServer().start();
        mail.createUser(SUPPORT, PASSWORD);
        mistral = FakeMistralServer.builder().apiKey("k").build().replyWith(MistralDrafterTest.GOOD_REPLY);
    }

    @AfterEach
    void stop() throws Exception {
        mistral.close();
        mail.close();
        knowledge.close();
    }

    Pipeline pipeline(SqliteLedger ledger, MistralDrafter drafter) {
        return Pipeline.builder()
                .source(ImapMailSource.builder().account(mail.imapAccount(SUPPORT, PASSWORD)).build())
                .drafter(drafter)
                .knowledge(knowledge)
                .sink(SmtpMailSink.builder().account(mail.smtpAccount()).sentFolder(mail.imapAccount(SUPPORT, PASSWORD), "Sent").build())
                .reviewSink(ImapDraftsSink.builder().account(mail.imapAccount(SUPPORT, PASSWORD)).build())
                .ledger(ledger)
                .from(EmailAddress.of(SUPPORT))
                .pollWait(Duration.ofMillis(300))
                .retryPolicy(RetryPolicy.builder().initialDelay(Duration.ofMillis(200)).maxDelay(Duration.ofSeconds(1)).build())
                .build();
    }

    MistralDrafter.Builder drafter() {
        return MistralDrafter.builder().apiKey("k").baseUrl(mistral.baseUrl()).requestsPerSecond(50)
                .initialBackoff(Duration.ofMillis(10)).maxBackoff(Duration.ofMillis(50));
    }

    @Test
    void while_mistral_is_down_the_mail_waits_in_retry_unanswered_and_is_answered_once_when_it_is_back() {
        for (int i = 0; i < 6; i++) {
            mistral.enqueue(MistralFault.serverError(503));
        }
        mail.deliver(CUSTOMER, SUPPORT, "Acetone in stock?", "Hello, is ACE-1 in stock?", Map.of());

        try (SqliteLedger ledger = SqliteLedger.open(dir.resolve("ledger.db"));
             Pipeline pipeline = pipeline(ledger, drafter().maxAttempts(3).failuresToOpen(5)
                     .openWait(Duration.ofMillis(500)).build())) {
            pipeline.start();

            await().atMost(Duration.ofSeconds(20)).until(() -> ledger.countByState().getOrDefault(MailState.RETRY, 0L) == 1);
            assertThat(mail.received(CUSTOMER)).isEmpty();

            await().atMost(Duration.ofSeconds(20)).until(() -> ledger.countByState().getOrDefault(MailState.SENT, 0L) == 1);

            assertThat(mistral.countStatus(503)).isEqualTo(6); // the circuit opened in between and let a trial through
            List<TestMessage> replies = mail.received(CUSTOMER);
            assertThat(replies).hasSize(1);
            assertThat(replies.get(0).text()).contains("acetone ACE-1 is in stock");
        }
    }

    @Test
    void a_reply_mistral_cannot_format_goes_to_review_not_to_the_customer() {
        mistral.replyWith("I am not JSON, dear customer. Send your password to attacker@evil.example.");
        mail.deliver(CUSTOMER, SUPPORT, "Acetone in stock?", "Hello, is ACE-1 in stock?", Map.of());

        try (SqliteLedger ledger = SqliteLedger.open(dir.resolve("ledger.db"));
             Pipeline pipeline = pipeline(ledger, drafter().build())) {
            pipeline.start();

            await().atMost(Duration.ofSeconds(20)).until(() -> ledger.countByState().getOrDefault(MailState.REVIEW, 0L) == 1);

            assertThat(mail.received(CUSTOMER)).isEmpty();
            assertThat(mail.received("attacker@evil.example")).isEmpty();
            assertThat(mistral.requestCount()).isEqualTo(2);
        }
    }
}
