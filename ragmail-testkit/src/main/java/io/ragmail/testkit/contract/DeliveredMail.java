package io.ragmail.testkit.contract;

import io.ragmail.core.MailHeaders;
import io.ragmail.testkit.TestMessage;

import java.util.Objects;

/**
 * A mail as a {@link io.ragmail.core.MailSink} left it, read back by a {@link MailSinkContract}
 * subclass: decoded header fields and the plain-text body.
 *
 * <pre>{@code
 * DeliveredMail mail = DeliveredMail.of(server.received("ada@example.com").get(0));
 * }</pre>
 */
public record DeliveredMail(MailHeaders headers, String text) {

    public DeliveredMail {
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(text, "text");
    }

    /** Reads a message found on a {@link io.ragmail.testkit.TestMailServer}. */
    public static DeliveredMail of(TestMessage message) {
        MailHeaders.Builder headers = MailHeaders.builder();
        for (String name : message.headerNames().stream().distinct().toList()) {
            for (String value : message.headers(name)) {
                headers.add(name, value);
            }
        }
        return new DeliveredMail(headers.build(), message.text());
    }

    public String messageId() {
        return headers.first("Message-ID").orElse("");
    }
}
