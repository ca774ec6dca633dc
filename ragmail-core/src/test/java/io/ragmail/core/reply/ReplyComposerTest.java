package io.ragmail.core.reply;

import io.ragmail.core.Draft;
import io.ragmail.core.EmailAddress;
import io.ragmail.core.InboundMail;
import io.ragmail.core.MailKey;
import io.ragmail.core.OutboundReply;
import io.ragmail.core.TokenUsage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReplyComposerTest {

    final ReplyComposer composer = ReplyComposer.builder()
            .from(new EmailAddress("support@shop.example", "Shop Support"))
            .loopId("shop-support-loop")
            .build();

    final Draft draft = new Draft("Here is the sheet.", "en", 0.9, List.of("kb:sds-acetone"), false, "",
            TokenUsage.NONE);

    static InboundMail.Builder mail() {
        return InboundMail.builder()
                .key(new MailKey("INBOX", "<42@example.com>"))
                .from(new EmailAddress("ada@example.com", "Ada Lovelace"))
                .subject("Acetone SDS");
    }

    @ParameterizedTest(name = "\"{0}\" -> \"{1}\"")
    @CsvSource(delimiter = '|', value = {
            "Acetone SDS                      | Re: Acetone SDS",
            "Re: Acetone SDS                  | Re: Acetone SDS",
            "RE: Acetone SDS                  | Re: Acetone SDS",
            "Re: RE: re: Acetone SDS          | Re: Acetone SDS",
            "Aw: Re: Acetone SDS              | Re: Acetone SDS",
            "AW: WG: Acetone SDS              | Re: Acetone SDS",
            "Fwd: Acetone SDS                 | Re: Acetone SDS",
            "FW: Re: Acetone SDS              | Re: Acetone SDS",
            "Re[2]: Acetone SDS               | Re: Acetone SDS",
            "Re[3]: Re[2]: Acetone SDS        | Re: Acetone SDS",
            "Re : Acetone SDS                 | Re: Acetone SDS",
            "SV: VS: Antw: Acetone SDS        | Re: Acetone SDS",
            "TR: Acetone SDS                  | Re: Acetone SDS",
            "Reorder: 5 drums of acetone      | Re: Reorder: 5 drums of acetone",
            "Fwdx: not a prefix               | Re: Fwdx: not a prefix",
            "Question about Re: prefixes      | Re: Question about Re: prefixes",
            "Re:                              | Re: your message",
            "''                               | Re: your message",
    })
    void reply_subject_has_exactly_one_re_prefix(String subject, String expected) {
        assertThat(ReplyComposer.replySubject(subject)).isEqualTo(expected);
    }

    @Test
    void reply_subject_is_one_line() {
        assertThat(ReplyComposer.replySubject("Re: Acetone\r\n SDS\nBcc: x@example.com"))
                .isEqualTo("Re: Acetone SDS Bcc: x@example.com");
    }

    @Test
    void threads_on_the_original_message_id_and_its_references() {
        InboundMail original = mail()
                .inReplyTo("<ragmail.7@shop.example>")
                .references(List.of("<1@example.com>", "<ragmail.7@shop.example>"))
                .build();

        OutboundReply reply = composer.compose(original, draft, List.of());

        assertThat(reply.inReplyTo()).isEqualTo("<42@example.com>");
        assertThat(reply.references())
                .containsExactly("<1@example.com>", "<ragmail.7@shop.example>", "<42@example.com>");
    }

    @Test
    void uses_in_reply_to_as_the_thread_when_references_are_missing() {
        InboundMail original = mail().inReplyTo("<ragmail.7@shop.example>").build();

        OutboundReply reply = composer.compose(original, draft, List.of());

        assertThat(reply.references()).containsExactly("<ragmail.7@shop.example>", "<42@example.com>");
    }

    @Test
    void a_first_mail_gets_its_own_id_as_the_only_reference() {
        OutboundReply reply = composer.compose(mail().build(), draft, List.of());

        assertThat(reply.inReplyTo()).isEqualTo("<42@example.com>");
        assertThat(reply.references()).containsExactly("<42@example.com>");
    }

    @Test
    void a_message_id_stored_without_brackets_is_threaded_with_brackets() {
        InboundMail original = mail().key(new MailKey("INBOX", "42@example.com")).build();

        OutboundReply reply = composer.compose(original, draft, List.of());

        assertThat(reply.inReplyTo()).isEqualTo("<42@example.com>");
        assertThat(reply.references()).containsExactly("<42@example.com>");
    }

    @Test
    void the_original_id_is_not_repeated_when_references_already_end_with_it() {
        InboundMail original = mail().references(List.of("<1@example.com>", "<42@example.com>")).build();

        OutboundReply reply = composer.compose(original, draft, List.of());

        assertThat(reply.references()).containsExactly("<1@example.com>", "<42@example.com>");
    }

    @Test
    void a_mail_without_message_id_gets_no_in_reply_to() {
        InboundMail original = mail()
                .key(new MailKey("INBOX", "digest:3f2a9c0d1e"))
                .references(List.of("<1@example.com>"))
                .build();

        OutboundReply reply = composer.compose(original, draft, List.of());

        assertThat(reply.inReplyTo()).isEmpty();
        assertThat(reply.references()).containsExactly("<1@example.com>");
        assertThat(reply.references()).noneMatch(id -> id.startsWith("digest:"));
    }

    @Test
    void a_long_thread_keeps_the_first_and_the_latest_references() {
        List<String> refs = new ArrayList<>();
        for (int i = 1; i <= 30; i++) {
            refs.add("<" + i + "@example.com>");
        }
        OutboundReply reply = composer.compose(mail().references(refs).build(), draft, List.of());

        assertThat(reply.references()).hasSize(ReplyComposer.MAX_REFERENCES);
        assertThat(reply.references().get(0)).isEqualTo("<1@example.com>");
        assertThat(reply.references()).endsWith("<30@example.com>", "<42@example.com>");
    }

    @Test
    void replies_to_the_original_from_even_when_reply_to_points_elsewhere() {
        InboundMail original = mail()
                .replyTo(List.of(EmailAddress.of("attacker@evil.example")))
                .cc(List.of(EmailAddress.of("boss@example.com")))
                .build();

        OutboundReply reply = composer.compose(original, draft, List.of());

        assertThat(reply.to().address()).isEqualTo("ada@example.com");
        assertThat(reply.from().address()).isEqualTo("support@shop.example");
    }

    @Test
    void carries_loop_prevention_headers() {
        OutboundReply reply = composer.compose(mail().build(), draft, List.of());

        assertThat(reply.headers())
                .containsEntry("Auto-Submitted", "auto-replied")
                .containsEntry("X-Loop", "shop-support-loop");
    }

    @Test
    void loop_id_defaults_to_the_from_address() {
        ReplyComposer defaulted = ReplyComposer.builder().from(EmailAddress.of("Support@Shop.Example")).build();

        assertThat(defaulted.compose(mail().build(), draft, List.of()).headers())
                .containsEntry("X-Loop", "support@shop.example");
    }

    @Test
    void every_reply_gets_a_fresh_message_id_in_our_domain() {
        OutboundReply first = composer.compose(mail().build(), draft, List.of());
        OutboundReply second = composer.compose(mail().build(), draft, List.of());

        assertThat(first.messageId()).startsWith("<ragmail.").endsWith("@shop.example>");
        assertThat(second.messageId()).isNotEqualTo(first.messageId());
    }

    @Test
    void body_and_review_notes_come_from_the_draft_and_the_caller() {
        OutboundReply reply = composer.compose(mail().build(), draft, List.of("low confidence"));

        assertThat(reply.text()).isEqualTo("Here is the sheet.");
        assertThat(reply.subject()).isEqualTo("Re: Acetone SDS");
        assertThat(reply.reviewNotes()).containsExactly("low confidence");
    }

    @Test
    void refuses_a_mail_without_a_usable_from() {
        InboundMail noFrom = mail().from(EmailAddress.of("")).build();

        assertThatThrownBy(() -> composer.compose(noFrom, draft, List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no usable From");
    }

    @Test
    void needs_a_full_from_address() {
        assertThatThrownBy(() -> ReplyComposer.builder().from(EmailAddress.of("support")).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("from");
        assertThatThrownBy(() -> ReplyComposer.builder().build())
                .isInstanceOf(NullPointerException.class);
    }
}
