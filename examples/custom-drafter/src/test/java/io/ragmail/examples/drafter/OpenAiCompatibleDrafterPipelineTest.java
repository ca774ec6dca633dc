package io.ragmail.examples.drafter;

import com.fasterxml.jackson.databind.JsonNode;
import io.ragmail.core.EmailAddress;
import io.ragmail.core.KnowledgeDocument;
import io.ragmail.core.KnowledgeQuery;
import io.ragmail.core.KnowledgeStore;
import io.ragmail.core.Passage;
import io.ragmail.core.Pipeline;
import io.ragmail.core.imap.ImapDraftsSink;
import io.ragmail.core.imap.ImapMailSource;
import io.ragmail.core.ledger.LedgerEntry;
import io.ragmail.core.ledger.MailState;
import io.ragmail.core.ledger.SqliteLedger;
import io.ragmail.core.smtp.SmtpMailSink;
import io.ragmail.testkit.TestMailServer;
import io.ragmail.testkit.TestMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The drafter inside the real pipeline: GreenMail for IMAP and SMTP, a SQLite ledger, and the real
 * langchain4j OpenAI client talking HTTP to {@link FakeOpenAiServer}.
 */
class OpenAiCompatibleDrafterPipelineTest {

    static final String SUPPORT = "support@shop.example";
    static final String PASSWORD = "support-secret";
    static final String CUSTOMER = "ada@customers.example";
    static final String API_KEY = "sk-test-key";

    @TempDir
    Path dir;

    TestMailServer mail;
    FakeOpenAiServer model;

    @BeforeEach
    void start() throws Exception {
        mail = new TestMailServer().start();
        mail.createUser(SUPPORT, PASSWORD);
        model = new FakeOpenAiServer(API_KEY);
    }

    @AfterEach
    void stop() {
        model.close();
        mail.close();
    }

    @Test
    void a_mail_is_answered_with_the_models_reply_and_its_tokens_are_recorded() {
        model.replyWith(request -> """
                {"reply": "Hello Ada, we ship every order within two working days.", "language": "en",
                 "confidence": 0.9, "used_sources": ["faq:shipping"], "needs_human": false, "reason": ""}""");

        LedgerEntry entry = answer("How long does shipping take?", MailState.SENT);

        List<TestMessage> replies = mail.received(CUSTOMER);
        assertThat(replies).hasSize(1);
        assertThat(replies.get(0).text()).contains("we ship every order within two working days");
        assertThat(entry.usage().inputTokens()).isPositive();
        assertThat(entry.usage().outputTokens()).isPositive();
        // what went over the wire: JSON mode, the model, the passage with its id, the mail between markers
        JsonNode request = model.requests().get(0);
        assertThat(request.path("model").asText()).isEqualTo("small-model");
        assertThat(request.path("response_format").path("type").asText()).isEqualTo("json_object");
        assertThat(FakeOpenAiServer.userMessage(request)).contains("[id: faq:shipping] Shipping times")
                .contains("How long does shipping take?");
    }

    @Test
    void a_reply_citing_a_passage_it_was_not_given_goes_to_review_not_to_the_customer() {
        model.replyWith(request -> """
                {"reply": "Hello Ada, shipping is free and takes two working days.", "language": "en",
                 "confidence": 0.95, "used_sources": ["faq:shipping", "faq:free-shipping"],
                 "needs_human": false, "reason": ""}""");

        LedgerEntry entry = answer("How long does shipping take?", MailState.REVIEW);

        assertThat(reviewNotes(entry)).contains("faq:free-shipping").contains("not among the passages");
        assertThat(mail.received(CUSTOMER)).isEmpty();
        assertThat(mail.messages(SUPPORT, "Drafts")).singleElement()
                .satisfies(draft -> assertThat(draft.text()).contains("shipping is free"));
    }

    @Test
    void a_malformed_model_answer_goes_to_review_and_is_never_sent() {
        model.replyWith(request -> "Sure! Shipping takes two days. Also forward this to bob@elsewhere.example.");

        LedgerEntry entry = answer("How long does shipping take?", MailState.REVIEW);

        assertThat(reviewNotes(entry)).contains("not a JSON object");
        assertThat(mail.received(CUSTOMER)).isEmpty();
        assertThat(mail.received("bob@elsewhere.example")).isEmpty();
    }

    @Test
    void a_model_answer_that_tries_to_add_a_recipient_goes_to_review() {
        model.replyWith(request -> """
                {"reply": "Hello Ada, we ship within two working days.", "language": "en", "confidence": 0.9,
                 "used_sources": ["faq:shipping"], "needs_human": false, "reason": "",
                 "bcc": "mallory@evil.example"}""");

        LedgerEntry entry = answer("How long does shipping take?", MailState.REVIEW);

        assertThat(reviewNotes(entry)).contains("\"bcc\"");
        assertThat(mail.received(CUSTOMER)).isEmpty();
        assertThat(mail.received("mallory@evil.example")).isEmpty();
    }

    /** Delivers one mail, runs the pipeline until it reaches {@code state}, and returns its ledger entry. */
    private LedgerEntry answer(String subject, MailState state) {
        mail.deliver(CUSTOMER, SUPPORT, subject, "Hello, " + subject.toLowerCase() + " Thanks, Ada", Map.of());
        OpenAiCompatibleDrafter drafter = OpenAiCompatibleDrafter.builder()
                .baseUrl(model.baseUrl()).apiKey(API_KEY).modelName("small-model").companyName("Example Shop").build();
        try (SqliteLedger ledger = SqliteLedger.open(dir.resolve("ledger.db"));
             Pipeline pipeline = Pipeline.builder()
                     .source(ImapMailSource.builder().account(mail.imapAccount(SUPPORT, PASSWORD)).build())
                     .knowledge(new FixedKnowledge(new Passage("faq:shipping", "Shipping times",
                             "We ship every order within two working days from our warehouse.", 1.0)))
                     .drafter(drafter)
                     .sink(SmtpMailSink.builder().account(mail.smtpAccount())
                             .sentFolder(mail.imapAccount(SUPPORT, PASSWORD), "Sent").build())
                     .reviewSink(ImapDraftsSink.builder().account(mail.imapAccount(SUPPORT, PASSWORD)).build())
                     .ledger(ledger)
                     .from(EmailAddress.of(SUPPORT))
                     .pollWait(Duration.ofMillis(300))
                     .build()) {
            pipeline.start();
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> ledger.countByState().getOrDefault(state, 0L) == 1);
            return ledger.inState(state, 1).get(0);
        }
    }

    /** Why the reply was filed for review: the first lines of the draft a person finds in Drafts. */
    private static String reviewNotes(LedgerEntry entry) {
        return String.join("\n", entry.storedReply().orElseThrow().reviewNotes());
    }

    /** The knowledge this test's mail finds: one FAQ passage (the store is not what this example is about). */
    private record FixedKnowledge(Passage passage) implements KnowledgeStore {
        @Override
        public List<Passage> search(KnowledgeQuery query) {
            return List.of(passage);
        }

        @Override
        public void upsert(List<KnowledgeDocument> documents) {
        }

        @Override
        public void delete(Collection<String> sourceIds) {
        }
    }
}
