package io.ragmail.health;

import io.ragmail.core.EmailAddress;
import io.ragmail.core.InboundMail;
import io.ragmail.core.MailKey;
import io.ragmail.core.event.MailReceivedEvent;

import java.time.Instant;

/** Mails for tests. */
final class Mails {
    static final String SCRIPT_SUBJECT = "<script>document.body.setAttribute('data-pwned','1')</script>";
    static final String IMG_SUBJECT = "\"><img src=x onerror=\"document.body.setAttribute('data-pwned','2')\">";

    private Mails() {
    }

    static MailKey key(String id) {
        return new MailKey("INBOX", "<" + id + "@customer.example>");
    }

    static InboundMail mail(String id, String from, String subject) {
        return InboundMail.builder().key(key(id)).from(EmailAddress.of(from)).subject(subject)
                .text("secret body text that must never be shown").build();
    }

    static MailReceivedEvent received(String id, String from, String subject, Instant at) {
        return new MailReceivedEvent(key(id), EmailAddress.of(from), subject, at);
    }
}
