package io.ragmail.core.review;

import io.ragmail.core.Draft;
import io.ragmail.core.DraftRequest;
import io.ragmail.core.EmailAddress;
import io.ragmail.core.InboundMail;
import io.ragmail.core.MailKey;
import io.ragmail.core.TokenUsage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.Optional;

import static io.ragmail.core.review.Requests.draft;
import static io.ragmail.core.review.Requests.verified;
import static org.assertj.core.api.Assertions.assertThat;

class GroundingCheckTest {

    private final GroundingCheck check = GroundingCheck.standard();

    private static final String CLEAN = """
            Hello Ada,

            your order S00042 was shipped on 12 November 2026 (invoice INV/2026/00017, due 12/12/2026).
            Acetone ACE-500 (CAS 67-64-1, UN1090) costs EUR 1200 per pallet of 12 drums of 25 L,
            so your 36 drums come to 3 pallets. Orders placed before 14:00 ship the same day, and
            shipping is free from €250.

            Kind regards, and a happy 2027!
            """;

    @Test
    void a_draft_that_only_repeats_what_it_was_given_passes() {
        List<String> problems = check.problems(verified(), draft(CLEAN, "kb-acetone", "kb-shipping"));

        assertThat(problems).isEmpty();
    }

    @Test
    void an_invented_price_is_named() {
        Draft draft = draft("Acetone ACE-500 costs EUR 1,150.00 per pallet.", "kb-acetone");

        assertThat(check.problems(verified(), draft)).singleElement().asString()
                .contains("price").contains("EUR 1,150.00");
    }

    @Test
    void a_cited_passage_that_was_not_given_is_named() {
        Draft draft = draft("Acetone ACE-500 is in stock.", "kb-acetone", "kb-made-up");

        assertThat(check.problems(verified(), draft)).singleElement().asString()
                .contains("cites passage \"kb-made-up\"");
    }

    @Test
    void an_order_number_not_in_the_facts_is_named() {
        Draft draft = draft("Your order S00043 was shipped.");

        assertThat(check.problems(verified(), draft)).singleElement().asString()
                .contains("order number").contains("S00043");
    }

    @Test
    void an_order_number_from_facts_that_were_withheld_is_not_grounded() {
        Draft draft = draft("Your order S00042 was shipped.");

        assertThat(check.problems(Requests.unverified(), draft)).singleElement().asString()
                .contains("S00042").contains("none given");
    }

    @Test
    void a_cas_number_not_in_the_passages_is_named() {
        Draft draft = draft("Acetone has CAS number 67-63-0.", "kb-acetone");

        assertThat(check.problems(verified(), draft)).singleElement().asString()
                .contains("CAS number").contains("67-63-0");
    }

    @Test
    void every_problem_is_listed_not_only_the_first() {
        Draft draft = draft("ACE-900 (UN 1993) ships on 2026-12-24 in 50 kg drums for $99.", "kb-nope");

        assertThat(check.problems(verified(), draft)).hasSize(6).anySatisfy(p -> assertThat(p).contains("kb-nope"))
                .anySatisfy(p -> assertThat(p).contains("product code \"ACE-900\""))
                .anySatisfy(p -> assertThat(p).contains("UN number"))
                .anySatisfy(p -> assertThat(p).contains("date \"2026-12-24\""))
                .anySatisfy(p -> assertThat(p).contains("quantity \"50 kg\""))
                .anySatisfy(p -> assertThat(p).contains("price \"$99\""));
    }

    @ParameterizedTest(name = "{0} is backed")
    @CsvSource(delimiter = '|', value = {
            "EUR 1.200,00 per pallet",        // German grouping and decimals
            "1200 € per pallet",
            "€1,200 per pallet",
            "the SDS of 15.03.2025",
            "the SDS of 15 March 2025",
            "the SDS of March 15th, 2025",
            "the SDS of 15. März 2025",
            "the SDS of 15 mars 2025",
            "the SDS of 03/15/2025",
            "order s00042",                    // case of a reference
            "invoice INV/2026/00017, amount 2400 EUR",
            "you asked for 36 drums",          // the customer's own number
            "3 pallets, 2 options, the 1st drum", // small counts and ordinals
            "best wishes for 2027"})           // a bare year
    void numbers_dates_and_references_are_compared_by_value(String sentence) {
        assertThat(check.problems(verified(), draft(sentence, "kb-acetone"))).isEmpty();
    }

    @ParameterizedTest(name = "{0} is not backed")
    @CsvSource(delimiter = '|', value = {
            "EUR 1.250,00 per pallet",
            "the SDS of 16.03.2025",
            "the SDS of 16 March 2025",
            "you need 48 drums",
            "delivery within 30 working days",
            "a 15% discount"})
    void changed_numbers_are_caught(String sentence) {
        assertThat(check.problems(verified(), draft(sentence, "kb-acetone"))).isNotEmpty();
    }

    @Test
    void trusted_text_backs_the_signature() {
        Draft draft = draft("Kind regards, ACME support, phone +49 30 1234567");
        GroundingCheck withSignature = GroundingCheck.builder().trustedText("ACME support, +49 30 1234567").build();

        assertThat(check.problems(verified(), draft)).isNotEmpty();
        assertThat(withSignature.problems(verified(), draft)).isEmpty();
    }

    @Test
    void numbers_in_the_customers_subject_may_be_repeated() {
        DraftRequest request = verified(Requests.mail("Question 4711 about ACE-17", "Is it in stock?"));

        assertThat(check.problems(request, draft("About your question 4711 on ACE-17: yes."))).isEmpty();
    }

    @Test
    void an_order_number_the_customer_names_is_not_backed_by_the_mail_alone() {
        DraftRequest request = new DraftRequest(
                InboundMail.builder()
                        .key(new MailKey("INBOX", "<q@customer.example>"))
                        .from(EmailAddress.of("ada@customer.example"))
                        .subject("Where is S00077?")
                        .text("Please tell me the status of order S00077.")
                        .build(),
                List.of(), Optional.empty());
        Draft draft = new Draft("Your order S00077 has shipped.", "en", 0.9, List.of(), false, "", TokenUsage.NONE);

        assertThat(GroundingCheck.standard().problems(request, draft)).containsExactly(
                "order number \"S00077\" is not in the customer's facts (none given)"
                        + " (the mail names it, which does not make it theirs)");
    }

    @Test
    void a_reply_longer_than_the_text_cap_is_a_problem_and_only_its_start_is_read() {
        GroundingCheck capped = GroundingCheck.builder().maxTextChars(1024).build();
        String longReply = "Acetone costs EUR 1,200.00 per pallet. " + "More words here. ".repeat(100) + "It costs EUR 990.00 now.";

        List<String> problems = capped.problems(verified(), draft(longReply, "kb-acetone"));

        assertThat(problems).containsExactly("the reply is longer than 1024 characters; only its start was checked");
        assertThat(check.problems(verified(), draft(longReply, "kb-acetone"))).singleElement().asString().contains("990.00");
    }

    @Test
    void a_number_of_thousands_of_digits_and_apostrophes_is_compared_as_written() {
        String huge = "1'".repeat(20_000) + "1";

        assertThat(check.problems(verified(), draft("The code is " + huge + ".", "kb-acetone")))
                .singleElement().asString().contains("number").contains("is not in the passages").hasSizeLessThan(300);
    }
}
