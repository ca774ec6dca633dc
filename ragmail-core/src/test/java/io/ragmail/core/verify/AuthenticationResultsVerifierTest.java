package io.ragmail.core.verify;

import io.ragmail.core.EmailAddress;
import io.ragmail.core.InboundMail;
import io.ragmail.core.MailHeaders;
import io.ragmail.core.MailKey;
import io.ragmail.core.SenderIdentity;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AuthenticationResultsVerifierTest {

    private static final String OURS = "mx.shop.example";

    private final SenderVerifier verifier = AuthenticationResultsVerifier.builder().authservId(OURS).build();

    /** Header fields top to bottom, as the mail arrived in our mailbox. */
    private static InboundMail mail(String from, String... nameValuePairs) {
        MailHeaders.Builder headers = MailHeaders.builder();
        for (int i = 0; i < nameValuePairs.length; i += 2) {
            headers.add(nameValuePairs[i], nameValuePairs[i + 1]);
        }
        return InboundMail.builder().key(new MailKey("INBOX", "<1@x>")).from(EmailAddress.of(from))
                .headers(headers.build()).build();
    }

    private static final String AR = "Authentication-Results";
    private static final String RECEIVED_BY_US = "from mail-sor-f41.google.com (mail-sor-f41.google.com [209.85.220.41]) "
            + "by mx.shop.example (Postfix) with ESMTPS id 4Xy2; Sat, 28 Nov 2026 10:00:00 +0000";

    static Stream<Arguments> realWorldHeaders() {
        return Stream.of(
                Arguments.of("Gmail style: dkim via header.i, spf and dmarc pass, with comments",
                        mail("ada@example.com", AR, OURS + ";\r\n       dkim=pass header.i=@example.com header.s=20230601 header.b=AbCdEf12;\r\n"
                                + "       spf=pass (google.com: domain of ada@example.com designates 209.85.220.41 as permitted sender; x=y) smtp.mailfrom=ada@example.com;\r\n"
                                + "       dmarc=pass (p=NONE sp=NONE dis=NONE) header.from=example.com", "Received", RECEIVED_BY_US),
                        true),
                Arguments.of("Fastmail style with many properties",
                        mail("bob@example.org", AR, OURS + ";\n    dkim=pass (2048-bit rsa key sha256) header.d=example.org header.i=@example.org "
                                + "header.b=Xy12 header.a=rsa-sha256 header.s=fm1 x-bits=2048;\n    dmarc=pass policy.published-domain-policy=none "
                                + "policy.applied-disposition=none (p=none,d=none,d.eval=none) policy.policy-from=p header.from=example.org;\n"
                                + "    spf=pass smtp.mailfrom=bob@example.org smtp.helo=out1.example.org"),
                        true),
                Arguments.of("only dmarc=pass for the From domain",
                        mail("c@customer.example", AR, OURS + "; spf=none smtp.mailfrom=customer.example; dmarc=pass header.from=customer.example"),
                        true),
                Arguments.of("dkim=pass by the parent domain of the From subdomain (relaxed alignment)",
                        mail("c@mail.customer.example", AR, OURS + "; dkim=pass header.d=customer.example"),
                        true),
                Arguments.of("authserv-id with a version and in another case",
                        mail("c@customer.example", AR, "MX.Shop.Example 1; dkim=pass header.d=customer.example"),
                        true),
                Arguments.of("Outlook style without authserv-id: cannot tell who wrote it",
                        mail("d@contoso.com", AR, "spf=pass (sender IP is 40.107.22.55) smtp.mailfrom=contoso.com; dkim=pass "
                                + "(signature was verified) header.d=contoso.com;dmarc=pass action=none header.from=contoso.com;compauth=pass reason=100"),
                        false),
                Arguments.of("forged header with another authserv-id",
                        mail("ceo@customer.example", AR, "mx.attacker.example; dkim=pass header.d=customer.example; dmarc=pass header.from=customer.example",
                                "Received", RECEIVED_BY_US),
                        false),
                Arguments.of("forged header with our authserv-id below our own (added before our server received it)",
                        mail("ceo@customer.example", AR, OURS + "; dkim=none; dmarc=none header.from=customer.example",
                                "Received", RECEIVED_BY_US,
                                AR, OURS + "; dkim=pass header.d=customer.example; dmarc=pass header.from=customer.example"),
                        false),
                Arguments.of("our server added none: the only header with our authserv-id is below our server's Received line",
                        mail("ceo@customer.example", "Received", RECEIVED_BY_US,
                                AR, OURS + "; dkim=pass header.d=customer.example; dmarc=pass header.from=customer.example"),
                        false),
                Arguments.of("the topmost header is another server's; one with our authserv-id below it is forged",
                        mail("ceo@customer.example", AR, "mx.relay.example; none",
                                AR, OURS + "; dkim=pass header.d=customer.example; dmarc=pass header.from=customer.example"),
                        false),
                Arguments.of("dkim=pass for a different domain (a mailing service's own signature)",
                        mail("e@customer.example", AR, OURS + "; dkim=pass header.d=sendgrid.net; spf=pass smtp.mailfrom=sendgrid.net"),
                        false),
                Arguments.of("dkim=pass for a look-alike domain ending in the same letters",
                        mail("e@customer.example", AR, OURS + "; dkim=pass header.d=evilcustomer.example"),
                        false),
                Arguments.of("dmarc=fail even though dkim claims pass",
                        mail("f@customer.example", AR, OURS + "; dkim=pass header.d=customer.example; dmarc=fail (p=reject) header.from=customer.example"),
                        false),
                Arguments.of("dmarc=pass for another From domain",
                        mail("f@customer.example", AR, OURS + "; dmarc=pass header.from=other.example"),
                        false),
                Arguments.of("dkim=fail and spf=pass only (SPF alone is not enough)",
                        mail("g@customer.example", AR, OURS + "; dkim=fail (bad signature) header.d=customer.example; spf=pass smtp.mailfrom=customer.example"),
                        false),
                Arguments.of("multiple headers from our server (opendkim and opendmarc), dmarc in the second",
                        mail("h@customer.example", AR, OURS + "; dkim=fail header.d=customer.example",
                                AR, OURS + "; dmarc=pass header.from=customer.example", "Received", RECEIVED_BY_US),
                        true),
                Arguments.of("our server's none result",
                        mail("i@customer.example", AR, OURS + "; none"),
                        false),
                Arguments.of("missing header",
                        mail("j@customer.example", "Received", RECEIVED_BY_US),
                        false),
                Arguments.of("garbage header",
                        mail("k@customer.example", AR, ";;;(((\"=== dkim=pass"),
                        false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("realWorldHeaders")
    void verifies_only_passing_aligned_results_from_our_own_server(String description, InboundMail mail, boolean verified) {
        SenderIdentity sender = verifier.verify(mail);

        assertThat(sender.verified()).as(description + " -> " + sender.note()).isEqualTo(verified);
        assertThat(sender.address()).isEqualTo(mail.from());
        assertThat(sender.note()).isNotBlank();
    }

    @Test
    void a_reply_to_elsewhere_makes_a_dkim_verified_sender_unverified() {
        InboundMail mail = mail("ada@example.com", AR, OURS + "; dkim=pass header.d=example.com").toBuilder()
                .replyTo(List.of(EmailAddress.of("collect@attacker.example"))).build();

        SenderIdentity sender = verifier.verify(mail);

        assertThat(sender.verified()).isFalse();
        assertThat(sender.note()).contains("Reply-To collect@attacker.example");
    }

    @Test
    void a_reply_to_the_same_address_in_another_case_is_fine() {
        InboundMail mail = mail("ada@example.com", AR, OURS + "; dkim=pass header.d=example.com").toBuilder()
                .replyTo(List.of(EmailAddress.of("Ada@Example.com"))).build();

        assertThat(verifier.verify(mail).verified()).isTrue();
    }

    @Test
    void the_reply_to_check_can_be_turned_off() {
        SenderVerifier lenient = AuthenticationResultsVerifier.builder().authservId(OURS).checkReplyTo(false).build();
        InboundMail mail = mail("ada@example.com", AR, OURS + "; dkim=pass header.d=example.com").toBuilder()
                .replyTo(List.of(EmailAddress.of("assistant@example.com"))).build();

        assertThat(lenient.verify(mail).verified()).isTrue();
    }

    @Test
    void verification_turned_off_verifies_everyone_and_unconfigured_verifies_no_one() {
        InboundMail mail = mail("ada@example.com");

        assertThat(SenderVerifier.trustEveryone().verify(mail).verified()).isTrue();
        assertThat(SenderVerifier.trustNoOne().verify(mail).verified()).isFalse();
    }

    @Test
    void several_receiving_servers_can_be_trusted() {
        SenderVerifier two = AuthenticationResultsVerifier.builder().authservId("mx1.shop.example", "mx2.shop.example").build();

        assertThat(two.verify(mail("a@c.example", AR, "mx2.shop.example; dkim=pass header.d=c.example")).verified()).isTrue();
    }

    @Test
    void the_builder_names_the_missing_or_bad_setting() {
        assertThatThrownBy(() -> AuthenticationResultsVerifier.builder().build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("authservId is required");
        assertThatThrownBy(() -> AuthenticationResultsVerifier.builder().authservId("mx; dkim=pass"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("authservId");
    }

    @Test
    void alignment_accepts_equal_and_parent_child_domains_only() {
        assertThat(AuthenticationResultsVerifier.aligned("example.com", "EXAMPLE.com.")).isTrue();
        assertThat(AuthenticationResultsVerifier.aligned("example.com", "mail.example.com")).isTrue();
        assertThat(AuthenticationResultsVerifier.aligned("mail.example.com", "example.com")).isTrue();
        assertThat(AuthenticationResultsVerifier.aligned("com", "example.com")).isFalse();
        assertThat(AuthenticationResultsVerifier.aligned("news.example.com", "shop.example.com")).isFalse();
        assertThat(AuthenticationResultsVerifier.aligned("badexample.com", "example.com")).isFalse();
    }
}
