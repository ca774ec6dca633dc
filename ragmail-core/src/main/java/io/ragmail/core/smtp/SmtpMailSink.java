package io.ragmail.core.smtp;

import io.ragmail.core.Component;
import io.ragmail.core.Delivery;
import io.ragmail.core.MailAccount;
import io.ragmail.core.MailSink;
import io.ragmail.core.OutboundReply;
import io.ragmail.core.RagmailException;
import io.ragmail.core.internal.Settings;
import io.ragmail.core.mail.MailErrors;
import io.ragmail.core.mail.MailSessions;
import io.ragmail.core.mail.internal.ConnectionPool;
import io.ragmail.core.mail.internal.ImapFolderAccess;
import io.ragmail.core.mail.internal.ReplyMessages;
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
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.function.Consumer;

/**
 * Sends replies over SMTP, and optionally files a copy (flagged {@code \Seen}) in an IMAP Sent
 * folder, where {@link #findDelivered(String)} looks replies up by {@code Message-ID} after a crash.
 * The Sent folder is found by its RFC 6154 {@code \Sent} attribute (else a common name) unless
 * named; a server that files sent mail itself is told with {@code serverFilesSent(true)}.
 *
 * <p><b>At-least-once windows.</b> The copy can only be filed after the server's 250, so a crash
 * between the two, or a 250 lost to a timeout, leaves no copy: the pipeline then sends the reply
 * again, with the same {@code Message-ID}. Where the server files sent mail itself, its copy exists
 * before the 250 and {@code findDelivered} finds it, which closes both windows.
 *
 * <p>The sink is thread-safe. It keeps up to {@code maxConnections} SMTP connections (and as many
 * IMAP connections for the Sent folder) open between deliveries, each used by one thread at a time:
 * connecting, greeting, TLS and login happen once instead of per reply. Before reuse a connection is
 * checked with {@code NOOP} (one round trip, much cheaper than a new connection), so one that the
 * server closed or lost in a restart is replaced before anything is sent on it; one idle for longer
 * than {@code maxIdle} is replaced without asking; one that failed is closed. The sink never sends a
 * reply twice by itself: a failure is reported and the caller decides.
 * {@link #close()} closes the idle connections. Rejected credentials raise {@link
 * io.ragmail.core.AuthenticationException}; a refused connection, a timeout or a 4xx reply {@link
 * io.ragmail.core.RetriableException}; a permanent 5xx rejection {@link
 * io.ragmail.core.NonRetriableException}; all with component {@code "smtp"}. The envelope recipient
 * is always {@link OutboundReply#to()} only.
 *
 * <pre>{@code
 * MailSink sink = SmtpMailSink.builder()
 *         .account(new MailAccount("smtp.example.com", 587, MailSecurity.STARTTLS, "support@example.com", secret))
 *         .sentFolder(new MailAccount("imap.example.com", 993, MailSecurity.SSL, "support@example.com", secret))
 *         .build();
 * sink.deliver(reply);
 * }</pre>
 */
public final class SmtpMailSink implements MailSink {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(30);
    /** Connections kept open for reuse, per server (SMTP, and the Sent folder's IMAP server). */
    public static final int DEFAULT_MAX_CONNECTIONS = 4;
    /** A connection idle for longer is closed instead of reused. */
    public static final Duration DEFAULT_MAX_IDLE = Duration.ofSeconds(60);

    private static final Logger LOG = LoggerFactory.getLogger(SmtpMailSink.class);
    private static final String COMPONENT = Component.SMTP;

    private final MailAccount account;
    private final Session session;
    private final Clock clock;
    private final ImapFolderAccess sentFolder;
    private final ConnectionPool<Transport> transports;
    private final ScheduledThreadPoolExecutor writeTimeouts;
    private final boolean serverFilesSent;
    private final Consumer<String> afterAccepted;

