package io.ragmail.core.knowledge;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a mail's search query holds: the new text only, bounded, split by question. */
class MailQueryTest {

    private final MailQuery queries = MailQuery.defaults();

    @Test
    void the_quoted_thread_the_greeting_and_the_signature_are_not_searched() {
        String body = """
                Hello,

                could you send me the safety data sheet for toluene?

                Best regards,
                Ada Lovelace
                Lovelace Labs | +44 20 7946 0000

                On Mon, 3 Mar 2025 at 10:00, Northmoor Sales <sales@northmoor.example> wrote:
                > Thank you for your order of ACE-500, acetone in 25 L drums.
                > Our returns policy is attached.
                """;

        MailQuery.Queries q = queries.of("Re: AW: Toluene", body);

        // the subject says nothing the new text does not: it is not repeated
        assertThat(q.whole()).isEqualTo("could you send me the safety data sheet for toluene?");
        assertThat(q.whole()).doesNotContain("ACE-500", "returns", "Lovelace", "Hello", "regards");
        assertThat(q.parts()).isEmpty();
    }

    @Test
    void a_two_mebibyte_mail_is_searched_with_a_query_of_at_most_max_chars() {
        String body = "Do you sell ACE-500 in 25 L drums?\n" + "We run a large lab and use a lot of solvent. ".repeat(47_000);

        MailQuery.Queries q = queries.of("Order enquiry", body);

        assertThat(q.whole().length()).isLessThanOrEqualTo(MailQuery.DEFAULT_MAX_CHARS);
        assertThat(q.whole()).startsWith("Order enquiry\nDo you sell ACE-500 in 25 L drums?");
    }

    @Test
    void a_long_mail_keeps_its_question_when_the_background_is_cut() {
        String background = "Our plant has been running the same cleaning line for twenty years and the operators like it. ";
        String body = background.repeat(30) + "\nWhat is the flash point of isopropanol?";

        MailQuery.Queries q = queries.of("", body);

        assertThat(q.whole().length()).isLessThanOrEqualTo(MailQuery.DEFAULT_MAX_CHARS);
        assertThat(q.whole()).contains("What is the flash point of isopropanol?").contains("cleaning line");
    }

    @Test
    void a_mail_asking_two_things_is_searched_once_per_question() {
        String body = "Is ACE-500 in stock at the moment?\nAnd what is your policy on returning unopened goods?\nThanks, Ada";

        MailQuery.Queries q = queries.of("ACE-500", body);

        assertThat(q.parts()).containsExactly("Is ACE-500 in stock at the moment?",
                "And what is your policy on returning unopened goods?");
        assertThat(q.whole()).contains("ACE-500").contains("returning unopened goods");
    }

    @Test
    void one_question_with_a_short_thanks_is_not_split() {
        MailQuery.Queries q = queries.of("", "Hi, what does glycerol cost per drum? Thanks!");

        assertThat(q.parts()).isEmpty();
        assertThat(q.whole()).isEqualTo("Hi, what does glycerol cost per drum? Thanks!");
    }

    @Test
    void a_thanks_in_the_middle_of_a_long_mail_does_not_cut_the_question_after_it() {
        String body = "Thanks,\nwe received the drums. " + "Line\n".repeat(15) + "Which gloves do you recommend for acetone?";

        assertThat(queries.of("", body).whole()).contains("Which gloves do you recommend for acetone?");
    }

    @Test
    void a_thread_quoted_the_outlook_way_is_not_searched() {
        String body = """
                Können Sie mir das Sicherheitsdatenblatt für Aceton schicken?

                Von: Northmoor Sales <sales@northmoor.example>
                Gesendet: Montag, 3. März 2025 10:00
                An: Ada Lovelace
                Betreff: Ihre Bestellung ACE-500

                Ihre Bestellung ACE-500 wurde versandt.
                """;

        MailQuery.Queries q = queries.of("AW: Ihre Bestellung ACE-500", body);

        assertThat(q.whole()).contains("Sicherheitsdatenblatt für Aceton").doesNotContain("versandt", "Gesendet");
    }

    @Test
    void settings_are_validated_with_the_setting_named() {
        assertThatThrownBy(() -> MailQuery.builder().maxChars(10).build()).hasMessageContaining("maxChars");
        assertThatThrownBy(() -> MailQuery.builder().maxParts(-1).build()).hasMessageContaining("maxParts");
        assertThatThrownBy(() -> MailQuery.builder().maxInputChars(100).build()).hasMessageContaining("maxInputChars");
    }
}
