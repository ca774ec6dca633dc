package io.ragmail.testkit;

import com.icegreen.greenmail.store.FolderException;
import com.icegreen.greenmail.store.MailFolder;
import com.icegreen.greenmail.store.StoredMessage;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.ragmail.core.MailAccount;
import io.ragmail.core.MailSecurity;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * A real SMTP + IMAP server in the test's JVM (GreenMail 2.1), on free ports of 127.0.0.1 chosen
 * by the operating system, for testing mail sources and sinks against real protocols.
 *
 * <pre>{@code
 * try (TestMailServer server = new TestMailServer().start()) {
 *     server.createUser("support@example.com", "secret");
 *     server.deliver("ada@example.com", "support@example.com", "Question", "Hello", Map.of());
 *     MailAccount imap = server.imapAccount("support@example.com", "secret");
 *     MailSink sink = SmtpMailSink.builder().account(server.smtpAccount()).build();
 *     sink.deliver(reply);
 *     server.received("ada@example.com"); // what arrived over SMTP
 * }
 * }</pre>
 *
 * <p><b>Restarts.</b> {@link #restart()} (or {@link #stop()} then {@link #start()}) brings the
 * servers back on the <em>same</em> ports, so clients configured before keep working, and users and
 * mailboxes survive, as on a real server. (GreenMail by itself does not do this: its {@code stop()}
 * replaces the user and mailbox store with an empty one, and a start with port 0 picks new ports;
 * this class pins the ports chosen on the first start and keeps the store across stops.) While
 * stopped, connections are refused — which is how tests simulate a mail server outage.
 *
 * <p><b>TLS.</b> {@link #withSsl()} also runs SMTPS and IMAPS with GreenMail's bundled self-signed
 * certificate; clients must trust it with {@link #sslTrustProperties()} (tests only).
 *
 * <p>Users: {@link #createUser(String, String)} makes the address also the login. SMTP accepts mail
 * without authentication and delivers it to the INBOX of the recipient, creating the recipient if
 * unknown (login = address, password = address).
 */
public final class TestMailServer implements AutoCloseable {

    private static final String HOST = "127.0.0.1";

    private final PinnedPortsGreenMail greenMail;
    private final boolean ssl;

    /** SMTP and IMAP only; not started. */
    public TestMailServer() {
        this(false);
    }

    private TestMailServer(boolean ssl) {
        this.ssl = ssl;
        List<ServerSetup> setups = new ArrayList<>();
        setups.add(new ServerSetup(0, HOST, ServerSetup.PROTOCOL_SMTP));
        setups.add(new ServerSetup(0, HOST, ServerSetup.PROTOCOL_IMAP));
        if (ssl) {
            setups.add(new ServerSetup(0, HOST, ServerSetup.PROTOCOL_SMTPS));
            setups.add(new ServerSetup(0, HOST, ServerSetup.PROTOCOL_IMAPS));
        }
        this.greenMail = new PinnedPortsGreenMail(setups.toArray(ServerSetup[]::new));
    }

    /** SMTP, IMAP, SMTPS and IMAPS (self-signed certificate); not started. */
    public static TestMailServer withSsl() {
        return new TestMailServer(true);
    }

    /** Starts the servers (again on the same ports after a {@link #stop()}); returns this. */
    public TestMailServer start() {
        greenMail.start();
        return this;
    }

    /** Stops the servers; users and mailboxes are kept for the next {@link #start()}. */
    public void stop() {
        greenMail.stop();
    }

    /** {@link #stop()} then {@link #start()}: same ports, same users and mail. */
    public TestMailServer restart() {
        stop();
        return start();
    }

    public boolean isRunning() {
        return greenMail.isRunning();
    }

    @Override
    public void close() {
        if (greenMail.isRunning()) {
            greenMail.stop();
        }
    }

    /** Creates a user whose login and address are both {@code address}. */
    public void createUser(String address, String password) {
        greenMail.setUser(address, address, password);
    }

    public int smtpPort() {
        return greenMail.port(ServerSetup.PROTOCOL_SMTP);
    }

    public int imapPort() {
        return greenMail.port(ServerSetup.PROTOCOL_IMAP);
    }

    /** The SMTPS port; only with {@link #withSsl()}. */
    public int smtpsPort() {
        return greenMail.port(ServerSetup.PROTOCOL_SMTPS);
    }

    /** The IMAPS port; only with {@link #withSsl()}. */
    public int imapsPort() {
        return greenMail.port(ServerSetup.PROTOCOL_IMAPS);
    }

    /** Plain IMAP login for {@code user}. */
    public MailAccount imapAccount(String user, String password) {
        return new MailAccount(HOST, imapPort(), MailSecurity.NONE, user, password);
    }

    /** IMAPS login for {@code user}; only with {@link #withSsl()}, and with {@link #sslTrustProperties()}. */
    public MailAccount imapsAccount(String user, String password) {
        return new MailAccount(HOST, imapsPort(), MailSecurity.SSL, user, password);
    }

    /** Plain SMTP without authentication. */
    public MailAccount smtpAccount() {
        return new MailAccount(HOST, smtpPort(), MailSecurity.NONE, "", "");
    }

    /** Plain SMTP with AUTH as {@code user} (the password is checked). */
    public MailAccount smtpAccount(String user, String password) {
        return new MailAccount(HOST, smtpPort(), MailSecurity.NONE, user, password);
    }

    /** SMTPS with AUTH; only with {@link #withSsl()}, and with {@link #sslTrustProperties()}. */
    public MailAccount smtpsAccount(String user, String password) {
        return new MailAccount(HOST, smtpsPort(), MailSecurity.SSL, user, password);
    }

    /**
     * Jakarta Mail session properties that make a client trust GreenMail's self-signed certificate
     * and skip the host name check. For tests only.
     */
    public static Map<String, String> sslTrustProperties() {
        Map<String, String> props = new LinkedHashMap<>();
        for (String protocol : List.of("smtp", "smtps", "imap", "imaps")) {
            props.put("mail." + protocol + ".ssl.trust", "*");
            props.put("mail." + protocol + ".ssl.checkserveridentity", "false");
        }
        return props;
    }

    /** Delivers a raw RFC 822 message, unchanged, into the INBOX of {@code user} (created if unknown). */
    public void deliver(String user, byte[] rfc822) {
        try {
            MimeMessage message = new MimeMessage(session(), new ByteArrayInputStream(rfc822));
            userOrCreate(user).deliver(message);
        } catch (MessagingException e) {
            throw new IllegalArgumentException("not a parseable RFC 822 message", e);
        }
    }

    /** Delivers an {@code .eml} file, unchanged, into the INBOX of {@code user}. */
    public void deliver(String user, Path eml) {
        try {
            deliver(user, Files.readAllBytes(eml));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Delivers a simple UTF-8 text mail into the INBOX of {@code to} (created if unknown); returns
     * its {@code Message-ID}.
     */
    public String deliver(String from, String to, String subject, String body, Map<String, String> extraHeaders) {
        try {
            MimeMessage message = new MimeMessage(session());
            message.setFrom(new InternetAddress(from));
            message.setRecipient(Message.RecipientType.TO, new InternetAddress(to));
            message.setSubject(subject, StandardCharsets.UTF_8.name());
            message.setSentDate(new java.util.Date());
            message.setText(body, StandardCharsets.UTF_8.name());
            for (Map.Entry<String, String> header : extraHeaders.entrySet()) {
                message.addHeader(header.getKey(), header.getValue());
            }
            message.saveChanges();
            String messageId = message.getMessageID();
            // re-parse so that what IMAP serves is exactly these bytes
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            message.writeTo(out);
            deliver(to, out.toByteArray());
            return messageId;
        } catch (MessagingException e) {
            throw new IllegalArgumentException("cannot build the mail: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * From now on, mail that arrives over SMTP with the envelope sender {@code address} (a user of
     * this server) is also filed, flagged {@code \Seen}, in that user's {@code folder} (created when
     * missing) before the server answers the DATA command, as Gmail and Microsoft 365 file sent mail
     * in Sent. For testing sinks that rely on the server's copy ({@code serverFilesSent}).
     */
    public void fileSentMail(String address, String folder) {
        java.util.Objects.requireNonNull(folder, "folder");
        GreenMailUser sender = userOrCreate(address);
        com.icegreen.greenmail.user.UserManager users = greenMail.getUserManager();
        com.icegreen.greenmail.user.MessageDeliveryHandler delivery = users.getMessageDeliveryHandler();
        java.util.Set<Object> filed = java.util.Collections.newSetFromMap(new java.util.WeakHashMap<>());
        users.setMessageDeliveryHandler((message, recipient) -> {
            // called once per recipient: file the message once, before any of them gets it
            if (message.getReturnPath() != null && message.getReturnPath().getEmail().equalsIgnoreCase(sender.getEmail())
                    && filed.add(message)) {
                try {
                    com.icegreen.greenmail.imap.ImapHostManager host = greenMail.getManagers().getImapHostManager();
                    MailFolder sent = host.getFolder(sender, folder);
                    if (sent == null) {
                        sent = host.createMailbox(sender, folder);
                    }
                    sent.appendMessage(new MimeMessage(message.getMessage()),
                            new jakarta.mail.Flags(jakarta.mail.Flags.Flag.SEEN), new java.util.Date());
                } catch (FolderException | com.icegreen.greenmail.imap.AuthorizationException e) {
                    throw new MessagingException("cannot file the sent copy", e);
                }
            }
            return delivery.handle(message, recipient);
        });
    }

    /** Creates {@code folder} (e.g. {@code "Sent Items"}) for {@code user}, as a server or another client would. */
    public void createFolder(String user, String folder) {
        try {
            com.icegreen.greenmail.imap.ImapHostManager host = greenMail.getManagers().getImapHostManager();
            if (host.getFolder(userOrCreate(user), folder) == null) {
                host.createMailbox(userOrCreate(user), folder);
            }
        } catch (FolderException | com.icegreen.greenmail.imap.AuthorizationException e) {
            throw new IllegalStateException("cannot create folder " + folder, e);
        }
    }

    /** What is in {@code folder} (e.g. {@code "INBOX"}, {@code "Sent"}) of {@code user}; empty when missing. */
    public List<TestMessage> messages(String user, String folder) {
        GreenMailUser account = user(user);
        if (account == null) {
            return List.of();
        }
        try {
            MailFolder mailFolder = greenMail.getManagers().getImapHostManager().getFolder(account, folder);
            if (mailFolder == null) {
                return List.of();
            }
            List<TestMessage> messages = new ArrayList<>();
            for (StoredMessage stored : mailFolder.getMessages()) {
                messages.add(new TestMessage(stored.getMimeMessage(), stored.getFlags()));
            }
            return messages;
        } catch (RuntimeException e) {
            if (e.getCause() instanceof FolderException) {
                return List.of();
            }
            throw e;
        }
    }

    /** What arrived (over SMTP, or by {@code deliver}) in the INBOX of {@code address}. */
    public List<TestMessage> received(String address) {
        return messages(address, "INBOX");
    }

    /** The GreenMail instance, for anything this class does not cover. */
    public GreenMail greenMail() {
        return greenMail;
    }

    private GreenMailUser user(String userOrAddress) {
        GreenMailUser user = greenMail.getUserManager().getUser(userOrAddress);
        return user != null ? user : greenMail.getUserManager().getUserByEmail(userOrAddress);
    }

    private GreenMailUser userOrCreate(String address) {
        GreenMailUser user = user(address);
        return user != null ? user : greenMail.setUser(address, address, address);
    }

    private static Session session() {
        return Session.getInstance(new Properties());
    }

    @Override
    public String toString() {
        return "TestMailServer[" + (greenMail.isRunning() ? "smtp=" + smtpPort() + ", imap=" + imapPort()
                + (ssl ? ", smtps=" + smtpsPort() + ", imaps=" + imapsPort() : "") : "stopped") + "]";
    }

    /** Pins the ports picked by the first start, so that a restart reuses them. */
    private static final class PinnedPortsGreenMail extends GreenMail {

        private final Map<String, Integer> ports = new LinkedHashMap<>();

        PinnedPortsGreenMail(ServerSetup[] setups) {
            super(setups);
        }

        @Override
        public synchronized void start() {
            super.start();
            if (ports.isEmpty()) {
                ServerSetup[] pinned = new ServerSetup[config.length];
                for (int i = 0; i < config.length; i++) {
                    String protocol = config[i].getProtocol();
                    int port = services.get(protocol).getPort();
                    ports.put(protocol, port);
                    pinned[i] = config[i].createCopy(port, HOST, protocol);
                }
                config = pinned;
            }
        }

        /** GreenMail's own stop() replaces its managers, dropping users and mail; keep them instead. */
        @Override
        public synchronized void stop() {
            com.icegreen.greenmail.Managers kept = managers;
            super.stop();
            if (kept != null) {
                managers = kept;
            }
        }

        synchronized int port(String protocol) {
            Integer port = ports.get(protocol);
            if (port == null) {
                throw new IllegalStateException(protocol + " is not running (start the server; SSL needs withSsl())");
            }
            return port;
        }
    }
}
