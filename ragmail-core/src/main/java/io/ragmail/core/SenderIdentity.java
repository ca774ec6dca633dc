package io.ragmail.core;

import java.util.Objects;

/**
 * Who wrote a mail, as far as ragmail can tell: the {@code From} address, whether it was verified
 * (DKIM or DMARC passing for its domain, as reported by our own receiving server), and a short,
 * human-readable note on how that was decided. An {@link ErpClient} returns private records only for
 * a verified sender.
 *
 * <pre>{@code
 * SenderIdentity ada = new SenderIdentity(EmailAddress.of("ada@example.com"), true);
 * }</pre>
 *
 * @param address  the {@code From} address
 * @param verified whether the sender is verified to own that address
 * @param note     why (for review notes and logs), such as {@code "dkim=pass header.d=example.com"};
 *                 never contains secrets
 */
public record SenderIdentity(EmailAddress address, boolean verified, String note) {
    public SenderIdentity {
        Objects.requireNonNull(address, "address");
        note = note == null ? "" : note;
    }

    public SenderIdentity(EmailAddress address, boolean verified) {
        this(address, verified, "");
    }
}
