package io.ragmail.core.knowledge;

import io.ragmail.core.EmailAddress;
import io.ragmail.core.InboundMail;
import io.ragmail.core.MailKey;
import io.ragmail.core.Passage;
import io.ragmail.core.TokenUsage;
import io.ragmail.core.mistral.MistralQueryRewriter;
import io.ragmail.testkit.mistral.FakeMistralServer;
import io.ragmail.testkit.mistral.MistralFault;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Query rewriting end to end: a German mail over the English sample pages in a real Lucene index with
 * the real in-process model, rewritten by {@link MistralQueryRewriter} through the real langchain4j
 * client against {@link FakeMistralServer} (real HTTP). The fake answers with a fixed translation, so
 * this tests the mechanics (what is sent, merged, counted and kept), not a model's quality.
 */
class MailSearchRewritingTest {

    static final String GERMAN = "Können wir die leeren Fässer an Sie zurückgeben, und bekommen wir dafür Geld zurück?";
    static final String ENGLISH = "Can we return the empty drums to you, and do we get a deposit refund for them?";

    private static AcetoneIndex index;
    private static LuceneKnowledgeStore store;

    final FakeMistralServer mistral = FakeMistralServer.builder().apiKey("sk-test-secret-5678").build();

    @BeforeAll
    static void index() throws IOException {
        index = new AcetoneIndex("mail-search-rewriting-test");
        store = index.store();
    }

    @AfterAll
    static void close() throws IOException {
        index.close();
    }

    @AfterEach
    void stop() {
        mistral.close();
    }

    MistralQueryRewriter rewriter() {
        return MistralQueryRewriter.builder().apiKey("sk-test-secret-5678").baseUrl(mistral.baseUrl())
                .timeout(Duration.ofSeconds(5)).build();
    }

    static InboundMail mail(String text) {
        return InboundMail.builder().key(new MailKey("INBOX", "<r1@customer.example>"))
                .from(EmailAddress.of("jonas@customer.example")).subject("Frage").text(text).build();
    }

    static List<String> ids(MailSearch.Result result) {
        return result.passages().stream().map(Passage::sourceId).toList();
    }

    @Test
    void a_german_mail_whose_answer_is_an_english_page_finds_it_only_with_the_rewriter() {
        mistral.replyWith(request -> request.lastUser().contains("Fässer") ? ENGLISH : "unexpected");
        MailSearch.Result plain = MailSearch.builder().store(store).build().search(mail(GERMAN));
        MailSearch.Result rewritten;
        try (MistralQueryRewriter rewriter = rewriter()) {
            rewritten = MailSearch.builder().store(store).queryRewriter(rewriter).build().search(mail(GERMAN));
        }

        assertThat(ids(plain)).doesNotContain("faq:container-return");
        assertThat(ids(rewritten)).contains("faq:container-return");
        // the original's best passage keeps the first place: a rewrite adds, it does not replace
        assertThat(ids(rewritten).get(0)).isEqualTo(ids(plain).get(0));
        assertThat(rewritten.rewrittenQuery()).isEqualTo(ENGLISH);
        assertThat(rewritten.usage().inputTokens()).isPositive();
        assertThat(rewritten.evidence().language()).isEqualTo("de");
        assertThat(rewritten.evidence().score()).isGreaterThan(plain.evidence().score());
        assertThat(mistral.requests()).singleElement().satisfies(r -> {
            assertThat(r.lastUser()).contains(GERMAN);
            assertThat(r.system()).contains("into English").contains("exactly as written");
        });
    }

    @Test
    void an_english_mail_is_not_rewritten() {
        try (MistralQueryRewriter rewriter = rewriter()) {
            MailSearch.Result result = MailSearch.builder().store(store).queryRewriter(rewriter).build()
                    .search(mail("Can we return the empty drums to you?"));

            assertThat(result.rewrittenQuery()).isEmpty();
            assertThat(result.usage()).isEqualTo(TokenUsage.NONE);
        }
        assertThat(mistral.requestCount()).isZero();
    }

    @Test
    void when_mistral_fails_the_original_query_is_searched_alone() {
        mistral.enqueue(MistralFault.serverError(503));
        MailSearch.Result plain = MailSearch.builder().store(store).build().search(mail(GERMAN));
        MailSearch.Result result;
        try (MistralQueryRewriter rewriter = rewriter()) {
            result = MailSearch.builder().store(store).queryRewriter(rewriter).build().search(mail(GERMAN));
        }

        assertThat(mistral.requestCount()).isEqualTo(1); // no retries: the original query is good enough
        assertThat(ids(result)).isEqualTo(ids(plain));
        assertThat(result.rewrittenQuery()).isEmpty();
        assertThat(result.usage()).isEqualTo(TokenUsage.NONE);
    }

    @Test
    void a_rewriter_that_throws_is_treated_as_no_rewrite() {
        QueryRewriter broken = request -> {
            throw new IllegalStateException("broken");
        };
        MailSearch.Result result = MailSearch.builder().store(store).queryRewriter(broken).build().search(mail(GERMAN));

        assertThat(ids(result)).isEqualTo(ids(MailSearch.builder().store(store).build().search(mail(GERMAN))));
    }

    @Test
    void product_codes_and_cas_numbers_the_model_dropped_are_kept_verbatim() {
        mistral.replyWith("Do you have the acetone in 25 litre cans in stock?");
        try (MistralQueryRewriter rewriter = rewriter()) {
            Optional<QueryRewriter.Rewritten> rewritten = rewriter.rewrite(new QueryRewriter.Request(
                    "Haben Sie ACE-500 (CAS 67-64-1) in 25-L-Kanistern vorrätig? Wir brauchen 2.5 Tonnen.", "de", "en"));

            assertThat(rewritten).get().satisfies(r -> {
                assertThat(r.query()).startsWith("Do you have the acetone").contains("ACE-500").contains("67-64-1");
                assertThat(r.query()).doesNotContain("2.5"); // a quantity is not a code
            });
        }
    }

    @Test
    void a_long_query_is_cut_before_it_is_sent() {
        mistral.replyWith("Where is my order?");
        try (MistralQueryRewriter rewriter = MistralQueryRewriter.builder().apiKey("sk-test-secret-5678")
                .baseUrl(mistral.baseUrl()).maxInputChars(200).build()) {
            rewriter.rewrite(new QueryRewriter.Request("Wo ist meine Bestellung? ".repeat(100), "de", "en"));
        }

        assertThat(mistral.requests()).singleElement()
                .satisfies(r -> assertThat(r.lastUser().length()).isLessThan(300));
    }

    @Test
    void settings_are_checked_when_built_and_the_message_names_the_setting() {
        assertThatThrownBy(() -> MistralQueryRewriter.builder().baseUrl(mistral.baseUrl()).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("apiKey");
        assertThatThrownBy(() -> MistralQueryRewriter.builder().apiKey("k").maxInputChars(10).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxInputChars");
        assertThatThrownBy(() -> MistralQueryRewriter.builder().apiKey("k").timeout(Duration.ZERO).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeout");
        assertThatThrownBy(() -> MailSearch.builder().store(store).knowledgeLanguage("klingon").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("knowledgeLanguage");
        assertThatThrownBy(() -> MailSearch.builder().store(store).queryRewriter(null).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("queryRewriter");
    }
}