    private SmtpMailSink(Builder builder) {
        this.account = builder.account;
        this.clock = builder.clock;
        this.session = MailSessions.smtp(account, builder.connectTimeout, builder.readTimeout);
        // One daemon thread times out writes for all connections; without it Jakarta Mail starts a
        // (non-daemon) thread per connection, and a kept connection would keep the JVM alive.
        this.writeTimeouts = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "ragmail-smtp-write-timeout");
            thread.setDaemon(true);
            return thread;
        });
        this.writeTimeouts.setRemoveOnCancelPolicy(true);
        this.session.getProperties().put("mail." + MailSessions.smtpProtocol(account) + ".executor.writetimeout",
                writeTimeouts);
        this.session.getProperties().putAll(builder.sessionProperties);
        ConnectionPool.Settings reuse = new ConnectionPool.Settings(builder.maxConnections, Duration.ZERO, builder.maxIdle,
                builder.clock);
        this.transports = new ConnectionPool<>(COMPONENT, reuse, builder.connectTimeout.plus(builder.readTimeout),
                this::connect, Transport::isConnected, SmtpMailSink::closeQuietly);
        this.serverFilesSent = builder.serverFilesSent;
        this.afterAccepted = builder.afterAccepted;
        if (builder.sentAccount == null) {
            this.sentFolder = null;
        } else if (builder.sentFolderName != null) {
            this.sentFolder = new ImapFolderAccess(builder.sentAccount, builder.sentFolderName, builder.connectTimeout,
                    builder.readTimeout, builder.sessionProperties, "imap", reuse);
        } else {
            this.sentFolder = new ImapFolderAccess(builder.sentAccount, ImapFolderAccess.Role.SENT,
                    builder.connectTimeout, builder.readTimeout, builder.sessionProperties, "imap", reuse);
        }
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
            send(message, recipients);
        } catch (MessagingException e) {
            throw MailErrors.map(COMPONENT, account, "sending reply " + ReplyMessages.sanitize(reply.messageId()), e);
        }
        LOG.debug("sent reply {} to {}", ReplyMessages.sanitize(reply.messageId()), reply.to().normalized());
        afterAccepted.accept(reply.messageId());
        if (sentFolder != null && !serverFilesSent) {
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

    /** Sends on a pooled connection, which is closed when anything goes wrong. */
    private void send(MimeMessage message, Address[] recipients) throws MessagingException {
        transports.use("SMTP", transport -> {
            transport.sendMessage(message, recipients);
            return null;
        });
    }

    private Transport connect() throws MessagingException {
        Transport transport = session.getTransport(MailSessions.smtpProtocol(account));
        try {
            if (account.authenticates()) {
                transport.connect(account.host(), account.port(), account.user(), account.password());
            } else {
                transport.connect();
            }
            return transport;
        } catch (MessagingException | RuntimeException e) {
            closeQuietly(transport);
            throw e;
        }
    }

    /** Closes the connections kept for reuse. */
    @Override
    public void close() {
        transports.close();
        writeTimeouts.shutdown();
        if (sentFolder != null) {
            sentFolder.close();
        }
    }

    private static void closeQuietly(Transport transport) {
        try {
            transport.close();
        } catch (MessagingException | RuntimeException e) {
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
        private int maxConnections = DEFAULT_MAX_CONNECTIONS;
        private Duration maxIdle = DEFAULT_MAX_IDLE;
        private final Map<String, String> sessionProperties = new LinkedHashMap<>();
        private boolean serverFilesSent;
        private Consumer<String> afterAccepted = id -> { };

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

        /**
         * After each send, append a copy (flagged {@code \Seen}) to {@code folder} of this IMAP
         * account, named explicitly (overrides the lookup of {@link #sentFolder(MailAccount)}).
         */
        public Builder sentFolder(MailAccount imapAccount, String folder) {
            this.sentAccount = Objects.requireNonNull(imapAccount, "imapAccount");
            this.sentFolderName = Objects.requireNonNull(folder, "folder");
            return this;
        }

        /**
         * After each send, append a copy (flagged {@code \Seen}) to the Sent folder of this IMAP
         * account, found on first use: the folder with the RFC 6154 {@code \Sent} attribute, else
         * one named "Sent", "Sent Items", "Sent Messages", ..., else "Sent" (created).
         */
        public Builder sentFolder(MailAccount imapAccount) {
            this.sentAccount = Objects.requireNonNull(imapAccount, "imapAccount");
            this.sentFolderName = null;
            return this;
        }

        /**
         * Whether the SMTP server files every mail sent through it in the Sent folder by itself
         * (Gmail, Microsoft 365/Exchange, many hosted Dovecot setups with a sieve or "save sent"
         * rule), default {@code false}. Then the sink appends no copy of its own (which would be a
         * second one), and {@link #findDelivered(String)} finds the server's copy: a crash or a timeout
         * after the server accepted the reply can then no longer make the pipeline send it twice.
         * Needs {@link #sentFolder(MailAccount)}. Only set it when the server really does this: the
         * sink cannot tell, and without copies every reply found in SENDING after a crash is sent again.
         */
        public Builder serverFilesSent(boolean serverFilesSent) {
            this.serverFilesSent = serverFilesSent;
            return this;
        }

        /** Test seam: runs right after the SMTP server accepted a reply, before the Sent copy. */
        Builder afterAccepted(Consumer<String> hook) {
            this.afterAccepted = Objects.requireNonNull(hook, "afterAccepted");
            return this;
        }

        /**
         * Connections kept open for reuse, default 4; also the
         * most deliveries in progress at once (more wait for a free connection).
         */
        public Builder maxConnections(int maxConnections) {
            this.maxConnections = maxConnections;
            return this;
        }

        /** A connection idle for longer is closed instead of reused, default 60 s; zero never reuses one. */
        public Builder maxIdle(Duration maxIdle) {
            this.maxIdle = Objects.requireNonNull(maxIdle, "maxIdle");
            return this;
        }

        /** The clock for the {@code Date} header and for connection idle times. */
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
                throw new IllegalArgumentException("account must be set, was null");
            }
            requirePositive("connectTimeout", connectTimeout);
            requirePositive("readTimeout", readTimeout);
            if (maxConnections < 1) {
                throw new IllegalArgumentException("maxConnections must be at least 1, was " + maxConnections);
            }
            if (maxIdle.isNegative()) {
                throw new IllegalArgumentException("maxIdle must not be negative, was " + maxIdle);
            }
            if (sentFolderName != null && sentFolderName.isBlank()) {
                throw new IllegalArgumentException("sentFolder must not be blank");
            }
            if (serverFilesSent && sentAccount == null) {
                throw new IllegalArgumentException("serverFilesSent needs sentFolder: where the server files the copies");
            }
            return new SmtpMailSink(this);
        }

        private static void requirePositive(String name, Duration value) {
            Settings.required(value, name);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, was " + value);
            }
        }
    }
}
