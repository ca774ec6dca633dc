package io.ragmail.core.smtp;

import io.ragmail.core.AuthenticationException;
import io.ragmail.core.Delivery;
import io.ragmail.core.MailAccount;
import io.ragmail.core.MailSecurity;
import io.ragmail.core.MailSink;
import io.ragmail.core.NonRetriableException;
import io.ragmail.core.OutboundReply;
import io.ragmail.core.RagmailException;
import io.ragmail.core.RetriableException;
import io.ragmail.testkit.TestMailServer;
import io.ragmail.testkit.TestMessage;
import io.ragmail.testkit.contract.DeliveredMail;
import io.ragmail.testkit.contract.MailSinkContract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

class SmtpMailSinkTest extends MailSinkContract {

    private static final String SUPPORT = "support@example.com";
    private static final String PASSWORD = "s3cret-Pa55";

    private TestMailServer server;

    @BeforeEach
    void startServer() {
        server = new TestMailServer().start();
        server.createUser(SUPPORT, PASSWORD);
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Override
    protected MailSink createSink() {
        return builder().sentFolder(server.imapAccount(SUPPORT, PASSWORD), "Sent").build();
    }

    @Override
    protected List<DeliveredMail> delivered() {
        return server.received(replyTo().address()).stream().map(DeliveredMail::of).toList();
    }

    private SmtpMailSink.Builder builder() {
        return SmtpMailSink.builder()
                .account(server.smtpAccount(SUPPORT, PASSWORD))
                .connectTimeout(Duration.ofSeconds(2))
                .readTimeout(Duration.ofSeconds(5));
    }

    @Test
    void name_is_smtp() {
        assertThat(sink().name()).isEqualTo("smtp");
    }

    @Test
    void files_a_seen_copy_in_the_sent_folder_and_finds_it_there() {
        OutboundReply reply = reply("Re: Sent copy", "Grüße, 東京");

        sink().deliver(reply);

        List<TestMessage> sent = server.messages(SUPPORT, "Sent");
        assertThat(sent).singleElement().satisfies(m -> {
            assertThat(m.messageId()).isEqualTo(reply.messageId());
            assertThat(m.flags()).contains("\\Seen");
            assertThat(m.text()).isEqualTo("Grüße, 東京");
        });
        assertThat(sink().findDelivered(reply.messageId())).isEqualTo(Delivery.DELIVERED);
    }

    @Test
    void without_a_sent_folder_cannot_tell_whether_a_reply_was_delivered() {
        try (SmtpMailSink plain = builder().build()) {
            OutboundReply reply = reply("Re: no sent folder", "Hallo");
            plain.deliver(reply);

            assertThat(plain.findDelivered(reply.messageId())).isEqualTo(Delivery.UNKNOWN);
            assertThat(server.received(replyTo().address())).hasSize(1);
        }
    }

    @Test
    void before_any_delivery_the_missing_sent_folder_means_not_delivered() {
        assertThat(sink().findDelivered("<nothing@ragmail.test>")).isEqualTo(Delivery.NOT_DELIVERED);
    }

    @Test
    void sends_without_authentication_to_a_relay() {
        try (SmtpMailSink relay = SmtpMailSink.builder().account(server.smtpAccount()).build()) {
            OutboundReply reply = reply("Re: relay", "Hallo");
            relay.deliver(reply);

            assertThat(server.received(replyTo().address())).extracting(TestMessage::messageId)
                    .containsExactly(reply.messageId());
        }
    }

    @Test
    void wrong_password_is_an_authentication_exception_without_the_password() {
        try (SmtpMailSink wrong = SmtpMailSink.builder()
                .account(server.smtpAccount(SUPPORT, "wrong-Pa55word")).build()) {

            AuthenticationException e = catchThrowableOfType(AuthenticationException.class,
                    () -> wrong.deliver(reply("Re: x", "y")));

            assertThat(e.component()).isEqualTo("smtp");
            assertThat(e.getMessage()).doesNotContain("wrong-Pa55word").contains(SUPPORT);
            assertThat(server.received(replyTo().address())).isEmpty();
        }
    }

    @Test
    void server_down_is_retriable_and_the_sink_recovers_after_a_restart() {
        OutboundReply reply = reply("Re: outage", "Hallo");
        sink();
        server.stop();

        RetriableException e = catchThrowableOfType(RetriableException.class, () -> sink().deliver(reply));
        assertThat(e.component()).isEqualTo("smtp");
        assertThat(e.getMessage()).doesNotContain(PASSWORD);

        server.start();
        sink().deliver(reply);

        assertThat(server.received(replyTo().address())).extracting(TestMessage::messageId)
                .containsExactly(reply.messageId());
        assertThat(sink().findDelivered(reply.messageId())).isEqualTo(Delivery.DELIVERED);
    }

    @Test
    void connections_kept_from_before_a_server_restart_are_replaced_and_each_reply_goes_out_once() {
        OutboundReply before = reply("Re: before", "Hallo");
        OutboundReply after = reply("Re: after", "Hallo again");
        sink().deliver(before);

        server.restart(); // the kept SMTP and IMAP connections are now dead
        sink().deliver(after);

        assertThat(server.received(replyTo().address())).extracting(TestMessage::messageId)
                .containsExactlyInAnyOrder(before.messageId(), after.messageId());
        assertThat(server.messages(SUPPORT, "Sent")).extracting(TestMessage::messageId)
                .containsExactlyInAnyOrder(before.messageId(), after.messageId());
        assertThat(sink().findDelivered(after.messageId())).isEqualTo(Delivery.DELIVERED);
    }

    @Test
    void many_threads_share_a_few_connections_and_every_reply_goes_out_once() throws Exception {
        SmtpMailSink shared = builder().maxConnections(2).sentFolder(server.imapAccount(SUPPORT, PASSWORD), "Sent").build();
        List<OutboundReply> replies = new java.util.ArrayList<>();
        for (int i = 0; i < 24; i++) {
            replies.add(reply("Re: parallel " + i, "Antwort " + i));
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            List<java.util.concurrent.Future<?>> futures = new java.util.ArrayList<>();
            for (OutboundReply r : replies) {
                futures.add(pool.submit(() -> shared.deliver(r)));
            }
            for (java.util.concurrent.Future<?> f : futures) {
                f.get(60, java.util.concurrent.TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
            shared.close();
        }

        List<String> ids = replies.stream().map(OutboundReply::messageId).toList();
        assertThat(server.received(replyTo().address())).extracting(TestMessage::messageId)
                .containsExactlyInAnyOrderElementsOf(ids);
        assertThat(server.messages(SUPPORT, "Sent")).extracting(TestMessage::messageId)
                .containsExactlyInAnyOrderElementsOf(ids);
    }

    @Test
    void connection_settings_are_validated_by_name() {
        assertThatThrownBy(() -> builder().maxConnections(0).build()).hasMessageContaining("maxConnections");
        assertThatThrownBy(() -> builder().maxIdle(Duration.ofSeconds(-1)).build()).hasMessageContaining("maxIdle");
    }

    @Test
    void find_delivered_while_the_server_is_down_is_retriable_not_a_guess() {
        sink();
        server.stop();

        assertThatThrownBy(() -> sink().findDelivered("<x@ragmail.test>")).isInstanceOf(RetriableException.class);
    }

    @Test
    void line_breaks_in_the_subject_do_not_add_header_fields() {
        OutboundReply reply = new OutboundReply("<inject-1@ragmail.test>", replyFrom(), replyTo(),
                "Re: hi\r\nBcc: victim@evil.test\r\nX-Injected: yes", "<orig\r\nX-Injected: 2@x>", List.of(),
                "body", Map.of("X-Loop", "support@example.com\r\nX-Injected: 3"), List.of());

        sink().deliver(reply);

        TestMessage mail = server.received(replyTo().address()).get(0);
        assertThat(mail.headerNames()).doesNotContain("Bcc", "X-Injected");
        assertThat(mail.subject()).isEqualTo("Re: hi Bcc: victim@evil.test X-Injected: yes");
        assertThat(server.received("victim@evil.test")).isEmpty();
    }

    @Test
    void a_reply_header_that_would_override_a_sink_header_is_rejected() {
        OutboundReply reply = new OutboundReply("<bcc@ragmail.test>", replyFrom(), replyTo(), "Re: x", "",
                List.of(), "body", Map.of("Bcc", "victim@evil.test"), List.of());

        assertThatThrownBy(() -> sink().deliver(reply)).isInstanceOf(NonRetriableException.class)
                .isNotInstanceOf(RetriableException.class);
        assertThat(server.received(replyTo().address())).isEmpty();
    }

    @Test
    void a_reply_without_in_reply_to_has_no_such_header() {
        OutboundReply reply = new OutboundReply("<fresh@ragmail.test>", replyFrom(), replyTo(), "Hallo", "",
                List.of(), "body", Map.of(), List.of());

        sink().deliver(reply);

        TestMessage mail = server.received(replyTo().address()).get(0);
        assertThat(mail.headerNames()).doesNotContain("In-Reply-To", "References");
        assertThat(mail.messageId()).isEqualTo("<fresh@ragmail.test>");
    }

    @Test
    void long_references_are_folded_and_read_back_whole() {
        List<String> refs = java.util.stream.IntStream.range(0, 20)
                .mapToObj(i -> "<ref-" + i + "-abcdefghijklmnopqrstuvwxyz@customer.test>").toList();
        OutboundReply reply = new OutboundReply("<refs@ragmail.test>", replyFrom(), replyTo(), "Re: x",
                refs.get(19), refs, "body", Map.of(), List.of());

        sink().deliver(reply);

        TestMessage mail = server.received(replyTo().address()).get(0);
        assertThat(mail.header("References").orElseThrow().split("\\s+")).containsExactlyElementsOf(refs);
    }

    @Test
    void sends_over_smtps_and_files_over_imaps_trusting_a_test_certificate() {
        try (TestMailServer tls = TestMailServer.withSsl().start()) {
            tls.createUser(SUPPORT, PASSWORD);
            SmtpMailSink.Builder builder = SmtpMailSink.builder()
                    .account(tls.smtpsAccount(SUPPORT, PASSWORD))
                    .sentFolder(tls.imapsAccount(SUPPORT, PASSWORD), "Sent");
            TestMailServer.sslTrustProperties().forEach(builder::sessionProperty);
            OutboundReply reply = reply("Re: TLS", "Grüße über TLS");

            try (SmtpMailSink sink = builder.build()) {
                sink.deliver(reply);

                assertThat(tls.received(replyTo().address())).extracting(TestMessage::messageId)
                        .containsExactly(reply.messageId());
                await().atMost(WAIT).until(() -> sink.findDelivered(reply.messageId()) == Delivery.DELIVERED);
            }
        }
    }

    @Test
    void smtps_with_an_untrusted_certificate_fails_without_sending() {
        try (TestMailServer tls = TestMailServer.withSsl().start();
                SmtpMailSink sink = SmtpMailSink.builder().account(tls.smtpsAccount(SUPPORT, PASSWORD)).build()) {
            tls.createUser(SUPPORT, PASSWORD);

            assertThatThrownBy(() -> sink.deliver(reply("Re: x", "y"))).isInstanceOf(RagmailException.class);
            assertThat(tls.received(replyTo().address())).isEmpty();
        }
    }

    @Test
    void a_failing_sent_folder_copy_does_not_fail_a_reply_that_has_left() {
        try (SmtpMailSink sink = builder().sentFolder(server.imapAccount(SUPPORT, "not-the-password"), "Sent")
                .build()) {
            OutboundReply reply = reply("Re: copy fails", "Hallo");

            sink.deliver(reply);

            assertThat(server.received(replyTo().address())).extracting(TestMessage::messageId)
                    .containsExactly(reply.messageId());
            assertThat(server.messages(SUPPORT, "Sent")).isEmpty();
        }
    }

    @Test
    void required_starttls_that_the_server_does_not_offer_fails_instead_of_sending_in_clear_text() {
        // GreenMail 2.1 has no STARTTLS; a real STARTTLS handshake is therefore not tested here.
        MailAccount plain = server.smtpAccount(SUPPORT, PASSWORD);
        try (SmtpMailSink sink = SmtpMailSink.builder().account(new MailAccount(plain.host(), plain.port(),
                MailSecurity.STARTTLS, SUPPORT, PASSWORD)).build()) {

            assertThatThrownBy(() -> sink.deliver(reply("Re: x", "y"))).isInstanceOf(RagmailException.class)
                    .hasMessageNotContaining(PASSWORD);
            assertThat(server.received(replyTo().address())).isEmpty();
        }
    }

    @Test
    void to_string_masks_the_password() {
        assertThat(sink().toString()).doesNotContain(PASSWORD).contains("SmtpMailSink", "Sent");
    }

    @Test
    void the_sent_folder_is_found_by_its_common_name_when_none_is_named() {
        server.createFolder(SUPPORT, "Sent Items"); // as Exchange and Outlook name it
        try (SmtpMailSink sink = builder().sentFolder(server.imapAccount(SUPPORT, PASSWORD)).build()) {
            OutboundReply reply = reply("Re: found", "Hallo");

            sink.deliver(reply);

            assertThat(server.messages(SUPPORT, "Sent Items")).extracting(TestMessage::messageId)
                    .containsExactly(reply.messageId());
            assertThat(server.messages(SUPPORT, "Sent")).isEmpty();
            assertThat(sink.findDelivered(reply.messageId())).isEqualTo(Delivery.DELIVERED);
            assertThat(sink.sentFolderName()).contains("Sent Items");
        }
    }

    @Test
    void a_server_that_files_sent_mail_itself_gets_no_second_copy_and_its_copy_is_found() {
        server.fileSentMail(SUPPORT, "Sent");
        try (SmtpMailSink sink = builder().sentFolder(server.imapAccount(SUPPORT, PASSWORD)).serverFilesSent(true).build()) {
            OutboundReply reply = reply("Re: filed by the server", "Hallo");

            sink.deliver(reply);

            assertThat(server.messages(SUPPORT, "Sent")).extracting(TestMessage::messageId)
                    .containsExactly(reply.messageId());
            assertThat(sink.findDelivered(reply.messageId())).isEqualTo(Delivery.DELIVERED);
        }
        assertThatThrownBy(() -> builder().serverFilesSent(true).build()).hasMessageContaining("serverFilesSent");
    }

    /** A sink behind a proxy that answers the end of DATA only after the sink's read timeout. */
    private SmtpMailSink slowToAccept(SlowSmtpProxy proxy, boolean serverFilesSent) {
        return SmtpMailSink.builder()
                .account(new MailAccount("127.0.0.1", proxy.port(), MailSecurity.NONE, SUPPORT, PASSWORD))
                .connectTimeout(Duration.ofSeconds(5))
                .readTimeout(Duration.ofSeconds(1))
                .sentFolder(server.imapAccount(SUPPORT, PASSWORD))
                .serverFilesSent(serverFilesSent)
                .build();
    }

    @Test
    void a_reply_whose_250_was_lost_to_a_timeout_is_found_where_the_server_files_sent_mail() throws Exception {
        server.fileSentMail(SUPPORT, "Sent");
        OutboundReply reply = reply("Re: slow server", "Hallo");
        try (SlowSmtpProxy proxy = new SlowSmtpProxy(server.smtpPort(), Duration.ofSeconds(4));
                SmtpMailSink sink = slowToAccept(proxy, true)) {

            assertThatThrownBy(() -> sink.deliver(reply)).isInstanceOf(RetriableException.class);

            // the server took it: a retry must not send it again, and findDelivered says so
            assertThat(server.received(replyTo().address())).extracting(TestMessage::messageId)
                    .containsExactly(reply.messageId());
            assertThat(sink.findDelivered(reply.messageId())).isEqualTo(Delivery.DELIVERED);
        }
    }

    @Test
    void with_its_own_sent_copy_the_sink_cannot_see_a_250_lost_to_a_timeout() throws Exception {
        OutboundReply reply = reply("Re: slow server", "Hallo");
        try (SlowSmtpProxy proxy = new SlowSmtpProxy(server.smtpPort(), Duration.ofSeconds(4));
                SmtpMailSink sink = slowToAccept(proxy, false)) {

            assertThatThrownBy(() -> sink.deliver(reply)).isInstanceOf(RetriableException.class);

            // the documented at-least-once window: delivered, yet no copy, so a retry sends it again
            assertThat(server.received(replyTo().address())).extracting(TestMessage::messageId)
                    .containsExactly(reply.messageId());
            assertThat(sink.findDelivered(reply.messageId())).isEqualTo(Delivery.NOT_DELIVERED);
        }
    }
}
