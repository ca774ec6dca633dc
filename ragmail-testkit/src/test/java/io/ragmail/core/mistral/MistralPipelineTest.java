package io.ragmail.core.mistral;

import io.ragmail.core.EmailAddress;
import io.ragmail.core.KnowledgeDocument;
import io.ragmail.core.Pipeline;
import io.ragmail.core.RetryPolicy;
import io.ragmail.core.TokenUsage;
import io.ragmail.core.event.PipelineListener;
import io.ragmail.core.event.ReplyDraftedEvent;
import io.ragmail.core.ledger.LedgerEntry;
import io.ragmail.testkit.mistral.RecordedChatRequest;
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
import java.util.concurrent.CopyOnWriteArrayList;

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
        return pipelineBuilder(ledger, drafter).build();
    }

    Pipeline.Builder pipelineBuilder(SqliteLedger ledger, MistralDrafter drafter) {
        return Pipeline.builder()
                .source(ImapMailSource.builder().account(mail.imapAccount(SUPPORT, PASSWORD)).build())
                .drafter(drafter)
                .knowledge(knowledge)
                .sink(SmtpMailSink.builder().account(mail.smtpAccount()).sentFolder(mail.imapAccount(SUPPORT, PASSWORD), "Sent").build())
                .reviewSink(ImapDraftsSink.builder().account(mail.imapAccount(SUPPORT, PASSWORD)).build())
                .ledger(ledger)
                .from(EmailAddress.of(SUPPORT))
                .pollWait(Duration.ofMillis(300))
                .retryPolicy(RetryPolicy.builder().initialDelay(Duration.ofMillis(200)).maxDelay(Duration.ofSeconds(1)).build());
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

    @Test
    void a_german_mail_is_also_searched_in_english_and_the_rewrite_tokens_are_stored_with_the_reply() {
        // the drafter asks in JSON mode, the rewriter in plain text
        mistral.replyWith(request -> request.jsonMode() ? MistralDrafterTest.GOOD_REPLY : "Do you still have the acetone in stock?");
        mail.deliver(CUSTOMER, SUPPORT, "Aceton", "Guten Tag, haben Sie das Aceton noch auf Lager? Wir brauchen es bitte für die Werkstatt.",
                Map.of());
        List<TokenUsage> drafted = new CopyOnWriteArrayList<>();

        try (SqliteLedger ledger = SqliteLedger.open(dir.resolve("ledger.db"));
             MistralQueryRewriter rewriter = MistralQueryRewriter.builder().apiKey("k").baseUrl(mistral.baseUrl()).build();
             Pipeline pipeline = pipelineBuilder(ledger, drafter().build()).queryRewriter(rewriter)
                     .listener(new PipelineListener() {
                         @Override
                         public void onDrafted(ReplyDraftedEvent event) {
                             drafted.add(event.usage());
                         }
                     }).build()) {
            pipeline.start();

            await().atMost(Duration.ofSeconds(20)).until(() -> ledger.countByState().getOrDefault(MailState.SENT, 0L)
                    + ledger.countByState().getOrDefault(MailState.REVIEW, 0L) == 1);

            assertThat(mistral.requests()).filteredOn(r -> !r.jsonMode()).singleElement()
                    .satisfies(r -> assertThat(r.lastUser()).contains("haben Sie das Aceton noch auf Lager"));
            assertThat(mistral.requests()).filteredOn(RecordedChatRequest::jsonMode).hasSize(1);
            LedgerEntry entry = ledger.inState(MailState.SENT, 10).isEmpty() ? ledger.inState(MailState.REVIEW, 10).get(0)
                    : ledger.inState(MailState.SENT, 10).get(0);
            // what the ledger counts for the mail is the drafter's call plus the rewrite
            assertThat(drafted).singleElement().satisfies(usage ->
                    assertThat(entry.usage().inputTokens()).isGreaterThan(usage.inputTokens()));
        }
    }
}
