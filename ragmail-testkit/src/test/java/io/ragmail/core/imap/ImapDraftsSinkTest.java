package io.ragmail.core.imap;

import io.ragmail.core.AuthenticationException;
import io.ragmail.core.Component;
import io.ragmail.core.Delivery;
import io.ragmail.core.MailSink;
import io.ragmail.core.OutboundReply;
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
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class ImapDraftsSinkTest extends MailSinkContract {

    private static final String SUPPORT = "support@example.com";
    private static final String PASSWORD = "dr4fts-Pa55";

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
        return builder().build();
    }

    @Override
    protected List<DeliveredMail> delivered() {
        return server.messages(SUPPORT, "Drafts").stream().map(DeliveredMail::of).toList();
    }

    private ImapDraftsSink.Builder builder() {
        return ImapDraftsSink.builder()
                .account(server.imapAccount(SUPPORT, PASSWORD))
                .connectTimeout(Duration.ofSeconds(2))
                .readTimeout(Duration.ofSeconds(5));
    }

    private OutboundReply withNotes(List<String> notes) {
        OutboundReply r = reply("Re: Rechnung", "Guten Tag,\nanbei die Antwort.\nGrüße, 東京");
        return new OutboundReply(r.messageId(), r.from(), r.to(), r.subject(), r.inReplyTo(), r.references(),
                r.text(), r.headers(), notes);
    }

    @Test
    void name_is_imap_drafts() {
        assertThat(sink().name()).isEqualTo(Component.IMAP);
    }

    @Test
    void files_a_draft_flagged_draft_in_a_created_drafts_folder_and_sends_nothing() {
        assertThat(server.messages(SUPPORT, "Drafts")).isEmpty();
        OutboundReply reply = withNotes(List.of());

        sink().deliver(reply);

        assertThat(server.messages(SUPPORT, "Drafts")).singleElement().satisfies(m -> {
            assertThat(m.messageId()).isEqualTo(reply.messageId());
            assertThat(m.flags()).contains("\\Draft");
        });
        assertThat(server.received(replyTo().address())).isEmpty();
    }

    @Test
    void review_notes_are_on_the_top_lines_of_the_draft() {
        OutboundReply reply = withNotes(List.of("low confidence (0.41)", "mentions an invoice\r\nX-Evil: 1"));

        sink().deliver(reply);

        String body = server.messages(SUPPORT, "Drafts").get(0).text().replace("\r\n", "\n");
        assertThat(body.lines().toList()).startsWith(
                "[ragmail: needs review] low confidence (0.41)",
                "[ragmail: needs review] mentions an invoice X-Evil: 1",
                ImapDraftsSink.SEPARATOR,
                "Guten Tag,");
        assertThat(body.strip()).endsWith("Grüße, 東京");
    }

    @Test
    void uses_a_configured_folder() {
        try (ImapDraftsSink review = builder().folder("Review").build()) {
            OutboundReply reply = withNotes(List.of("new customer"));
            review.deliver(reply);

            assertThat(server.messages(SUPPORT, "Review")).extracting(TestMessage::messageId)
                    .containsExactly(reply.messageId());
            assertThat(review.findDelivered(reply.messageId())).isEqualTo(Delivery.DELIVERED);
            assertThat(server.messages(SUPPORT, "Drafts")).isEmpty();
        }
    }

    @Test
    void before_the_folder_exists_nothing_is_delivered() {
        assertThat(sink().findDelivered("<x@ragmail.test>")).isEqualTo(Delivery.NOT_DELIVERED);
    }

    @Test
    void wrong_password_is_an_authentication_exception_without_the_password() {
        try (ImapDraftsSink wrong = ImapDraftsSink.builder()
                .account(server.imapAccount(SUPPORT, "wrong-Pa55word")).build()) {

            AuthenticationException e = catchThrowableOfType(AuthenticationException.class,
                    () -> wrong.deliver(withNotes(List.of())));

            assertThat(e.component()).isEqualTo("imap");
            assertThat(e.getMessage()).doesNotContain("wrong-Pa55word");
        }
    }

    @Test
    void server_down_is_retriable_and_the_sink_recovers_after_a_restart() {
        OutboundReply reply = withNotes(List.of("check"));
        sink();
        server.stop();

        RetriableException e = catchThrowableOfType(RetriableException.class, () -> sink().deliver(reply));
        assertThat(e.component()).isEqualTo("imap");
        assertThat(e.getMessage()).doesNotContain(PASSWORD);

        server.start();
        sink().deliver(reply);

        assertThat(sink().findDelivered(reply.messageId())).isEqualTo(Delivery.DELIVERED);
    }

    @Test
    void a_connection_kept_from_before_a_server_restart_is_replaced_and_the_draft_filed_once() {
        OutboundReply before = reply("Re: before", "Hallo");
        OutboundReply after = reply("Re: after", "Hallo again");
        sink().deliver(before);

        server.restart();
        sink().deliver(after);

        assertThat(server.messages(SUPPORT, "Drafts")).extracting(TestMessage::messageId)
                .containsExactlyInAnyOrder(before.messageId(), after.messageId());
    }

    @Test
    void files_drafts_over_imaps_trusting_a_test_certificate() {
        try (TestMailServer tls = TestMailServer.withSsl().start()) {
            tls.createUser(SUPPORT, PASSWORD);
            ImapDraftsSink.Builder builder = ImapDraftsSink.builder().account(tls.imapsAccount(SUPPORT, PASSWORD));
            TestMailServer.sslTrustProperties().forEach(builder::sessionProperty);
            OutboundReply reply = withNotes(List.of("tls"));

            try (ImapDraftsSink sink = builder.build()) {
                sink.deliver(reply);

                assertThat(sink.findDelivered(reply.messageId())).isEqualTo(Delivery.DELIVERED);
                assertThat(tls.messages(SUPPORT, "Drafts")).hasSize(1);
            }
        }
    }

    @Test
    void body_without_notes_is_the_reply_text() {
        OutboundReply reply = withNotes(List.of());
        assertThat(ImapDraftsSink.body(reply)).isEqualTo(reply.text());
        assertThat(reply.headers()).isEqualTo(Map.of("Auto-Submitted", "auto-replied", "X-Loop", SUPPORT));
    }

    @Test
    void the_drafts_folder_is_found_by_its_common_name_when_none_is_named() {
        server.createFolder(SUPPORT, "INBOX.Drafts"); // as Courier and some cPanel servers name it
        try (ImapDraftsSink sink = builder().build()) {
            io.ragmail.core.OutboundReply reply = reply("Re: found", "Hallo");

            sink.deliver(reply);

            assertThat(server.messages(SUPPORT, "INBOX.Drafts")).hasSize(1);
            assertThat(server.messages(SUPPORT, "Drafts")).isEmpty();
            assertThat(sink.folderName()).isEqualTo("INBOX.Drafts");
        }
    }

    @Test
    void the_drafts_folder_is_found_by_its_special_use_attribute_whatever_its_name() throws Exception {
        server.createFolder(SUPPORT, "Brouillons");
        server.createFolder(SUPPORT, "Drafts"); // a decoy with the common name
        try (FaultyImapProxy proxy = new FaultyImapProxy(server.imapPort())) {
            proxy.markSpecialUse("Brouillons", "\\Drafts");
            io.ragmail.core.MailAccount viaProxy = new io.ragmail.core.MailAccount("127.0.0.1", proxy.port(),
                    io.ragmail.core.MailSecurity.NONE, SUPPORT, PASSWORD);
            try (ImapDraftsSink sink = ImapDraftsSink.builder().account(viaProxy).build()) {
                OutboundReply reply = reply("Re: found", "Bonjour");

                sink.deliver(reply);

                assertThat(server.messages(SUPPORT, "Brouillons")).extracting(TestMessage::messageId)
                        .containsExactly(reply.messageId());
                assertThat(server.messages(SUPPORT, "Drafts")).isEmpty();
                assertThat(sink.findDelivered(reply.messageId())).isEqualTo(Delivery.DELIVERED);
            }
        }
    }
}
