package io.ragmail.core.smtp;

import io.ragmail.core.Delivery;
import io.ragmail.core.MailAccount;
import io.ragmail.core.MailSink;
import io.ragmail.core.OutboundReply;
import io.ragmail.core.RagmailException;
import io.ragmail.core.mail.ImapFolderAccess;
import io.ragmail.core.mail.MailErrors;
import io.ragmail.core.mail.MailSessions;
import io.ragmail.core.mail.ReplyMessages;
import jakarta.mail.Address;
import jakarta.mail.Flags;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Sends replies over SMTP, and optionally files a copy (flagged {@code \Seen}) in an IMAP Sent
 * folder, where {@link #findDelivered(String)} looks replies up by {@code Message-ID} after a crash.
 *
 * <p>Each delivery uses its own short-lived SMTP connection, so the sink is thread-safe and recovers
 * by itself after the server restarts. Rejected credentials raise {@link
 * io.ragmail.core.AuthenticationException}; a refused connection, a timeout or a 4xx reply {@link
 * io.ragmail.core.RetriableException}; a permanent 5xx rejection {@link
 * io.ragmail.core.NonRetriableException}; all with component {@code "smtp"}. The envelope recipient
 * is always {@link OutboundReply#to()} only.
 *
 * <pre>{@code
 * MailSink sink = SmtpMailSink.builder()
 *         .account(new MailAccount("smtp.example.com", 587, MailSecurity.STARTTLS, "support@example.com", secret))
 *         .sentFolder(new MailAccount("imap.example.com", 993, MailSecurity.SSL, "support@example.com", secret), "Sent")
 *         .build();
 * sink.deliver(reply);
 * }</pre>
 */
public final class SmtpMailSink implements MailSink {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(30);

    private static final Logger LOG = LoggerFactory.getLogger(SmtpMailSink.class);
    private static final String COMPONENT = "smtp";

    private final MailAccount account;
    private final Session session;
    private final Clock clock;
    private final ImapFolderAccess sentFolder;

    private SmtpMailSink(Builder builder) {
        this.account = builder.account;
        this.clock = builder.clock;
        this.session = MailSessions.smtp(account, builder.connectTimeout, builder.readTimeout);
        this.session.getProperties().putAll(builder.sessionProperties);
        this.sentFolder = builder.sentAccount == null ? null
                : new ImapFolderAccess(builder.sentAccount, builder.sentFolderName, builder.connectTimeout,
                        builder.readTimeout, builder.sessionProperties, "imap");
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void deliver(OutboundReply reply) {
        Objects.requireNonNull(reply, "reply");
        MimeMessage message = ReplyMessages.build(session, reply, reply.text(), clock, COMPONENT);
        try {
            Address[] recipients = message.getRecipients(MimeMessage.RecipientType.TO);
            Transport transport = session.getTransport(MailSessions.smtpProtocol(account));
            try {
                if (account.authenticates()) {
                    transport.connect(account.host(), account.port(), account.user(), account.password());
                } else {
                    transport.connect();
                }
                transport.sendMessage(message, recipients);
            } finally {
                closeQuietly(transport);
            }
        } catch (MessagingException e) {
            throw MailErrors.map(COMPONENT, account, "sending reply " + ReplyMessages.sanitize(reply.messageId()), e);
        }
        LOG.debug("sent reply {} to {}", ReplyMessages.sanitize(reply.messageId()), reply.to().normalized());
        if (sentFolder != null) {
            try {
                sentFolder.append(message, new Flags(Flags.Flag.SEEN));
            } catch (RagmailException e) {
                // The reply has left: failing now would make the pipeline send it again.
                LOG.warn("reply {} was sent but could not be copied to folder {}: {}",
                        ReplyMessages.sanitize(reply.messageId()), sentFolder.folderName(), e.getMessage());
            }
        }
    }

    /**
     * Looks the reply up in the Sent folder; {@link Delivery#UNKNOWN} when none is configured.
     *
     * @throws io.ragmail.core.RetriableException when the Sent folder cannot be reached
     */
    @Override
    public Delivery findDelivered(String messageId) {
        return sentFolder == null ? Delivery.UNKNOWN : sentFolder.find(messageId);
    }

    @Override
    public String name() {
        return COMPONENT;
    }

    /** The folder where copies are filed, if one is configured. */
    public Optional<String> sentFolderName() {
        return Optional.ofNullable(sentFolder).map(ImapFolderAccess::folderName);
    }

    @Override
    public String toString() {
        return "SmtpMailSink[" + account + sentFolderName().map(f -> ", sent=" + f).orElse("") + "]";
    }

    private static void closeQuietly(Transport transport) {
        try {
            transport.close();
        } catch (MessagingException e) {
            LOG.debug("closing SMTP connection failed: {}", e.getMessage());
        }
    }

    /** Builds a {@link SmtpMailSink}; {@link #account(MailAccount)} is required. */
    public static final class Builder {

        private MailAccount account;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration readTimeout = DEFAULT_READ_TIMEOUT;
        private MailAccount sentAccount;
        private String sentFolderName;
        private Clock clock = Clock.systemUTC();
        private final Map<String, String> sessionProperties = new LinkedHashMap<>();

        private Builder() {
        }

        /** The SMTP server; {@code security} none, starttls or ssl. */
        public Builder account(MailAccount account) {
            this.account = Objects.requireNonNull(account, "account");
            return this;
        }

        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
            return this;
        }

        public Builder readTimeout(Duration readTimeout) {
            this.readTimeout = Objects.requireNonNull(readTimeout, "readTimeout");
            return this;
        }

        /** After each send, append a copy (flagged {@code \Seen}) to {@code folder} of this IMAP account. */
        public Builder sentFolder(MailAccount imapAccount, String folder) {
            this.sentAccount = Objects.requireNonNull(imapAccount, "imapAccount");
            this.sentFolderName = Objects.requireNonNull(folder, "folder");
            return this;
        }

        /** The clock for the {@code Date} header. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * An extra Jakarta Mail session property for the SMTP and Sent-folder connections, set last
         * (advanced; e.g. {@code mail.smtps.ssl.trust=*} to trust a test server's self-signed
         * certificate, never in production).
         */
        public Builder sessionProperty(String key, String value) {
            sessionProperties.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        public SmtpMailSink build() {
            if (account == null) {
                throw new IllegalStateException("account must be set");
            }
            requirePositive("connectTimeout", connectTimeout);
            requirePositive("readTimeout", readTimeout);
            if (sentFolderName != null && sentFolderName.isBlank()) {
                throw new IllegalStateException("sentFolder must not be blank");
            }
            return new SmtpMailSink(this);
        }

        private static void requirePositive(String name, Duration value) {
            if (value.isNegative() || value.isZero()) {
                throw new IllegalStateException(name + " must be positive, was " + value);
            }
        }
    }
}
