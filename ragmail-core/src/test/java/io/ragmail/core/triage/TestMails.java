package io.ragmail.core.triage;

import io.ragmail.core.EmailAddress;
import io.ragmail.core.InboundMail;
import io.ragmail.core.MailHeaders;
import io.ragmail.core.MailKey;

import java.util.concurrent.atomic.AtomicInteger;

/** Builds {@link InboundMail} values from header lines as they appear in a raw message. */
final class TestMails {

    private static final AtomicInteger IDS = new AtomicInteger();

    private TestMails() {
    }

    /** {@code "Ada <ada@example.com>"}, {@code "<ada@example.com>"} or {@code "ada@example.com"}. */
    static EmailAddress address(String text) {
        int lt = text.lastIndexOf('<');
        int gt = text.lastIndexOf('>');
        if (lt >= 0 && gt > lt) {
            String name = text.substring(0, lt).trim().replaceAll("^\"|\"$", "");
            return new EmailAddress(text.substring(lt + 1, gt), name);
        }
        return EmailAddress.of(text);
    }

    /**
     * A mail from {@code from} with the given header lines ({@code "Name: value"}). The From,
     * Subject and Content-Type lines, when given, also fill the matching {@link InboundMail} fields.
     */
    static InboundMail mail(String from, String... headerLines) {
        MailHeaders.Builder headers = MailHeaders.builder();
        headers.add("From", from);
        InboundMail.Builder mail = InboundMail.builder()
                .key(new MailKey("INBOX", "<" + IDS.incrementAndGet() + ".test@mail.example.net>"))
                .from(address(from))
                .text("Hello");
        for (String line : headerLines) {
            int colon = line.indexOf(':');
            String name = line.substring(0, colon).trim();
            String value = line.substring(colon + 1).trim();
            headers.add(name, value);
            if (name.equalsIgnoreCase("Subject")) {
                mail.subject(value);
            } else if (name.equalsIgnoreCase("Content-Type")) {
                int semicolon = value.indexOf(';');
                mail.contentType((semicolon < 0 ? value : value.substring(0, semicolon)).trim().toLowerCase());
            }
        }
        return mail.headers(headers.build()).build();
    }
}
