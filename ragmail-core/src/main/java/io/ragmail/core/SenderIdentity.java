package io.ragmail.core;

import java.util.Objects;

/**
 * Who wrote a mail, as far as ragmail can tell: the {@code From} address and whether it was
 * verified (DKIM or DMARC passing for its domain, as reported by our own receiving server). An
 * {@link ErpClient} returns private records only for a verified sender.
 */
public record SenderIdentity(EmailAddress address, boolean verified) {
    public SenderIdentity {
        Objects.requireNonNull(address, "address");
    }
}
