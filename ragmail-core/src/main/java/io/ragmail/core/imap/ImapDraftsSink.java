package io.ragmail.core.imap;

import io.ragmail.core.Component;
import io.ragmail.core.Delivery;
import io.ragmail.core.MailAccount;
import io.ragmail.core.MailSink;
import io.ragmail.core.OutboundReply;
import io.ragmail.core.mail.MailSessions;
import io.ragmail.core.mail.internal.ConnectionPool;
import io.ragmail.core.mail.internal.ImapFolderAccess;
import io.ragmail.core.mail.internal.ReplyMessages;
import jakarta.mail.Flags;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;

import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Review mode: files each reply as a draft ({@code \Draft}) in an IMAP folder for a person to check
 * and send: by default the server's drafts folder, found by its RFC 6154 {@code \Drafts} attribute,
 * else by a common name ("Drafts", "Draft", "INBOX.Drafts"), else {@value #DEFAULT_FOLDER} (created
 * when missing); {@link Builder#folder(String)} names it instead. The reply's review notes go
 * on the first lines of the body, so the reviewer sees at once why the reply was held:
 *
 * <pre>
 * [ragmail: needs review] low confidence (0.41)
 * [ragmail: needs review] mentions an invoice
 * ---- reply below, remove everything above before sending ----
 * Dear Ada, ...
 * </pre>
 *
 * <p>Thread-safe. Up to four logged-in IMAP connections are kept between calls and reused, each
 * checked with {@code NOOP} before reuse (so one lost in a server restart is replaced before use) and
 * replaced after a minute idle; the sink recovers by itself and never files a draft twice. {@link #close()} closes the idle connections. Errors are mapped as for the SMTP sink, with
 * component {@code "imap"}, which is also its {@link #name()}: the Drafts folder is on the source's IMAP server.
 *
 * <pre>{@code
 * MailSink drafts = ImapDraftsSink.builder()
 *         .account(new MailAccount("imap.example.com", 993, MailSecurity.SSL, "support@example.com", secret))
 *         .build();
 * drafts.deliver(reply);
 * drafts.findDelivered(reply.messageId()); // DELIVERED
 * }</pre>
 */
public final class ImapDraftsSink implements MailSink {

    public static final String DEFAULT_FOLDER = "Drafts";
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(30);
    /** Starts each review-note line of a draft. */
    public static final String NOTE_PREFIX = "[ragmail: needs review] ";
    /** Separates the review notes from the reply text. */
    public static final String SEPARATOR = "---- reply below, remove everything above before sending ----";

    private static final String COMPONENT = Component.IMAP;

    private final ImapFolderAccess folder;
    private final Session session;
    private final Clock clock;
    private final MailAccount account;

    private ImapDraftsSink(Builder builder) {
        this.account = builder.account;
        this.clock = builder.clock;
        ConnectionPool.Settings defaults = ConnectionPool.Settings.DEFAULT;
        ConnectionPool.Settings reuse = new ConnectionPool.Settings(defaults.maxConnections(), defaults.checkAfterIdle(),
                defaults.maxIdle(), builder.clock);
        this.folder = builder.folder != null
                ? new ImapFolderAccess(builder.account, builder.folder, builder.connectTimeout, builder.readTimeout,
                        builder.sessionProperties, COMPONENT, reuse)
                : new ImapFolderAccess(builder.account, ImapFolderAccess.Role.DRAFTS, builder.connectTimeout,
                        builder.readTimeout, builder.sessionProperties, COMPONENT, reuse);
        this.session = MailSessions.imap(builder.account, builder.connectTimeout, builder.readTimeout);
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public void deliver(OutboundReply reply) {
        Objects.requireNonNull(reply, "reply");
        MimeMessage message = ReplyMessages.build(session, reply, body(reply), clock, COMPONENT);
        Flags flags = new Flags(Flags.Flag.DRAFT);
        flags.add(Flags.Flag.SEEN);
        folder.append(message, flags);
    }

    /** The draft's body: one {@link #NOTE_PREFIX} line per review note, {@link #SEPARATOR}, the text. */
    public static String body(OutboundReply reply) {
        if (reply.reviewNotes().isEmpty()) {
            return reply.text();
        }
        StringBuilder body = new StringBuilder();
        for (String note : reply.reviewNotes()) {
            body.append(NOTE_PREFIX).append(ReplyMessages.sanitize(note)).append('\n');
        }
        return body.append(SEPARATOR).append('\n').append(reply.text()).toString();
    }

    /** Closes the connections kept for reuse. */
    @Override
    public void close() {
        folder.close();
    }

    /**
     * Looks the draft up in the folder by {@code Message-ID}.
     *
     * @throws io.ragmail.core.RetriableException when the server cannot be reached
     */
    @Override
    public Delivery findDelivered(String messageId) {
        return folder.find(messageId);
    }

    @Override
    public String name() {
        return COMPONENT;
    }

    /** The drafts folder's name; when it is found by its role, this connects to find it. */
    public String folderName() {
        return folder.resolveFolderName();
    }

    @Override
    public String toString() {
        return "ImapDraftsSink[" + account + ", folder=" + folder.folderName() + "]";
    }

    /** Builds an {@link ImapDraftsSink}; {@link #account(MailAccount)} is required. */
    public static final class Builder {

        private MailAccount account;
        private String folder; // null: found by its \Drafts attribute
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration readTimeout = DEFAULT_READ_TIMEOUT;
        private Clock clock = Clock.systemUTC();
        private final Map<String, String> sessionProperties = new LinkedHashMap<>();

        private Builder() {
        }

        /** The IMAP account whose folder receives the drafts. */
        public Builder account(MailAccount account) {
            this.account = Objects.requireNonNull(account, "account");
            return this;
        }

        /**
         * Names the drafts folder instead of looking it up (by its {@code \Drafts} attribute, else a
         * common name, else {@value ImapDraftsSink#DEFAULT_FOLDER}).
         */
        public Builder folder(String folder) {
            this.folder = Objects.requireNonNull(folder, "folder");
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

        /** The clock for the {@code Date} header and for connection idle times. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /**
         * An extra Jakarta Mail session property, set last (advanced; e.g. {@code
         * mail.imaps.ssl.trust=*} for a test server's self-signed certificate, never in production).
         */
        public Builder sessionProperty(String key, String value) {
            sessionProperties.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        public ImapDraftsSink build() {
            if (account == null) {
                throw new IllegalArgumentException("account must be set, was null");
            }
            if (folder != null && folder.isBlank()) {
                throw new IllegalArgumentException("folder must not be blank");
            }
            if (connectTimeout.isNegative() || connectTimeout.isZero()) {
                throw new IllegalArgumentException("connectTimeout must be positive, was " + connectTimeout);
            }
            if (readTimeout.isNegative() || readTimeout.isZero()) {
                throw new IllegalArgumentException("readTimeout must be positive, was " + readTimeout);
            }
            return new ImapDraftsSink(this);
        }
    }
}
