package io.ragmail.core;

import java.util.Objects;

/**
 * Identifies one mail in the processing ledger: the mailbox it was read from and its
 * {@code Message-ID} (or, when it has none, a digest of its stable headers prefixed with
 * {@code "digest:"}). Two deliveries of the same mail have the same key, so it is answered once.
 *
 * <p>A Message-ID is chosen by the sender's software and may be reused by a different mail (a broken
 * mailer, a template, a forgery). A ledger that finds a Message-ID already taken by another sender
 * admits the newer mail under {@link #forSender}, so two senders' mails never share a key.
 */
public record MailKey(String mailbox, String messageId) {

    /** Prefixes the digest that stands in for a missing {@code Message-ID}. */
    public static final String DIGEST_PREFIX = "digest:";

    public MailKey {
        Objects.requireNonNull(mailbox, "mailbox");
        Objects.requireNonNull(messageId, "messageId");
        if (messageId.isBlank()) {
            throw new IllegalArgumentException("messageId must not be blank");
        }
    }

    /** Separates a reused Message-ID from the sender it is qualified with in {@link #forSender}. */
    public static final String SENDER_SEPARATOR = " from:";

    /**
     * This key qualified with the (normalized) sender: the key of a mail that reuses a Message-ID
     * already taken by another sender's mail, such as {@code <42@x> from:bob@example.com}.
     */
    public MailKey forSender(String normalizedSender) {
        Objects.requireNonNull(normalizedSender, "normalizedSender");
        return new MailKey(mailbox, messageId + SENDER_SEPARATOR + normalizedSender);
    }

    /** The key as the mail itself carries it: {@link #forSender} undone; this key when it was not qualified. */
    public MailKey withoutSender() {
        int at = messageId.indexOf(SENDER_SEPARATOR);
        return at <= 0 ? this : new MailKey(mailbox, messageId.substring(0, at));
    }

    /** Whether {@link #messageId()} is a digest standing in for a missing {@code Message-ID}. */
    public boolean isDigest() {
        return messageId.startsWith(DIGEST_PREFIX);
    }

    @Override
    public String toString() {
        return mailbox + "/" + messageId;
    }
}
