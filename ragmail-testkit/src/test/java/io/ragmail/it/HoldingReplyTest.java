package io.ragmail.it;

import io.ragmail.core.FallbackDrafter;
import io.ragmail.core.KnowledgeDocument;
import io.ragmail.core.Pipeline;
import io.ragmail.core.TokenPricing;
import io.ragmail.core.imap.ImapMailSource;
import io.ragmail.core.knowledge.LuceneKnowledgeStore;
import io.ragmail.core.ledger.LedgerEntry;
import io.ragmail.core.ledger.MailState;
import io.ragmail.core.ledger.SqliteLedger;
import io.ragmail.core.mistral.MistralDrafter;
import io.ragmail.core.template.TemplateDrafter;
import io.ragmail.testkit.TestMessage;
import io.ragmail.testkit.mistral.FakeMistralServer;
import io.ragmail.testkit.mistral.MistralFault;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * "While Mistral is unavailable, mail waits in RETRY (configurable: or gets a holding reply)": the
 * holding-reply option, over a real mail server with FakeMistralServer failing.
 */
class HoldingReplyTest extends MailboxTestBase {

    static final String ADA = "ada@customers.example";
    static final String BOB = "bob@customers.example";
    static final String MISTRAL_ANSWER = "{\"reply\":\"Hello, acetone ACE-1 is in stock.\",\"language\":\"en\","
            + "\"confidence\":0.9,\"used_sources\":[\"kb/acetone\"],\"needs_human\":false,\"reason\":\"\"}";

    FakeMistralServer mistral;
    LuceneKnowledgeStore knowledge;

    @BeforeEach
    void start() {
        mistral = FakeMistralServer.builder().apiKey("k").build().replyWith(MISTRAL_ANSWER);
        knowledge = LuceneKnowledgeStore.builder().directory(dataDir.resolve("knowledge")).build();
        knowledge.upsert(List.of(new KnowledgeDocument("kb/acetone", "Acetone ACE-1", "Acetone ACE-1, 1 L bottle, in stock.")));
    }

    @AfterEach
    void stop() throws Exception {
        mistral.close();
        knowledge.close();
    }

    MistralDrafter mistralDrafter(String apiKey) {
        // two HTTP requests per draft, then the mail's attempt fails as retriable
        return MistralDrafter.builder().apiKey(apiKey).baseUrl(mistral.baseUrl()).requestsPerSecond(50)
                .maxAttempts(2).initialBackoff(Duration.ofMillis(10)).maxBackoff(Duration.ofMillis(20))
                .timeout(Duration.ofSeconds(5)).build();
    }

    Pipeline.Builder pipeline(SqliteLedger ledger, ImapMailSource source, FallbackDrafter drafter) {
        return rig.pipeline(ledger, source, drafter).knowledge(knowledge)
                .pricing(TokenPricing.per1k("0.002", "0.006", "EUR"));
    }

    void ask(String from) {
        rig.server.deliver(from, MailboxRig.SUPPORT, "Acetone in stock?", "Hello, is ACE-1 in stock? Thanks", Map.of());
    }

