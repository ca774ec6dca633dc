package io.ragmail.core.verify;

import io.ragmail.core.InboundMail;
import io.ragmail.core.SenderIdentity;

/**
 * Tells whether a mail's {@code From} address is really its sender's, so that private account data
 * from the ERP may be used in the reply. Implementations must not throw for any mail, however
 * malformed: a sender they cannot verify is unverified.
 *
 * <pre>{@code
 * SenderVerifier verifier = AuthenticationResultsVerifier.builder().authservId("mx.shop.example").build();
 * SenderIdentity sender = verifier.verify(mail);
 * }</pre>
 */
@FunctionalInterface
public interface SenderVerifier {

    SenderIdentity verify(InboundMail mail);

    /** Verification turned off by the operator: every sender counts as verified. */
    static SenderVerifier trustEveryone() {
        return mail -> new SenderIdentity(mail.from(), true, "sender verification is turned off");
    }

    /** No sender is verified (the pipeline's default until verification is configured). */
    static SenderVerifier trustNoOne() {
        return mail -> new SenderIdentity(mail.from(), false, "sender verification is not configured");
    }
}
