package io.ragmail.examples.adapter;

import io.ragmail.core.EmailAddress;
import io.ragmail.core.KnowledgeDocument;
import io.ragmail.core.OutboundReply;
import io.ragmail.core.Pipeline;
import io.ragmail.core.imap.ImapMailSource;
import io.ragmail.core.ledger.MailState;
import io.ragmail.core.ledger.SqliteLedger;
import io.ragmail.core.mistral.MistralDrafter;
import io.ragmail.core.smtp.SmtpMailSink;
import io.ragmail.testkit.TestMailServer;
import io.ragmail.testkit.TestMessage;
import io.ragmail.testkit.mistral.FakeMistralServer;
import io.ragmail.testkit.mistral.RecordedChatRequest;
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

/**
 * Your adapters in the real pipeline, with the testkit's servers standing in for the outside world:
 * {@link TestMailServer} (GreenMail: a real IMAP and SMTP server on free ports), and
 * {@link FakeMistralServer} (speaks Mistral's chat-completions API) behind the real {@link MistralDrafter}.
 */
class YourAdaptersInThePipelineTest {

    static final String SUPPORT = "support@shop.example";
    static final String PASSWORD = "support-secret";

    @TempDir
    Path dir;

    TestMailServer mail;
    FakeMistralServer mistral;

    @BeforeEach
    void start() {
        mail = new TestMailServer().start();
        mail.createUser(SUPPORT, PASSWORD);
        // A scripted model: answers what the passages cover, asks for a person otherwise.
        mistral = FakeMistralServer.builder().apiKey("test-key").build().replyWith(YourAdaptersInThePipelineTest::model);
    }

    @AfterEach
    void stop() {
        mistral.close();
        mail.close();
    }

    static String model(RecordedChatRequest request) {
        if (request.firstUser().contains("[id: faq:shipping]") && request.firstUser().contains("parcel")) {
            return """
                    {"reply": "Hello, we ship every order within two working days.", "language": "en",
                     "confidence": 0.9, "used_sources": ["faq:shipping"], "needs_human": false, "reason": ""}""";
        }
        return """
                {"reply": "Thank you, a colleague will get back to you.", "language": "en", "confidence": 0.3,
                 "used_sources": [], "needs_human": true, "reason": "no passage answers the question"}""";
    }

    @Test
    void an_answerable_mail_is_sent_and_the_other_is_filed_in_the_review_queue() {
        KeywordKnowledgeStore knowledge = new KeywordKnowledgeStore(KeywordKnowledgeStoreTest.SHOP_THESAURUS);
        knowledge.upsert(List.of(new KnowledgeDocument("faq:shipping", "Shipping times",
                "We ship every order within two working days. Express delivery reaches you the next day.")));
        mail.deliver("ada@customers.example", SUPPORT, "Parcel", "When will my parcel arrive?", Map.of());
        mail.deliver("bob@customers.example", SUPPORT, "Helium", "Do you sell helium in cylinders?", Map.of());

        try (SqliteLedger ledger = SqliteLedger.open(dir.resolve("ledger.db"));
             SqliteReviewQueueSink reviewQueue = SqliteReviewQueueSink.open(dir.resolve("review.db"));
             Pipeline pipeline = Pipeline.builder()
                     .source(ImapMailSource.builder().account(mail.imapAccount(SUPPORT, PASSWORD)).build())
                     .knowledge(knowledge)
                     .drafter(MistralDrafter.builder().apiKey("test-key").baseUrl(mistral.baseUrl()).requestsPerSecond(50).build())
                     .sink(SmtpMailSink.builder().account(mail.smtpAccount()).build())
                     .reviewSink(reviewQueue)
                     .ledger(ledger)
                     .from(EmailAddress.of(SUPPORT))
                     .pollWait(Duration.ofMillis(300))
                     .build()) {
            pipeline.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> ledger.countByState().getOrDefault(MailState.SENT, 0L) == 1
                    && ledger.countByState().getOrDefault(MailState.REVIEW, 0L) == 1);

            // the paraphrased question found the FAQ through the keyword store, and the answer was sent
            List<TestMessage> toAda = mail.received("ada@customers.example");
            assertThat(toAda).singleElement().satisfies(m -> assertThat(m.text()).contains("within two working days"));
            // the question nobody documented waits in the review queue, with the reason, and went nowhere else
            assertThat(reviewQueue.pending()).singleElement().satisfies(reply -> {
                assertThat(reply.to().address()).isEqualTo("bob@customers.example");
                assertThat(reply.reviewNotes()).anySatisfy(note -> assertThat(note).contains("no passage answers the question"));
            });
            assertThat(mail.received("bob@customers.example")).isEmpty();
            assertThat(reviewQueue.pending()).extracting(OutboundReply::subject).containsExactly("Re: Helium");
        }
    }
}
