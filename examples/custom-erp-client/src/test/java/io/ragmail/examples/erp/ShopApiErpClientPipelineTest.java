package io.ragmail.examples.erp;

import io.ragmail.core.EmailAddress;
import io.ragmail.core.Pipeline;
import io.ragmail.core.imap.ImapDraftsSink;
import io.ragmail.core.imap.ImapMailSource;
import io.ragmail.core.ledger.MailState;
import io.ragmail.core.ledger.SqliteLedger;
import io.ragmail.core.smtp.SmtpMailSink;
import io.ragmail.core.template.TemplateDrafter;
import io.ragmail.core.verify.AuthenticationResultsVerifier;
import io.ragmail.testkit.TestMailServer;
import io.ragmail.testkit.TestMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The ERP client in the real pipeline (GreenMail, SQLite ledger, sender verification from our own
 * server's Authentication-Results header, the template drafter): a verified customer's order status
 * reaches the reply; the same question from an unverified sender gets none of it.
 */
class ShopApiErpClientPipelineTest {

    static final String SUPPORT = "support@shop.example";
    static final String PASSWORD = "support-secret";
    static final String OUR_MX = "mx.shop.example";

    @TempDir
    Path dir;

    TestMailServer mail;
    FakeShopApi shop;

    @BeforeEach
    void start() throws Exception {
        mail = new TestMailServer().start();
        mail.createUser(SUPPORT, PASSWORD);
        shop = new FakeShopApi();
    }

    @AfterEach
    void stop() {
        shop.close();
        mail.close();
    }

    @Test
    void a_verified_customer_is_told_their_own_order_status_and_an_unverified_sender_is_told_nothing() {
        deliver("<q1@customers.example>", "Authentication-Results: " + OUR_MX
                + "; dkim=pass header.d=customers.example; dmarc=pass header.from=customers.example\r\n");
        deliver("<q2@customers.example>", ""); // same address, but nothing proves it is Ada

        try (SqliteLedger ledger = SqliteLedger.open(dir.resolve("ledger.db"));
             Pipeline pipeline = Pipeline.builder()
                     .source(ImapMailSource.builder().account(mail.imapAccount(SUPPORT, PASSWORD)).build())
                     .withoutKnowledge()
                     .erp(ShopApiErpClient.builder().baseUrl(shop.baseUrl()).apiToken(FakeShopApi.TOKEN).build())
                     .senderVerifier(AuthenticationResultsVerifier.builder().authservId(OUR_MX).build())
                     .drafter(TemplateDrafter.builder().autoSend(true).signature("The Example Shop team").build())
                     .sink(SmtpMailSink.builder().account(mail.smtpAccount()).build())
                     .reviewSink(ImapDraftsSink.builder().account(mail.imapAccount(SUPPORT, PASSWORD)).build())
                     .ledger(ledger)
                     .from(EmailAddress.of(SUPPORT))
                     .pollWait(Duration.ofMillis(300))
                     .build()) {
            pipeline.start();
            // both are answered: the unverified one without private data (UnverifiedSenderAction's default)
            await().atMost(Duration.ofSeconds(30)).until(() -> ledger.countByState().getOrDefault(MailState.SENT, 0L) == 2);
        }

        List<TestMessage> replies = mail.received("ada@customers.example");
        TestMessage toVerified = reply(replies, "<q1@customers.example>");
        TestMessage toUnverified = reply(replies, "<q2@customers.example>");
        assertThat(toVerified.text()).contains("S00042").contains("shipped").contains("1Z999AA10123456784");
        assertThat(toUnverified.text()).doesNotContain("shipped").doesNotContain("1Z999AA10123456784")
                .contains("registered");
        // the orders were read once, for the verified mail only
        assertThat(shop.requested()).filteredOn(path -> path.endsWith("/orders"))
                .containsExactly("/api/v1/customers/C-1001/orders");
    }

    private void deliver(String messageId, String authenticationResults) {
        String raw = authenticationResults
                + "From: Ada Lovelace <ada@customers.example>\r\n"
                + "To: " + SUPPORT + "\r\n"
                + "Subject: Delivery question\r\n"
                + "Message-ID: " + messageId + "\r\n"
                + "Date: Fri, 04 Dec 2026 10:00:00 +0000\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=UTF-8\r\n"
                + "\r\n"
                + "Hello, where is my order S00042? Regards, Ada\r\n";
        mail.deliver(SUPPORT, raw.getBytes(StandardCharsets.UTF_8));
    }

    private static TestMessage reply(List<TestMessage> replies, String inReplyTo) {
        return replies.stream().filter(m -> m.header("In-Reply-To").orElse("").equals(inReplyTo)).findFirst()
                .orElseThrow(() -> new AssertionError("no reply to " + inReplyTo));
    }
}