    @Test
    void with_an_auto_sent_template_the_customer_gets_one_holding_reply_while_mistral_is_down_and_no_second_answer() {
        mistral.enqueue(MistralFault.serverError(503), MistralFault.serverError(503)); // Mistral down for Ada's mail
        FallbackDrafter drafter = FallbackDrafter.of(mistralDrafter("k"), TemplateDrafter.builder().autoSend(true).build());
        try (SqliteLedger ledger = rig.openLedger();
             ImapMailSource source = rig.newSource();
             Pipeline pipeline = pipeline(ledger, source, drafter).build()) {
            pipeline.start();
            ask(ADA);
            await().atMost(Duration.ofSeconds(30)).until(() -> rig.count(ledger, MailState.SENT) == 1);

            // Mistral is back: Bob's mail gets the model's answer; Ada's mail is not drafted again
            ask(BOB);
            await().atMost(Duration.ofSeconds(30)).until(() -> rig.count(ledger, MailState.SENT) == 2);

            List<TestMessage> toAda = rig.repliesTo(ADA);
            assertThat(toAda).singleElement().extracting(TestMessage::text).asString()
                    .contains("thank you for your message").contains("Acetone ACE-1").doesNotContain("Hello, acetone ACE-1 is in stock");
            assertThat(rig.repliesTo(BOB)).singleElement().extracting(TestMessage::text).asString()
                    .contains("acetone ACE-1 is in stock");
            assertThat(mistral.countStatus(503)).isEqualTo(2);
            assertThat(mistral.countStatus(200)).isEqualTo(1);
            assertThat(rig.folder("Drafts")).isEmpty();

            // the ledger has each reply's tokens and cost: the template's is free, Mistral's is priced
            LedgerEntry ada = entryFrom(ledger, ADA);
            LedgerEntry bob = entryFrom(ledger, BOB);
            assertThat(ada.cost()).isZero();
            assertThat(bob.usage().inputTokens()).isPositive();
            assertThat(bob.cost()).isEqualByComparingTo(TokenPricing.per1k("0.002", "0.006", "EUR").cost(bob.usage()));
            assertThat(bob.cost()).isPositive();
            assertThat(bob.currency()).isEqualTo("EUR");
        }
    }

    @Test
    void with_the_default_template_the_holding_reply_is_filed_for_review_with_the_reason_and_nothing_reaches_the_customer() {
        for (int i = 0; i < 2; i++) {
            mistral.enqueue(MistralFault.serverError(503));
        }
        FallbackDrafter drafter = FallbackDrafter.of(mistralDrafter("k"), TemplateDrafter.builder().build());
        try (SqliteLedger ledger = rig.openLedger();
             ImapMailSource source = rig.newSource();
             Pipeline pipeline = pipeline(ledger, source, drafter).build()) {
            pipeline.start();
            ask(ADA);
            await().atMost(Duration.ofSeconds(30)).until(() -> rig.count(ledger, MailState.REVIEW) == 1);
        }
        assertThat(rig.repliesTo(ADA)).isEmpty();
        assertThat(rig.folder("Drafts")).singleElement().satisfies(draft -> {
            assertThat(draft.flags()).contains("\\Draft");
            assertThat(draft.text()).contains(FallbackDrafter.HOLDING_REASON).contains("HTTP 503")
                    .contains("thank you for your message");
        });
    }

    @Test
    void a_rejected_api_key_is_not_papered_over_the_mail_waits_unanswered() {
        FallbackDrafter drafter = FallbackDrafter.of(mistralDrafter("wrong-key"), TemplateDrafter.builder().autoSend(true).build());
        try (SqliteLedger ledger = rig.openLedger();
             ImapMailSource source = rig.newSource();
             Pipeline pipeline = pipeline(ledger, source, drafter).build()) {
            pipeline.start();
            ask(ADA);
            await().atMost(Duration.ofSeconds(30)).until(() -> rig.count(ledger, MailState.RETRY) == 1);
            assertThat(entryFrom(ledger, ADA).reason()).contains("API key");
        }
        assertThat(mistral.requests()).isNotEmpty().allSatisfy(r -> assertThat(r.status()).isEqualTo(401));
        assertThat(rig.repliesTo(ADA)).isEmpty();
        assertThat(rig.folder("Drafts")).isEmpty();
    }

    static LedgerEntry entryFrom(SqliteLedger ledger, String address) {
        for (MailState state : MailState.values()) {
            for (LedgerEntry entry : ledger.inState(state, Integer.MAX_VALUE)) {
                if (entry.mail().from().normalized().equals(address)) {
                    return entry;
                }
            }
        }
        throw new AssertionError("no ledger entry from " + address);
    }
}
