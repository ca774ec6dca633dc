package io.ragmail.core.mail.internal;

import io.ragmail.core.mail.MailErrors;
import io.ragmail.core.mail.MailSessions;
import io.ragmail.core.Delivery;
import io.ragmail.core.MailAccount;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.search.HeaderTerm;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Appends messages to one IMAP folder and looks them up by {@code Message-ID} (internal: shared by
 * the IMAP-drafts sink and the SMTP sink's Sent-folder copy).
 *
 * <p>The folder is either named, or {@linkplain #ImapFolderAccess(MailAccount, Role, Duration, Duration,
 * Map, String, ConnectionPool.Settings) found by its role}: on the first connection, the folder the
 * server marks with the RFC 6154 special-use attribute ({@code \Sent}, {@code \Drafts}), else the
 * first existing folder with one of the role's common names, else the role's first common name
 * (created on the first append). Servers name these folders differently ("Sent", "Sent Items",
 * "Sent Messages", "[Gmail]/Sent Mail", "INBOX.Sent"); a wrong guess would put copies where nobody
 * looks and make {@link #find(String)} miss them after a crash.
 *
 * <p>Thread-safe. Connections are pooled ({@link ConnectionPool}): each call borrows a logged-in
 * connection whose folder is already known to exist, so an append costs one {@code APPEND} instead
 * of connect, greeting, login and {@code LIST}. Before reuse, an idle connection is checked or
 * replaced as the {@link ConnectionPool.Settings} say. A call that fails is not retried: its
 * connection is closed instead of reused, and the failure is mapped by {@link MailErrors}. {@link
 * #close()} closes the idle connections.
 *
 * <pre>{@code
 * ImapFolderAccess drafts = new ImapFolderAccess(account, "Drafts", Duration.ofSeconds(10), Duration.ofSeconds(30),
 *         Map.of(), "imap", ConnectionPool.Settings.DEFAULT);
 * drafts.append(message, new Flags(Flags.Flag.DRAFT));
 * drafts.find("<id@example.com>"); // DELIVERED
 * drafts.close();
 * }</pre>
 */
public final class ImapFolderAccess implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ImapFolderAccess.class);

    /** A folder found by its role rather than its name. */
    public enum Role {
        SENT("\\Sent", List.of("Sent", "Sent Items", "Sent Messages", "Sent Mail", "INBOX.Sent", "INBOX/Sent")),
        DRAFTS("\\Drafts", List.of("Drafts", "Draft", "INBOX.Drafts", "INBOX/Drafts"));

        private final String specialUse;
        private final List<String> commonNames;

        Role(String specialUse, List<String> commonNames) {
            this.specialUse = specialUse;
            this.commonNames = commonNames;
        }

        /** The RFC 6154 attribute, e.g. {@code \Sent}. */
        public String specialUse() {
            return specialUse;
        }

        /** Names tried when no folder has the attribute; the first is created when none exists. */
        public List<String> commonNames() {
            return commonNames;
        }
    }

    private final MailAccount account;
    private final Role role;
    // the configured name, or the name found for the role (null until the first connection)
    private volatile String folderName;
    private final String component;
    private final Session session;
    private final ConnectionPool<Connection> stores;
    // set once an append found or made the folder; cleared when an append fails
    private volatile boolean folderKnown;
    private final Object folderCreation = new Object();

    /** A pooled connection and its folder object, which remembers that the folder exists. */
    private record Connection(Store store, Folder folder) {
    }

    /**
     * @param sessionProperties extra Jakarta Mail session properties, set after {@link MailSessions}'s
     *                          own (e.g. {@code mail.imaps.ssl.trust} for a test server)
     * @param reuse             how connections are kept between calls
     */
    public ImapFolderAccess(MailAccount account, String folderName, Duration connectTimeout, Duration readTimeout,
            Map<String, String> sessionProperties, String component, ConnectionPool.Settings reuse) {
        this(account, null, Objects.requireNonNull(folderName, "folderName"), connectTimeout, readTimeout,
                sessionProperties, component, reuse);
        if (folderName.isBlank()) {
            throw new IllegalArgumentException("folder must not be blank");
        }
    }

    /** A folder found by its {@code role} on the first connection (see the class comment). */
    public ImapFolderAccess(MailAccount account, Role role, Duration connectTimeout, Duration readTimeout,
            Map<String, String> sessionProperties, String component, ConnectionPool.Settings reuse) {
        this(account, Objects.requireNonNull(role, "role"), null, connectTimeout, readTimeout, sessionProperties,
                component, reuse);
    }

    private ImapFolderAccess(MailAccount account, Role role, String folderName, Duration connectTimeout,
            Duration readTimeout, Map<String, String> sessionProperties, String component, ConnectionPool.Settings reuse) {
        this.account = Objects.requireNonNull(account, "account");
        this.role = role;
        this.folderName = folderName;
        this.component = Objects.requireNonNull(component, "component");
        this.session = MailSessions.imap(account, connectTimeout, readTimeout);
        this.session.getProperties().putAll(Map.copyOf(sessionProperties));
        this.stores = new ConnectionPool<>(component, reuse, connectTimeout.plus(readTimeout), this::connect,
                c -> c.store().isConnected(), ImapFolderAccess::closeQuietly);
    }

    /**
     * The folder's name; for a folder found by its role, before the first connection, a description
     * such as {@code "\\Sent folder"}.
     */
    public String folderName() {
        String name = folderName;
        return name != null ? name : role.specialUse() + " folder";
    }

    /** The folder's name, found for the role on first use. */
    public String resolveFolderName() {
        if (folderName == null) {
            try {
                stores.use("IMAP", connection -> Boolean.TRUE); // connecting resolves it
            } catch (MessagingException e) {
                throw MailErrors.map(component, account, "looking up the " + role.specialUse() + " folder", e);
            }
        }
        return folderName;
    }

    /** Appends {@code message} with {@code flags}, creating the folder first when it is missing. */
    public void append(Message message, Flags flags) {
        try {
            message.setFlags(flags, true);
            stores.use("IMAP", connection -> appendOnce(connection, message));
        } catch (MessagingException e) {
            throw MailErrors.map(component, account, "appending to folder " + folderName(), e);
        }
    }

    private Boolean appendOnce(Connection connection, Message message) throws MessagingException {
        Folder folder = connection.folder();
        if (!folderKnown) {
            // one connection at a time: concurrent CREATEs of one folder make some servers (GreenMail
            // among them) drop the losing connections
            synchronized (folderCreation) {
                if (!folderKnown) {
                    createIfMissing(folder);
                    folderKnown = true;
                }
            }
        }
        try {
            folder.appendMessages(new Message[] {message});
        } catch (MessagingException e) {
            folderKnown = false; // perhaps deleted meanwhile: look again next time
            throw e;
        }
        folderKnown = true;
        return Boolean.TRUE;
    }

    private static void createIfMissing(Folder folder) throws MessagingException {
        if (!folder.exists()) {
            try {
                folder.create(Folder.HOLDS_MESSAGES);
            } catch (MessagingException e) {
                if (!folder.exists()) { // another thread may have created it meanwhile
                    throw e;
                }
            }
        }
    }

    /**
     * {@link Delivery#DELIVERED} when the folder holds a message whose {@code Message-ID} is exactly
     * {@code messageId}, else {@link Delivery#NOT_DELIVERED} (also when the folder does not exist).
     *
     * @throws io.ragmail.core.RetriableException when the server cannot be reached: the caller must
     *                                            not conclude anything
     */
    public Delivery find(String messageId) {
        String wanted = ReplyMessages.sanitize(messageId);
        if (wanted.isEmpty()) {
            return Delivery.NOT_DELIVERED;
        }
        try {
            return stores.use("IMAP", connection -> findOnce(connection, wanted));
        } catch (MessagingException e) {
            throw MailErrors.map(component, account, "searching folder " + folderName(), e);
        }
    }

    private Delivery findOnce(Connection connection, String wanted) throws MessagingException {
        Folder folder = connection.store().getFolder(folderName);
        if (!folder.exists()) {
            return Delivery.NOT_DELIVERED;
        }
        folder.open(Folder.READ_ONLY);
        try {
            // HeaderTerm is a substring match on the server: confirm the exact id client-side
            for (Message candidate : folder.search(new HeaderTerm("Message-ID", wanted))) {
                String[] ids = candidate.getHeader("Message-ID");
                if (ids != null) {
                    for (String id : ids) {
                        if (wanted.equals(ReplyMessages.sanitize(id))) {
                            return Delivery.DELIVERED;
                        }
                    }
                }
            }
            return Delivery.NOT_DELIVERED;
        } finally {
            folder.close(false);
        }
    }

    /** Closes the idle connections. */
    @Override
    public void close() {
        stores.close();
    }

    private Connection connect() throws MessagingException {
        Store store = session.getStore(MailSessions.imapProtocol(account));
        try {
            store.connect(account.host(), account.port(), account.user(), account.password());
            String name = folderName;
            if (name == null) {
                synchronized (folderCreation) {
                    if (folderName == null) {
                        folderName = find(store, role);
                        LOG.info("{} folder for {} at {}: {}", role.specialUse(), component, account.host(), folderName);
                    }
                    name = folderName;
                }
            }
            return new Connection(store, store.getFolder(name));
        } catch (MessagingException | RuntimeException e) {
            closeQuietly(store);
            throw e;
        }
    }

    /** The folder with the role's special-use attribute, else one with a common name, else the first common name. */
    private static String find(Store store, Role role) throws MessagingException {
        Folder[] all = store.getDefaultFolder().list("*");
        for (Folder folder : all) {
            if (folder instanceof IMAPFolder imap) {
                for (String attribute : imap.getAttributes()) {
                    if (attribute.equalsIgnoreCase(role.specialUse())) {
                        return folder.getFullName();
                    }
                }
            }
        }
        for (String name : role.commonNames()) {
            for (Folder folder : all) {
                if (folder.getFullName().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                    return folder.getFullName();
                }
            }
        }
        return role.commonNames().get(0);
    }

    private static void closeQuietly(Connection connection) {
        closeQuietly(connection.store());
    }

    private static void closeQuietly(Store store) {
        try {
            store.close();
        } catch (MessagingException | RuntimeException e) {
            LOG.debug("closing IMAP connection failed: {}", e.getMessage());
        }
    }
}
