package io.ragmail.core.imap;

import io.ragmail.core.InboundMail;
import io.ragmail.core.MailAccount;
import io.ragmail.core.MailOutcome;
import io.ragmail.core.MailSecurity;
import io.ragmail.core.MailSource;
import io.ragmail.core.OutboundReply;
import io.ragmail.testkit.contract.MailSourceContract;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The IMAP source and drafts sink against Dovecot, the production server, started on a free
 * loopback port for this class: the {@link MailSourceContract}, plus what GreenMail cannot show
 * (RFC 6154 special-use folders) or shows differently (keywords in PERMANENTFLAGS).
 *
 * <p>Skipped, with the reason, where {@code /usr/sbin/dovecot} is missing ({@code apt-get install -y
 * dovecot-imapd}) or the tests do not run as root (Dovecot switches to the mail user {@code nobody}).
 */
class DovecotImapMailSourceTest extends MailSourceContract {

    private static final Path DOVECOT = Path.of("/usr/sbin/dovecot");
    private static final String USER = "support";
    private static final String PASSWORD = "dovecot-secret";

    private static Path dir;
    private static Process dovecot;
    private static int port;

    @BeforeAll
    static void startDovecot() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(DOVECOT),
                "Dovecot is not installed (apt-get install -y dovecot-imapd): Dovecot tests skipped");
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "Dovecot tests need root (the server switches to the mail user nobody): skipped");
        dir = Files.createTempDirectory("ragmail-dovecot");
        for (String sub : List.of("run", "state", "home")) {
            Files.createDirectories(dir.resolve(sub));
        }
        // the mail user must reach its home
        new ProcessBuilder("chmod", "-R", "a+rwx", dir.toString()).start().waitFor();
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        Files.writeString(dir.resolve("users"), USER + ":{PLAIN}" + PASSWORD + "\n");
        Files.writeString(dir.resolve("dovecot.conf"), String.join("\n",
                "base_dir = " + dir.resolve("run"),
                "state_dir = " + dir.resolve("state"),
                "log_path = " + dir.resolve("dovecot.log"),
                "protocols = imap",
                "listen = 127.0.0.1",
                "ssl = no",
                "disable_plaintext_auth = no",
                "first_valid_uid = 1",
                "passdb {", "  driver = passwd-file", "  args = scheme=PLAIN " + dir.resolve("users"), "}",
                "userdb {", "  driver = static", "  args = uid=nobody gid=nogroup home=" + dir.resolve("home") + "/%u", "}",
                "mail_location = maildir:~/Maildir",
                "service imap-login {", "  inet_listener imap {", "    port = " + port, "  }", "  chroot =", "}",
                "service anvil {", "  chroot =", "}",
                "namespace inbox {", "  inbox = yes",
                "  mailbox Envoyes {", "    special_use = \\Sent", "  }",
                "  mailbox Brouillons {", "    special_use = \\Drafts", "  }",
                "}", ""));
        dovecot = new ProcessBuilder(DOVECOT.toString(), "-F", "-c", dir.resolve("dovecot.conf").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return true;
            } catch (IOException e) {
                return false;
            }
        });
        // the user's folders exist once created by a client, as on a real server
        clientFolder("Brouillons", f -> f.exists() || f.create(Folder.HOLDS_MESSAGES));
    }

    @AfterAll
    static void stopDovecot() throws Exception {
        if (dovecot != null) {
            dovecot.destroy();
            dovecot.waitFor();
        }
    }

    private static MailAccount account() {
        return new MailAccount("127.0.0.1", port, MailSecurity.NONE, USER, PASSWORD);
    }

    private ImapMailSource.Builder builder() {
        return ImapMailSource.builder().account(account())
                .connectTimeout(Duration.ofSeconds(5)).readTimeout(Duration.ofSeconds(10));
    }

    @Override
    protected MailSource createSource() {
        return builder().build();
    }

    @Override
    protected void deliver(byte[] rawMessage) throws Exception {
        clientFolder("INBOX", f -> {
            f.appendMessages(new Message[] {new MimeMessage(Session.getInstance(new Properties()),
                    new ByteArrayInputStream(rawMessage))});
            return null;
        });
    }

    interface FolderAction {
        Object apply(Folder folder) throws Exception;
    }

    private static Object clientFolder(String name, FolderAction action) throws Exception {
        Store store = Session.getInstance(new Properties()).getStore("imap");
        store.connect("127.0.0.1", port, USER, PASSWORD);
        try {
            return action.apply(store.getFolder(name));
        } finally {
            store.close();
        }
    }

    private static Flags flagsOf(String messageId) throws Exception {
        return (Flags) clientFolder("INBOX", f -> {
            f.open(Folder.READ_ONLY);
            try {
                for (Message m : f.getMessages()) {
                    String[] ids = m.getHeader("Message-ID");
                    if (ids != null && ids[0].equals(messageId)) {
                        return m.getFlags();
                    }
                }
                return null;
            } finally {
                f.close(false);
            }
        });
    }

    @Test
    void on_dovecot_mail_that_needs_a_person_keeps_unread_with_a_keyword_and_answered_mail_gets_both_marks() throws Exception {
        MailSource source = newSource();
        String needsPerson = newMessageId();
        String answered = newMessageId();
        deliver(message(needsPerson, "needs a person"));
        deliver(message(answered, "answered"));
        List<InboundMail> seen = new ArrayList<>();
        InboundMail first = pollUntil(source, needsPerson, seen);
        InboundMail second = seen.stream().anyMatch(m -> m.key().messageId().equals(answered))
                ? seen.stream().filter(m -> m.key().messageId().equals(answered)).findFirst().orElseThrow()
                : pollUntil(source, answered, seen);

        source.acknowledge(first, MailOutcome.NEEDS_PERSON);
        source.acknowledge(second, MailOutcome.ANSWERED);

        Flags kept = flagsOf(needsPerson);
        assertThat(kept.contains(Flags.Flag.SEEN)).isFalse();
        assertThat(kept.contains(ImapMailSource.DEFAULT_UNANSWERED_KEYWORD)).isTrue();
        Flags done = flagsOf(answered);
        assertThat(done.contains(Flags.Flag.SEEN)).isTrue();
        assertThat(done.contains(Acknowledgement.DEFAULT_KEYWORD)).isTrue();
    }

    @Test
    void on_dovecot_the_drafts_folder_is_found_by_its_special_use_attribute() throws Exception {
        try (ImapDraftsSink sink = ImapDraftsSink.builder().account(account()).build()) {
            String id = "<" + UUID.randomUUID() + "@ragmail.test>";
            OutboundReply reply = new OutboundReply(id, io.ragmail.core.EmailAddress.of("support@example.com"),
                    io.ragmail.core.EmailAddress.of("ada@example.com"), "Re: x", "", List.of(), "Bonjour",
                    java.util.Map.of(), List.of());

            sink.deliver(reply);

            assertThat(sink.folderName()).isEqualTo("Brouillons");
            assertThat(sink.findDelivered(id)).isEqualTo(io.ragmail.core.Delivery.DELIVERED);
        }
    }
}
