package io.ragmail.examples.drafter;

import io.ragmail.core.AuthenticationException;
import io.ragmail.core.CustomerFacts;
import io.ragmail.core.DraftRequest;
import io.ragmail.core.EmailAddress;
import io.ragmail.core.ErpRecord;
import io.ragmail.core.InboundMail;
import io.ragmail.core.MailKey;
import io.ragmail.core.RetriableException;
import io.ragmail.core.SenderIdentity;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the pipeline does with a failure depends on its type: these are the mappings it relies on. */
class OpenAiCompatibleDrafterTest {

    final FakeOpenAiServer model = start();

    @AfterEach
    void stop() {
        model.close();
    }

    @Test
    void a_rejected_api_key_is_an_authentication_failure_and_does_not_reveal_the_key() {
        OpenAiCompatibleDrafter drafter = drafter("sk-wrong-key");

        assertThatThrownBy(() -> drafter.draft(request()))
                .isInstanceOf(AuthenticationException.class)
                .hasMessageNotContaining("sk-wrong-key");
    }

    @Test
    void a_server_error_is_retriable_so_the_mail_waits_instead_of_failing() {
        model.failNextWith(503);

        assertThatThrownBy(() -> drafter("sk-test-key").draft(request())).isInstanceOf(RetriableException.class);
        assertThat(model.requests()).hasSize(1); // one retry layer: the pipeline's, not the client's
    }

    @Test
    void an_unreachable_server_is_retriable() {
        String baseUrl = model.baseUrl();
        model.close();
        OpenAiCompatibleDrafter drafter = OpenAiCompatibleDrafter.builder()
                .baseUrl(baseUrl).apiKey("sk-test-key").modelName("small-model").build();

        assertThatThrownBy(() -> drafter.draft(request())).isInstanceOf(RetriableException.class);
    }

    @Test
    void the_prompt_carries_a_verified_customers_own_facts_and_tells_the_model_when_they_were_withheld() {
        model.replyWith(request -> """
                {"reply": "Your order S00042 has shipped.", "language": "en", "confidence": 0.9,
                 "used_sources": [], "needs_human": false, "reason": ""}""");
        InboundMail mail = request().mail();
        CustomerFacts ada = new CustomerFacts("C-1001", "Ada Lovelace",
                List.of(new ErpRecord("order", "S00042", Map.of("status", "shipped"))));
        SenderIdentity verified = new SenderIdentity(mail.from(), true, "dkim=pass");
        SenderIdentity unverified = new SenderIdentity(mail.from(), false, "no Authentication-Results");

        drafter("sk-test-key").draft(new DraftRequest(mail, List.of(), Optional.of(ada), verified, false));
        drafter("sk-test-key").draft(new DraftRequest(mail, List.of(), Optional.empty(), unverified, true));

        String withFacts = FakeOpenAiServer.userMessage(model.requests().get(0));
        String withheld = model.requests().get(1).path("messages").get(0).path("content").asText();
        assertThat(withFacts).contains("Ada Lovelace").contains("order S00042").contains("shipped");
        assertThat(withheld).contains("could not be verified").contains("registered");
        assertThat(FakeOpenAiServer.userMessage(model.requests().get(1))).doesNotContain("S00042");
    }

    @Test
    void try_your_model_prints_the_draft_of_a_model_that_keeps_the_contract() {
        model.replyWith(request -> """
                {"reply": "We ship within two working days.", "language": "en", "confidence": 0.8,
                 "used_sources": ["faq:shipping"], "needs_human": false, "reason": ""}""");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream original = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            TryYourModel.main(new String[] {model.baseUrl(), "sk-test-key", "small-model"});
        } finally {
            System.setOut(original);
        }

        assertThat(out.toString(StandardCharsets.UTF_8)).contains("We ship within two working days.")
                .contains("[faq:shipping]").contains("needs human: false");
    }

    private OpenAiCompatibleDrafter drafter(String apiKey) {
        return OpenAiCompatibleDrafter.builder().baseUrl(model.baseUrl()).apiKey(apiKey).modelName("small-model").build();
    }

    private static DraftRequest request() {
        InboundMail mail = InboundMail.builder().key(new MailKey("INBOX", "<1@customers.example>"))
                .from(EmailAddress.of("ada@customers.example")).subject("Shipping").text("How fast do you ship?").build();
        return new DraftRequest(mail, List.of(), Optional.empty());
    }

    private static FakeOpenAiServer start() {
        try {
            return new FakeOpenAiServer("sk-test-key");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
