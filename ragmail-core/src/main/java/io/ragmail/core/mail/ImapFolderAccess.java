package io.ragmail.core.mail;

import io.ragmail.core.Delivery;
import io.ragmail.core.MailAccount;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.search.HeaderTerm;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Appends messages to one IMAP folder and looks them up by {@code Message-ID} (internal: shared by
 * the IMAP-drafts sink and the SMTP sink's Sent-folder copy).
 *
 * <p>Every call opens its own short-lived connection and closes it, so instances are thread-safe
 * and recover by themselves after a server restart. Failures are mapped by {@link MailErrors}.
 *
 * <pre>{@code
 * ImapFolderAccess drafts = new ImapFolderAccess(account, "Drafts", Duration.ofSeconds(10), Duration.ofSeconds(30), Map.of(), "imap");
 * drafts.append(message, new Flags(Flags.Flag.DRAFT));
 * drafts.find("<id@example.com>"); // DELIVERED
 * }</pre>
 */
public final class ImapFolderAccess {

    private final MailAccount account;
    private final String folderName;
    private final String component;
    private final Session session;

    /**
     * @param sessionProperties extra Jakarta Mail session properties, set after {@link MailSessions}'s
     *                          own (e.g. {@code mail.imaps.ssl.trust} for a test server)
     */
    public ImapFolderAccess(MailAccount account, String folderName, Duration connectTimeout, Duration readTimeout,
            Map<String, String> sessionProperties, String component) {
        this.account = Objects.requireNonNull(account, "account");
        this.folderName = Objects.requireNonNull(folderName, "folderName");
        if (folderName.isBlank()) {
            throw new IllegalArgumentException("folder must not be blank");
        }
        this.component = Objects.requireNonNull(component, "component");
        this.session = MailSessions.imap(account, connectTimeout, readTimeout);
        this.session.getProperties().putAll(Map.copyOf(sessionProperties));
    }

    public String folderName() {
        return folderName;
    }

    /** Appends {@code message} with {@code flags}, creating the folder first when it is missing. */
    public void append(Message message, Flags flags) {
        try (Store store = connect()) {
            Folder folder = store.getFolder(folderName);
            if (!folder.exists()) {
                try {
                    folder.create(Folder.HOLDS_MESSAGES);
                } catch (MessagingException e) {
                    if (!folder.exists()) { // another thread may have created it meanwhile
                        throw e;
                    }
                }
            }
            message.setFlags(flags, true);
            folder.appendMessages(new Message[] {message});
        } catch (MessagingException e) {
            throw MailErrors.map(component, account, "appending to folder " + folderName, e);
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
        try (Store store = connect()) {
            Folder folder = store.getFolder(folderName);
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
        } catch (MessagingException e) {
            throw MailErrors.map(component, account, "searching folder " + folderName, e);
        }
    }

    private Store connect() throws MessagingException {
        Store store = session.getStore(MailSessions.imapProtocol(account));
        store.connect(account.host(), account.port(), account.user(), account.password());
        return store;
    }
}
