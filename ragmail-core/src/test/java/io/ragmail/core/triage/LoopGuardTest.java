package io.ragmail.core.triage;

import io.ragmail.core.EmailAddress;
import io.ragmail.core.InboundMail;
import io.ragmail.core.MailHeaders;
import io.ragmail.core.MailKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Set;
import java.util.stream.Stream;

import static io.ragmail.core.triage.TestMails.mail;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class LoopGuardTest {

    static final String LOOP_ID = "support@shop.example";

    final LoopGuard guard = new LoopGuard(
            Set.of(EmailAddress.of("support@shop.example"), EmailAddress.of("orders@shop.example")),
            LOOP_ID);

    /** Real-world header combinations (trimmed to what matters) that must never be answered. */
    static Stream<Arguments> neverAnswered() {
        return Stream.of(
                arguments("Gmail vacation responder",
                        mail("Ada Lovelace <ada.lovelace@gmail.com>",
                                "Subject: Out of office: Re: Acetone SDS",
                                "Auto-Submitted: auto-replied",
                                "Precedence: bulk",
                                "X-Autoreply: yes"),
                        "auto-submitted: auto-replied (RFC 3834)"),
                arguments("Exchange Online OOF",
                        mail("Bob Smith <bob@contoso.com>",
                                "Subject: Automatic reply: Acetone SDS",
                                "Auto-Submitted: auto-generated",
                                "X-Auto-Response-Suppress: All",
                                "X-MS-Exchange-Inbox-Rules-Loop: bob@contoso.com",
                                "X-MS-Exchange-Generated-Message-Source: Mailbox Rules Agent"),
                        "auto-submitted: auto-generated (RFC 3834)"),
                arguments("Exchange 2010 internal OOF without Auto-Submitted",
                        mail("Bob Smith <bob@contoso.com>",
                                "Subject: Out of Office: Acetone SDS",
                                "X-Auto-Response-Suppress: All",
                                "Thread-Topic: Acetone SDS"),
                        "x-auto-response-suppress: All"),
                arguments("Exchange inbox-rule redirect of a mail (rules loop marker only)",
                        mail("Bob Smith <bob@contoso.com>",
                                "Subject: FW: Acetone SDS",
                                "X-MS-Exchange-Inbox-Rules-Loop: bob@contoso.com"),
                        "exchange generated: X-MS-Exchange-Inbox-Rules-Loop: bob@contoso.com"),
                arguments("Dovecot Pigeonhole Sieve vacation",
                        mail("carol@mail.example.org",
                                "Subject: Auto: Acetone SDS",
                                "Auto-Submitted: auto-replied (vacation)",
                                "Precedence: bulk"),
                        "auto-submitted: auto-replied (vacation) (RFC 3834)"),
                arguments("Zimbra out-of-office",
                        mail("dave@zimbra.example.com",
                                "Subject: Re: Acetone SDS",
                                "Auto-Submitted: auto-replied (zimbra; vacation)",
                                "Precedence: bulk"),
                        "auto-submitted: auto-replied (zimbra; vacation) (RFC 3834)"),
                arguments("Auto-Submitted with odd case and parameters",
                        mail("eve@example.com",
                                "Auto-Submitted: Auto-Generated; owner-email=\"it@example.com\""),
                        "auto-submitted: Auto-Generated; owner-email=\"it@example.com\" (RFC 3834)"),
                arguments("Postfix bounce",
                        mail("MAILER-DAEMON@mx.shop.example (Mail Delivery System)",
                                "Return-Path: <>",
                                "Subject: Undelivered Mail Returned to Sender",
                                "Auto-Submitted: auto-replied",
                                "Content-Type: multipart/report; report-type=delivery-status; boundary=\"A1.1700000000/mx\""),
                        "auto-submitted: auto-replied (RFC 3834)"),
                arguments("Sendmail DSN (no Auto-Submitted)",
                        mail("Mail Delivery Subsystem <MAILER-DAEMON@relay.example.edu>",
                                "Return-Path: <>",
                                "Subject: Returned mail: see transcript for details",
                                "Content-Type: multipart/report; report-type=delivery-status; boundary=\"x\""),
                        "delivery or read report: multipart/report"),
                arguments("Exim bounce",
                        mail("Mail Delivery System <Mailer-Daemon@mail.example.org>",
                                "Return-Path: <>",
                                "X-Failed-Recipients: nobody@example.org",
                                "Auto-Submitted: auto-replied",
                                "Subject: Mail delivery failed: returning message to sender"),
                        "auto-submitted: auto-replied (RFC 3834)"),
                arguments("bounce forwarded by a helpdesk that kept only X-Failed-Recipients",
                        mail("helpdesk@customer.example",
                                "X-Failed-Recipients: nobody@example.org",
                                "Subject: Fwd: Mail delivery failed"),
                        "bounce: X-Failed-Recipients: nobody@example.org"),
                arguments("qmail bounce, plain text, null envelope sender",
                        mail("MAILER-DAEMON@qmail.example.net",
                                "Return-Path: <>",
                                "Subject: failure notice"),
                        "null envelope sender: Return-Path: <>"),
                arguments("Outlook read receipt (MDN)",
                        mail("Frank Miller <frank@customer.example>",
                                "Subject: Read: Acetone SDS",
                                "Content-Type: multipart/report; report-type=disposition-notification; boundary=\"b\""),
                        "delivery or read report: multipart/report"),
                arguments("bare disposition notification",
                        mail("frank@customer.example",
                                "Content-Type: message/disposition-notification"),
                        "delivery or read report: message/disposition-notification"),
                arguments("Mailman 2 list post",
                        mail("Grace Hopper <grace@navy.example>",
                                "Subject: [users] Solvent question",
                                "List-Id: Users of things <users.lists.example.org>",
                                "List-Unsubscribe: <mailto:users-request@lists.example.org?subject=unsubscribe>",
                                "List-Post: <mailto:users@lists.example.org>",
                                "Precedence: list",
                                "Sender: users-bounces@lists.example.org"),
                        "precedence: list (bulk, junk, list or auto-reply mail)"),
                arguments("Mailman digest",
                        mail("users-request@lists.example.org",
                                "Subject: users Digest, Vol 12, Issue 3",
                                "List-Id: Users of things <users.lists.example.org>",
                                "List-Archive: <https://lists.example.org/pipermail/users/>"),
                        "list mail: List-Id: Users of things <users.lists.example.org>"),
                arguments("Google Groups post",
                        mail("Heidi <heidi@example.com>",
                                "Subject: [team] Order status?",
                                "Mailing-list: list team@googlegroups.com; contact team+owners@googlegroups.com",
                                "List-ID: <team.googlegroups.com>",
                                "List-Post: <https://groups.google.com/group/team/post>, <mailto:team@googlegroups.com>",
                                "Precedence: list",
                                "Sender: team@googlegroups.com"),
                        "precedence: list (bulk, junk, list or auto-reply mail)"),
                arguments("vger list mail (X-Mailing-List only)",
                        mail("Ivan <ivan@kernel.example>",
                                "Sender: linux-kernel-owner@vger.kernel.org",
                                "X-Mailing-List: linux-kernel@vger.kernel.org"),
                        "list mail: X-Mailing-List: linux-kernel@vger.kernel.org"),
                arguments("noreply@ newsletter with List-Unsubscribe",
                        mail("Shop News <noreply@news.vendor.example>",
                                "Subject: Our spring offers",
                                "List-Unsubscribe: <https://news.vendor.example/u/123>",
                                "List-Unsubscribe-Post: List-Unsubscribe=One-Click",
                                "Feedback-ID: 123:campaign:esp"),
                        "list mail: List-Unsubscribe: <https://news.vendor.example/u/123>"),
                arguments("no-reply transactional mail",
                        mail("Parcel Service <no-reply@parcels.example>",
                                "Subject: Your parcel is on its way"),
                        "system sender: no-reply@parcels.example"),
                arguments("DMARC aggregate report from noreply-dmarc-support",
                        mail("noreply-dmarc-support@google.com",
                                "Subject: Report domain: shop.example Submitter: google.com"),
                        "system sender: noreply-dmarc-support@google.com"),
                arguments("donotreply and VERP bounce envelope",
                        mail("DoNotReply@bank.example",
                                "Return-Path: <bounces+4711-abcd=shop.example@em.bank.example>"),
                        "system sender: donotreply@bank.example"),
                arguments("our own address as From, different case",
                        mail("Support Team <Support@Shop.Example>", "Subject: Re: Acetone SDS"),
                        "our own address: support@shop.example"),
                arguments("our second address as From",
                        mail("orders@shop.example", "Subject: Order 4711 confirmed"),
                        "our own address: orders@shop.example"),
                arguments("X-Loop with our loop id, other case",
                        mail("jack@customer.example",
                                "Subject: Re: Re: Acetone SDS",
                                "X-Loop: SUPPORT@shop.example"),
                        "x-loop: SUPPORT@shop.example (our own loop id)"),
                arguments("majordomo command answer from a -request address",
                        mail("linux-kernel-request@vger.kernel.org", "Subject: Majordomo results"),
                        "system sender: linux-kernel-request@vger.kernel.org"),
                arguments("owner- address",
                        mail("owner-announce@lists.example.org", "Subject: Moderation needed"),
                        "system sender: owner-announce@lists.example.org"),
                arguments("-owner address",
                        mail("announce-owner@lists.example.org", "Subject: Your post awaits approval"),
                        "system sender: announce-owner@lists.example.org"),
                arguments("LISTSERV",
                        mail("L-Soft list server <LISTSERV@listserv.example.edu>", "Subject: Output of your job"),
                        "system sender: listserv@listserv.example.edu"),
                arguments("postmaster",
                        mail("postmaster@customer.example", "Subject: Delivery delayed"),
                        "system sender: postmaster@customer.example"),
                arguments("list post seen only through the envelope sender",
                        mail("kim@example.com", "Return-Path: <owner-linux-kernel+kim=example.com@vger.kernel.org>"),
                        "system sender: owner-linux-kernel+kim=example.com@vger.kernel.org"),
                arguments("qmail autorespond",
                        mail("lea@example.com", "X-Autorespond: lea@example.com"),
                        "auto-reply header: X-Autorespond: lea@example.com"),
                arguments("X-Mail-Autoreply",
                        mail("max@example.com", "X-Mail-Autoreply: yes"),
                        "auto-reply header: X-Mail-Autoreply: yes"),
                arguments("X-AutoReply-From",
                        mail("nina@example.com", "X-AutoReply-From: nina@example.com"),
                        "auto-reply header: X-AutoReply-From: nina@example.com"),
                arguments("Precedence: junk",
                        mail("oscar@example.com", "Precedence: junk"),
                        "precedence: junk (bulk, junk, list or auto-reply mail)"),
                arguments("Precedence: auto_reply",
                        mail("paula@example.com", "Precedence: auto_reply"),
                        "precedence: auto_reply (bulk, junk, list or auto-reply mail)"),
                arguments("X-Auto-Response-Suppress: OOF among others",
                        mail("quentin@example.com", "X-Auto-Response-Suppress: DR, OOF, AutoReply"),
                        "x-auto-response-suppress: DR, OOF, AutoReply"),
                arguments("no From at all",
                        mail("", "Subject: ?"),
                        "no from address: the mail has no From address"),
                arguments("From without a domain",
                        mail("rita@", "Subject: hi"),
                        "from without domain: rita@"),
                arguments("From that is no address",
                        mail("undisclosed-recipients", "Subject: hi"),
                        "no from address: undisclosed-recipients is not a mailbox address"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("neverAnswered")
    void should_never_answer(String description, InboundMail mail, String expectedReason) {
        TriageDecision decision = guard.check(mail);

        assertThat(decision.answer()).as(description).isFalse();
        assertThat(decision.reason()).isEqualTo(expectedReason);
    }

    /** Ordinary customer mail, some of it looking a little like automated mail, that IS answered. */
    static Stream<Arguments> answered() {
        return Stream.of(
                arguments("plain customer question",
                        mail("Ada Lovelace <ada@example.com>",
                                "Subject: Acetone SDS",
                                "Return-Path: <ada@example.com>")),
                arguments("Auto-Submitted: no",
                        mail("ada@example.com", "Auto-Submitted: no", "Subject: Order 4711")),
                arguments("Auto-Submitted: No with a comment",
                        mail("ada@example.com", "Auto-Submitted: No (written by hand)")),
                arguments("subject mentions auto reply",
                        mail("bob@customer.example", "Subject: RE: your auto reply did not answer my question")),
                arguments("X-Loop naming someone else",
                        mail("carol@customer.example", "X-Loop: helpdesk@customer.example")),
                arguments("noreply only in the display name",
                        mail("\"Noreply Fan Club\" <dave@example.com>", "Subject: Where is my order?")),
                arguments("local parts that only resemble system senders",
                        mail("bouncer@club.example", "Subject: Safety data sheet, please")),
                arguments("owner without dash",
                        mail("owner@bakery.example", "Subject: Bulk order of flour")),
                arguments("requests@ is not -request",
                        mail("requests@school.example", "Subject: Quote request")),
                arguments("Outlook suppressing only delivery and read receipts",
                        mail("erin@contoso.com", "X-Auto-Response-Suppress: DR, RN, NRN")),
                arguments("Precedence: first-class",
                        mail("frank@example.com", "Precedence: first-class")),
                arguments("a customer's reply in our thread",
                        mail("grace@example.com",
                                "Subject: Re: Acetone SDS",
                                "In-Reply-To: <ragmail.1@shop.example>",
                                "References: <42@example.com> <ragmail.1@shop.example>",
                                "Content-Type: multipart/alternative; boundary=\"b\"")),
                arguments("our domain but not our address",
                        mail("colleague@shop.example", "Subject: Internal question")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("answered")
    void should_answer_ordinary_customer_mail(String description, InboundMail mail) {
        assertThat(guard.check(mail)).as(description).isEqualTo(TriageDecision.ANSWER);
    }

    @Test
    void report_content_type_is_read_from_the_mail_even_without_a_header() {
        InboundMail mail = InboundMail.builder()
                .key(new MailKey("INBOX", "<1@x.example>"))
                .from(EmailAddress.of("ada@example.com"))
                .contentType("message/delivery-status")
                .build();

        assertThat(guard.check(mail).reason()).isEqualTo("delivery or read report: message/delivery-status");
    }

    @Test
    void header_values_in_reasons_lose_control_characters_and_are_cut_short() {
        String longValue = "auto-replied\r\nBcc: victim@example.com " + "x".repeat(500);
        InboundMail mail = InboundMail.builder()
                .key(new MailKey("INBOX", "<2@x.example>"))
                .from(EmailAddress.of("ada@example.com"))
                .headers(MailHeaders.builder().add("Auto-Submitted", longValue).build())
                .build();

        String reason = guard.check(mail).reason();

        assertThat(reason).startsWith("auto-submitted: auto-replied Bcc: victim@example.com xxx")
                .doesNotContain("\r", "\n")
                .endsWith("... (RFC 3834)");
        assertThat(reason.length()).isLessThan(200);
    }

    @Test
    void rules_are_checked_in_a_documented_order() {
        assertThat(guard.ruleNames()).containsExactly(
                "no from address", "from without domain", "our own address", "x-loop", "auto-submitted",
                "delivery or read report", "null envelope sender", "bounce", "auto-reply header",
                "x-auto-response-suppress", "exchange generated", "precedence", "list mail", "system sender");
    }

    @Test
    void loop_id_defaults_to_our_address() {
        LoopGuard defaulted = new LoopGuard(Set.of(EmailAddress.of("Help@Shop.Example")), " ");

        assertThat(defaulted.check(mail("ada@example.com", "X-Loop: help@shop.example")).reason())
                .isEqualTo("x-loop: help@shop.example (our own loop id)");
    }

    @Test
    void needs_a_loop_id_or_an_address() {
        assertThatThrownBy(() -> new LoopGuard(Set.of(), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("loopId");
        assertThatThrownBy(() -> new LoopGuard(null, "x"))
                .isInstanceOf(NullPointerException.class);
    }
}
