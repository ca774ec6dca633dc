package io.ragmail.core.template;

import io.ragmail.core.CustomerFacts;
import io.ragmail.core.Draft;
import io.ragmail.core.DraftRequest;
import io.ragmail.core.EmailAddress;
import io.ragmail.core.ErpRecord;
import io.ragmail.core.InboundMail;
import io.ragmail.core.MailKey;
import io.ragmail.core.Passage;
import io.ragmail.core.ReviewPolicy;
import io.ragmail.core.SenderIdentity;
import io.ragmail.core.TokenUsage;
import io.ragmail.core.ledger.Disposition;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TemplateDrafterTest {

    private static final Passage SDS = new Passage("kb-sds-acetone", "Acetone safety data sheet",
            "Acetone (CAS 67-64-1) is highly flammable. Keep away from heat. Store below 25 °C.", 2.1);
    private static final Passage PRICES = new Passage("kb-prices", "Price list 2026", "ACE-500, 25 L drum: EUR 48.00.", 1.3);
    private static final Passage THIRD = new Passage("kb-3", "Shipping", "We ship within 2 working days.", 0.9);
    private static final Passage FOURTH = new Passage("kb-4", "Returns", "Unopened drums may be returned.", 0.2);

    private final TemplateDrafter drafter = TemplateDrafter.builder().signature("ACME Chemicals customer service").build();

    private static InboundMail mail(String name, String subject, String text) {
        return InboundMail.builder().key(new MailKey("INBOX", "<1@c.example>"))
                .from(new EmailAddress("ada@c.example", name)).subject(subject).text(text).build();
    }

    private static DraftRequest request(InboundMail mail, List<Passage> passages, boolean withheld) {
        return new DraftRequest(mail, passages, Optional.empty(), new SenderIdentity(mail.from(), !withheld), withheld);
    }

    @Test
    void quotes_the_best_passages_with_their_titles_and_asks_for_review() {
        InboundMail mail = mail("Ada Lovelace", "Acetone storage", "Hello, how should we store acetone? Thanks");

        Draft draft = drafter.draft(request(mail, List.of(SDS, PRICES, THIRD, FOURTH), false));

        assertThat(draft.text()).startsWith("Hello Ada Lovelace,\n\nthank you for your message about \"Acetone storage\".")
                .contains("Acetone safety data sheet\n> Acetone (CAS 67-64-1) is highly flammable. Keep away from heat. Store below 25 °C.")
                .contains("Price list 2026\n> ACE-500, 25 L drum: EUR 48.00.")
                .contains("Shipping\n> We ship within 2 working days.")
                .doesNotContain("Returns")
                .endsWith("Kind regards,\nACME Chemicals customer service\n");
        assertThat(draft.usedSourceIds()).containsExactly("kb-sds-acetone", "kb-prices", "kb-3");
        assertThat(draft.language()).isEqualTo("en");
        assertThat(draft.needsHuman()).isTrue();
        assertThat(draft.humanReason()).isEqualTo("template reply (no language model configured)");
        assertThat(draft.usage()).isEqualTo(TokenUsage.NONE);
    }

    @Test
    void tells_the_customer_the_records_their_mail_names_and_no_others() {
        InboundMail mail = mail("Ada Lovelace", "Where is my order S00042?", "Has order s00042 shipped yet?");
        CustomerFacts facts = new CustomerFacts("C-1", "Ada Lovelace", List.of(
                new ErpRecord("order", "S00042", Map.of("status", "shipped", "tracking", "DGR-7731-0042")),
                new ErpRecord("order", "S00077", Map.of("status", "draft"))));

        Draft draft = drafter.draft(new DraftRequest(mail, List.of(THIRD), Optional.of(facts),
                new SenderIdentity(mail.from(), true), false));

        assertThat(draft.text()).contains("This is what we have on record:\n\n- order S00042\n  status: shipped\n"
                        + "  tracking: DGR-7731-0042\n")
                .doesNotContain("S00077");
    }

    @Test
    void its_reply_is_grounded_and_goes_to_review_under_the_standard_policy() {
        DraftRequest request = request(mail("", "Acetone", "How do I store acetone?"), List.of(SDS, PRICES), false);
        Draft draft = drafter.draft(request);

        var decision = ReviewPolicy.builder().build().decide(request, draft);

        assertThat(decision.disposition()).isEqualTo(Disposition.REVIEW);
        assertThat(decision.reasons()).containsExactly("template reply (no language model configured)", "confidence 0.50 is below 0.70");
    }

    @Test
    void with_auto_send_its_replies_may_be_sent() {
        TemplateDrafter auto = TemplateDrafter.builder().autoSend(true).build();
        DraftRequest request = request(mail("", "Acetone", "How do I store acetone?"), List.of(SDS), false);

        Draft draft = auto.draft(request);

        assertThat(draft.needsHuman()).isFalse();
        assertThat(ReviewPolicy.builder().build().decide(request, draft).disposition()).isEqualTo(Disposition.SEND);
    }

    @Test
    void without_passages_it_only_acknowledges_and_invents_nothing() {
        Draft draft = drafter.draft(request(mail("", "", "Do you sell ethanol?"), List.of(), false));

        assertThat(draft.text()).isEqualTo("Hello,\n\nthank you for your message.\n\n"
                + "We have received it and will get back to you.\n\nKind regards,\nACME Chemicals customer service\n");
        assertThat(draft.usedSourceIds()).isEmpty();
    }

    @Test
    void asks_an_unverified_customer_to_write_from_their_registered_address() {
        Draft withheld = drafter.draft(request(mail("", "My order", "Where is my order?"), List.of(), true));
        Draft verified = drafter.draft(request(mail("", "My order", "Where is my order?"), List.of(), false));

        assertThat(withheld.text()).contains("please write to us from the e-mail address registered with us");
        assertThat(verified.text()).doesNotContain("registered");
    }

    @Test
    void answers_in_german_or_french_when_the_mail_clearly_is() {
        Draft german = drafter.draft(request(mail("", "Aceton", "Guten Tag, ich habe eine Frage zu der Lagerung von Aceton. "
                + "Können Sie mir bitte das Sicherheitsdatenblatt schicken? Danke"), List.of(SDS), true));
        Draft french = drafter.draft(request(mail("", "Acétone", "Bonjour, pouvez-vous m'envoyer la fiche de données "
                + "de sécurité pour l'acétone ? Merci"), List.of(SDS), false));

        assertThat(german.language()).isEqualTo("de");
        assertThat(german.text()).startsWith("Guten Tag,\n\nvielen Dank für Ihre Nachricht zu \"Aceton\".")
                .contains("Folgendes haben wir dazu gefunden:").contains("hinterlegten E-Mail-Adresse")
                .contains("Mit freundlichen Grüßen");
        assertThat(french.language()).isEqualTo("fr");
        assertThat(french.text()).startsWith("Bonjour,\n\nmerci pour votre message concernant « Acétone ».").contains("Cordialement,");
    }

    @Test
    void a_mostly_english_mail_with_a_german_word_stays_english() {
        assertThat(TemplateDrafter.guessLanguage("Hello, do you have the Sicherheitsdatenblatt for acetone? Danke")).isEqualTo("en");
        assertThat(TemplateDrafter.guessLanguage("")).isEqualTo("en");
    }

    @Test
    void long_passages_are_shortened_at_a_word() {
        String text = "word ".repeat(300);
        Draft draft = TemplateDrafter.builder().maxQuoteChars(100).build()
                .draft(request(mail("", "q", "q"), List.of(new Passage("kb-long", "Long", text, 1)), false));

        String quote = draft.text().lines().filter(l -> l.startsWith("> ")).findFirst().orElseThrow();
        assertThat(quote).hasSizeLessThanOrEqualTo(2 + 100 + 2).endsWith("word …");
    }

    @Test
    void the_builder_names_the_bad_setting() {
        assertThatThrownBy(() -> TemplateDrafter.builder().maxPassages(-1).build())
                .hasMessage("maxPassages must not be negative, was -1");
        assertThatThrownBy(() -> TemplateDrafter.builder().maxQuoteChars(5).build())
                .hasMessage("maxQuoteChars must be at least 20, was 5");
    }
}
