package io.ragmail.core;

import java.util.Locale;
import java.util.Objects;

/**
 * One mailbox address, such as {@code "Ada Lovelace" <ada@example.com>}.
 *
 * <p>{@code address} is kept as written; {@link #normalized()} is the form used for comparisons
 * (lower case, trimmed). {@code displayName} is empty when the mail had none.
 *
 * <pre>{@code
 * EmailAddress ada = EmailAddress.of("Ada@Example.com");
 * ada.normalized(); // "ada@example.com"
 * ada.domain();     // "example.com"
 * }</pre>
 */
public record EmailAddress(String address, String displayName) {

    public EmailAddress {
        Objects.requireNonNull(address, "address");
        address = address.trim();
        displayName = displayName == null ? "" : displayName.trim();
    }

    public static EmailAddress of(String address) {
        return new EmailAddress(address, "");
    }

    /** The address in lower case, for comparisons and ledger keys. */
    public String normalized() {
        return address.toLowerCase(Locale.ROOT);
    }

    /** The local part, before the last {@code @}; the whole address when there is none. */
    public String localPart() {
        int at = address.lastIndexOf('@');
        return at < 0 ? normalized() : normalized().substring(0, at);
    }

    /** The domain, after the last {@code @}; empty when there is none. */
    public String domain() {
        int at = address.lastIndexOf('@');
        return at < 0 ? "" : normalized().substring(at + 1);
    }

    public boolean sameMailboxAs(EmailAddress other) {
        return other != null && normalized().equals(other.normalized());
    }

    @Override
    public String toString() {
        return displayName.isEmpty() ? address : "\"" + displayName + "\" <" + address + ">";
    }
}
