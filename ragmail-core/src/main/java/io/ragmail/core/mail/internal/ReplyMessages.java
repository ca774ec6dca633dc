package io.ragmail.core.mail.internal;

import io.ragmail.core.EmailAddress;
import io.ragmail.core.NonRetriableException;
import io.ragmail.core.OutboundReply;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeUtility;

import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Date;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Builds the {@link MimeMessage} of an {@link OutboundReply}; shared by the SMTP and IMAP-drafts
 * sinks (internal: not part of the public API, may change without notice).
 *
 * <p>Our {@code Message-ID} is kept exactly as given (Jakarta Mail would otherwise replace it on
 * {@code saveChanges()}), so the reply can be found again after a crash. Every header value is
 * cleaned of CR and LF, so a subject or id taken from a customer's mail cannot add header fields.
 *
 * <pre>{@code
 * MimeMessage message = ReplyMessages.build(session, reply, reply.text(), Clock.systemUTC(), "smtp");
 * }</pre>
 */
public final class ReplyMessages {

    /** Header fields a sink sets itself; {@link OutboundReply#headers()} may not override them. */
    public static final Set<String> RESERVED_HEADERS = Set.of("from", "to", "cc", "bcc", "reply-to", "sender",
            "subject", "date", "message-id", "in-reply-to", "references", "mime-version", "content-type",
            "content-transfer-encoding", "return-path");

    private static final Pattern FIELD_NAME = Pattern.compile("[!-9;-~]+");
    private static final Pattern LINE_BREAKS = Pattern.compile("[\\r\\n]+[ \\t]*");
    /**
     * The most we write of one unfoldable value (a subject word, an id, a display name). RFC 5322
     * allows 998 characters per line; {@code ReplyComposer} already keeps what it copies from a
     * customer's mail far shorter, this also holds for replies built elsewhere or stored earlier.
     */
    static final int MAX_VALUE_CHARS = 900;

    private ReplyMessages() {
    }

    /**
     * The message for {@code reply} with {@code body} as its {@code text/plain; charset=UTF-8} body
     * (the reply text, or the text with review notes on top for a draft).
     *
     * @param component names the sink in a {@link NonRetriableException} for a reply that cannot be
     *                  expressed as a mail (bad address, reserved or malformed header name)
     */
    public static MimeMessage build(Session session, OutboundReply reply, String body, Clock clock,
            String component) {
        String messageId = sanitize(reply.messageId());
        if (messageId.isEmpty()) {
            throw new NonRetriableException(component, "reply has an empty Message-ID");
        }
        try {
            MimeMessage message = new FixedIdMimeMessage(session, messageId);
            message.setFrom(address(reply.from(), component));
            message.setRecipient(Message.RecipientType.TO, address(reply.to(), component));
            message.setSubject(head(sanitize(reply.subject()), MAX_VALUE_CHARS), StandardCharsets.UTF_8.name());
            message.setSentDate(Date.from(clock.instant()));
            String inReplyTo = sanitize(reply.inReplyTo());
            if (!inReplyTo.isEmpty() && inReplyTo.length() <= MAX_VALUE_CHARS) {
                message.setHeader("In-Reply-To", inReplyTo);
            }
            String references = String.join(" ", reply.references().stream().map(ReplyMessages::sanitize)
                    .filter(s -> !s.isEmpty() && s.length() <= MAX_VALUE_CHARS).toList());
            if (!references.isEmpty()) {
                message.setHeader("References", MimeUtility.fold("References: ".length(), references));
            }
            for (Map.Entry<String, String> header : reply.headers().entrySet()) {
                String name = header.getKey().trim();
                if (!FIELD_NAME.matcher(name).matches()) {
                    throw new NonRetriableException(component, "invalid header name '" + sanitize(name) + "'");
                }
                if (RESERVED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                    throw new NonRetriableException(component,
                            "header " + name + " is set by the sink and may not be given in reply.headers()");
                }
                String value = MimeUtility.encodeText(sanitize(header.getValue()), StandardCharsets.UTF_8.name(), null);
                message.addHeader(name, MimeUtility.fold(name.length() + 2, value));
            }
            message.setText(body, StandardCharsets.UTF_8.name());
            message.saveChanges();
            return message;
        } catch (UnsupportedEncodingException e) {
            throw new IllegalStateException("UTF-8 is always supported", e);
        } catch (MessagingException e) {
            throw new NonRetriableException(component, "cannot build the reply message " + messageId + ": "
                    + e.getMessage(), e);
        }
    }

    /** {@code value} on one line: every CR/LF run (with the blanks after it) becomes one space; trimmed. */
    public static String sanitize(String value) {
        if (value == null) {
            return "";
        }
        return LINE_BREAKS.matcher(value).replaceAll(" ").replace('\0', ' ').trim();
    }

    private static String head(String value, int max) {
        if (value.length() <= max) {
            return value;
        }
        int end = Character.isHighSurrogate(value.charAt(max - 1)) ? max - 1 : max;
        return value.substring(0, end);
    }

    private static InternetAddress address(EmailAddress address, String component) {
        try {
            InternetAddress internet = new InternetAddress(sanitize(address.address()), true);
            if (!address.displayName().isEmpty()) {
                internet.setPersonal(head(sanitize(address.displayName()), MAX_VALUE_CHARS / 4), StandardCharsets.UTF_8.name());
            }
            return internet;
        } catch (AddressException e) {
            throw new NonRetriableException(component, "invalid address '" + sanitize(address.address()) + "'", e);
        } catch (UnsupportedEncodingException e) {
            throw new IllegalStateException("UTF-8 is always supported", e);
        }
    }

    /** A message whose {@code Message-ID} survives {@code saveChanges()}. */
    private static final class FixedIdMimeMessage extends MimeMessage {

        private final String messageId;

        FixedIdMimeMessage(Session session, String messageId) {
            super(session);
            this.messageId = messageId;
        }

        @Override
        protected void updateMessageID() throws MessagingException {
            setHeader("Message-ID", messageId);
        }
    }
}
