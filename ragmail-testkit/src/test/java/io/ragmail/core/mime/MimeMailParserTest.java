package io.ragmail.core.mime;

import io.ragmail.core.InboundMail;
import io.ragmail.testkit.mail.HostileMails;
import io.ragmail.testkit.mail.HostileMails.HostileMail;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

class MimeMailParserTest {

    private final MimeMailParser parser = MimeMailParser.create();

    static List<HostileMail> hostile() {
        return HostileMails.all();
    }

    private InboundMail parse(String name) {
        return parser.parse(HostileMails.named(name).raw());
    }

    @Test
    void corpus_has_at_least_twenty_messages_with_distinct_message_ids() {
        List<HostileMail> all = HostileMails.all();
        assertThat(all).hasSizeGreaterThanOrEqualTo(20);
        List<String> ids = all.stream().map(HostileMail::messageId).filter(id -> !id.isEmpty()).toList();
        assertThat(ids).doesNotHaveDuplicates().hasSize(all.size() - 1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostile")
    void never_throws_and_yields_text_or_a_reason(HostileMail hostile) {
        InboundMail[] mail = new InboundMail[1];
        assertThatCode(() -> mail[0] = parser.parse(hostile.raw())).doesNotThrowAnyException();
        InboundMail m = mail[0];
        assertThat(m.key().mailbox()).isEqualTo("INBOX");
        assertThat(m.key().messageId()).isNotBlank();
        if (!hostile.messageId().isEmpty()) {
            assertThat(m.key().messageId()).isEqualTo(hostile.messageId());
        } else {
            assertThat(m.key().messageId()).startsWith("digest:");
        }
        boolean expectedEmpty = hostile.name().contains("empty-body") || hostile.name().contains("only-attachments");
        if (!expectedEmpty) {
            assertThat(!m.text().isBlank() || m.unreadable().isPresent())
                    .as("text or unreadable reason for %s: %s", hostile.name(), m).isTrue();
        }
        m.headers().fields().forEach(f -> assertThat(f.value()).doesNotContain("\r", "\n", "\0"));
        assertThat(m.subject()).doesNotContain("\r", "\n", "\0");
        assertThat(m.text()).doesNotContain("pwned", "\0");
        if (hostile.rawText().contains("bad-" + hostile.name().substring(0, 2) + "@customer.example")
                && hostile.rawText().contains("From: ")) {
            assertThat(m.from().address()).isEqualTo("bad-" + hostile.name().substring(0, 2) + "@customer.example");
        }
        assertThat(m.sizeBytes()).isEqualTo(hostile.raw().length);
    }

    @Test
    void html_scripts_and_styles_never_reach_the_text() {
        InboundMail mail = parse("html-with-scripts");
        assertThat(mail.text()).contains("Please quote 20 litres of isopropanol.").contains("Thanks")
                .doesNotContain("alert", "pwned", "color:red", "document.write", "enable js");
        assertThat(mail.contentType()).isEqualTo("text/html");
    }

    @Test
    void html_only_mail_is_converted_to_text_with_its_charset() {
        InboundMail mail = parse("html-only");
        assertThat(mail.text()).contains("Bestellung").contains("Ich h\u00e4tte gerne ein Angebot f\u00fcr Aceton.")
                .doesNotContain("<p>");
    }

    @Test
    void encoded_word_subject_is_decoded() {
        assertThat(parse("encoded-word-subject").subject())
                .isEqualTo("Frage zu Sicherheitsdatenbl\u00e4ttern \u2013 Aceton");
    }

    @Test
    void header_injection_through_encoded_words_is_neutralised() {
        InboundMail q = parse("header-injection-encoded-word");
        assertThat(q.subject()).startsWith("Hello").contains("Bcc: victim@evil.example").doesNotContain("\n", "\r");
        InboundMail b = parse("header-injection-base64-word");
        assertThat(b.subject()).contains("Order").doesNotContain("\n", "\r");
        assertThat(b.replyTo()).extracting(a -> a.address()).containsExactly("bad-15@customer.example");
        assertThat(b.replyTo().get(0).displayName()).doesNotContain("\n", "\r");
    }

    @Test
    void quoted_history_and_signature_are_stripped_from_the_query_text() {
        InboundMail mail = parse("quoted-reply");
        assertThat(mail.text()).contains("Our price is 12 EUR");
        assertThat(mail.queryText()).isEqualTo("Is the price still valid next week?");
        assertThat(mail.inReplyTo()).isEqualTo("<quote-1@shop.example>");
        assertThat(mail.references()).containsExactly("<quote-0@shop.example>", "<quote-1@shop.example>");
        assertThat(mail.threadKey()).isEqualTo("<quote-0@shop.example>");

        assertThat(parse("german-outlook-reply").queryText()).isEqualTo("Danke, und wann kommt Teil 2?");
    }

    @Test
    void quote_stripper_handles_original_message_and_two_line_attribution() {
        assertThat(QuoteStripper.strip("Hello\n-----Original Message-----\nFrom: x")).isEqualTo("Hello");
        assertThat(QuoteStripper.strip("Hi there\n\nOn Mon, 3 Mar 2025 at 10:00, Ada Lovelace\n<ada@example.com> wrote:\n> x"))
                .isEqualTo("Hi there");
        assertThat(QuoteStripper.strip("Question\n-- \nSig")).isEqualTo("Question");
    }

    @Test
    void unknown_charset_falls_back_instead_of_failing() {
        assertThat(parse("unknown-charset").text()).contains("Sicherheitsdatenblatt f\u00fcr Aceton");
        assertThat(parse("unknown-charset-encoded-word").subject()).contains("Mystery");
    }

    @Test
    void invalid_base64_is_decoded_leniently() {
        assertThat(parse("invalid-base64").text()).contains("Do you ship acetone");
    }

    @Test
    void raw_8bit_utf8_headers_are_read_as_utf8() {
        InboundMail mail = parse("8bit-raw-headers");
        assertThat(mail.subject()).isEqualTo("Gr\u00fc\u00dfe und eine Frage zur Lieferung");
        assertThat(mail.from().displayName()).isEqualTo("J\u00fcrgen M\u00fcller");
        assertThat(mail.text()).contains("Gr\u00fc\u00dfe, J\u00fcrgen");
    }

    @Test
    void broken_boundaries_still_give_the_text() {
        assertThat(parse("broken-boundary").text()).contains("acetone question");
        assertThat(parse("missing-boundary-parameter").text()).contains("order 4711");
        assertThat(parse("missing-end-boundary").text()).contains("The closing boundary never comes.");
    }

    @Test
    void deep_nesting_is_capped_without_failing() {
        InboundMail mail = parse("nested-50-levels");
        assertThat(mail.text()).doesNotContain("flash point");
        assertThat(mail.unreadableReason()).contains("nesting");

        InboundMail deep = MimeMailParser.builder().maxDepth(60).build().parse(HostileMails.named("nested-50-levels").raw());
        assertThat(deep.text()).contains("flash point of ethanol");
    }

    @Test
    void attachments_are_listed_with_name_type_and_size() {
        InboundMail mail = parse("only-attachments");
        assertThat(mail.attachments()).extracting(a -> a.fileName()).containsExactly("order.pdf", "photo.png");
        assertThat(mail.attachments()).extracting(a -> a.contentType()).containsExactly("application/pdf", "image/png");
        assertThat(mail.attachments().get(0).sizeBytes()).isBetween(800L, 1000L);
        assertThat(mail.unreadable()).isEmpty();
    }

    @Test
    void missing_message_id_gets_a_stable_digest() {
        InboundMail a = parse("missing-message-id");
        InboundMail b = parse("missing-message-id");
        assertThat(a.key().messageId()).matches("digest:[0-9a-f]{64}").isEqualTo(b.key().messageId());
    }

    @Test
    void missing_from_garbage_date_and_many_recipients() {
        assertThat(parse("missing-from").from().address()).isEmpty();
        assertThat(parse("garbage-date").sentAt()).isNull();
        assertThat(parse("encoded-word-subject").sentAt()).isNotNull();
        assertThat(parse("thousand-recipients").to()).hasSize(1000);
    }

    @Test
    void nul_bytes_and_long_lines_are_survived() {
        assertThat(parse("nul-bytes").text()).isEqualTo("Text withnulbytes inside.");
        assertThat(parse("very-long-line").text()).hasSizeGreaterThan(300_000);
    }

    @Test
    void huge_message_parses_without_loading_the_attachment_into_text() {
        byte[] huge = HostileMails.huge(3);
        assertThat(huge.length).isGreaterThanOrEqualTo(3 * 1024 * 1024);
        InboundMail mail = parser.parse(huge);
        assertThat(mail.text()).isEqualTo("Please see the attached scan.");
        assertThat(mail.attachments()).singleElement().satisfies(a -> assertThat(a.sizeBytes()).isGreaterThan(2_000_000));
    }

    @Test
    void headers_only_keeps_headers_and_the_reason() {
        byte[] huge = HostileMails.huge(1);
        String head = new String(huge, 0, 600, StandardCharsets.ISO_8859_1);
        head = head.substring(0, head.indexOf("\r\n\r\n") + 4);
        InboundMail mail = parser.headersOnly(head.getBytes(StandardCharsets.ISO_8859_1), "7:42", huge.length, "too big");
        assertThat(mail.unreadableReason()).isEqualTo("too big");
        assertThat(mail.key().messageId()).isEqualTo("<huge-1@customer.example>");
        assertThat(mail.from().address()).isEqualTo("bad-huge@customer.example");
        assertThat(mail.sourceRef()).isEqualTo("7:42");
        assertThat(mail.sizeBytes()).isEqualTo(huge.length);
        assertThat(mail.text()).isEmpty();
    }
}
