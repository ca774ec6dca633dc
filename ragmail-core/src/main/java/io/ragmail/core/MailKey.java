package io.ragmail.core;

import java.util.Objects;

/**
 * Identifies one mail in the processing ledger: the mailbox it was read from and its
 * {@code Message-ID} (or, when it has none, a digest of its stable headers prefixed with
 * {@code "digest:"}). Two deliveries of the same mail have the same key, so it is answered once.
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

    /** Whether {@link #messageId()} is a digest standing in for a missing {@code Message-ID}. */
    public boolean isDigest() {
        return messageId.startsWith(DIGEST_PREFIX);
    }

    @Override
    public String toString() {
        return mailbox + "/" + messageId;
    }
}
