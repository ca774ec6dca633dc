package io.ragmail.testkit;

import jakarta.mail.Folder;
import jakarta.mail.Session;
import jakarta.mail.Store;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestMailServerTest {

    private final TestMailServer server = new TestMailServer();

    @AfterEach
    void close() {
        server.close();
    }

    @Test
    void runs_on_dynamic_ports() {
        server.start();
        assertThat(server.smtpPort()).isPositive().isNotEqualTo(25).isNotEqualTo(3025);
        assertThat(server.imapPort()).isPositive().isNotEqualTo(server.smtpPort());
    }

    @Test
    void delivers_raw_bytes_unchanged_into_an_inbox() {
        server.start();
        String raw = "From: ada@example.com\r\nTo: support@example.com\r\nSubject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?=\r\n"
                + "Message-ID: <raw-1@example.com>\r\nX-Custom: kept\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n東京\r\n";

        server.deliver("support@example.com", raw.getBytes(StandardCharsets.UTF_8));

        TestMessage message = server.received("support@example.com").get(0);
        assertThat(message.messageId()).isEqualTo("<raw-1@example.com>");
        assertThat(message.subject()).isEqualTo("Grüße");
        assertThat(message.header("X-Custom")).contains("kept");
        assertThat(message.text().strip()).isEqualTo("東京");
    }

    @Test
    void delivers_an_eml_file(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        server.start();
        Path eml = dir.resolve("mail.eml");
        Files.writeString(eml, "From: a@example.com\r\nTo: b@example.com\r\nSubject: eml\r\n"
                + "Message-ID: <eml@example.com>\r\n\r\nhello\r\n");

        server.deliver("b@example.com", eml);

        assertThat(server.received("b@example.com")).extracting(TestMessage::messageId)
                .containsExactly("<eml@example.com>");
    }

    @Test
    void convenience_delivery_is_readable_over_imap() throws Exception {
        server.start();
        server.createUser("support@example.com", "pw");
        String id = server.deliver("ada@example.com", "support@example.com", "Frage", "Grüße",
                Map.of("Auto-Submitted", "no"));

        var account = server.imapAccount("support@example.com", "pw");
        try (Store store = Session.getInstance(new Properties()).getStore("imap")) {
            store.connect(account.host(), account.port(), account.user(), account.password());
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            assertThat(inbox.getMessageCount()).isEqualTo(1);
            assertThat(inbox.getMessage(1).getHeader("Message-ID")).containsExactly(id);
            inbox.close(false);
        }
        assertThat(server.received("support@example.com").get(0).header("Auto-Submitted")).contains("no");
    }

    @Test
    void restart_keeps_ports_users_and_mail() throws Exception {
        server.start();
        server.createUser("support@example.com", "pw");
        server.deliver("ada@example.com", "support@example.com", "kept", "body", Map.of());
        int smtp = server.smtpPort();
        int imap = server.imapPort();

        server.stop();
        assertThat(server.isRunning()).isFalse();
        assertThatThrownBy(() -> new Socket().connect(new InetSocketAddress("127.0.0.1", imap), 1000))
                .isInstanceOf(ConnectException.class);
        server.start();

        assertThat(server.smtpPort()).isEqualTo(smtp);
        assertThat(server.imapPort()).isEqualTo(imap);
        assertThat(server.received("support@example.com")).extracting(TestMessage::subject).containsExactly("kept");
        assertThat(server.greenMail().getUserManager().test("support@example.com", "pw")).isTrue();
    }

    @Test
    void unknown_user_or_folder_has_no_messages() {
        server.start();
        server.createUser("support@example.com", "pw");
        assertThat(server.messages("nobody@example.com", "INBOX")).isEmpty();
        assertThat(server.messages("support@example.com", "NoSuchFolder")).isEmpty();
    }
}
