package io.ragmail.testkit;

import jakarta.mail.Flags;
import jakarta.mail.Header;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeUtility;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One message found in a {@link TestMailServer} folder: its decoded header fields, its plain-text
 * body, its IMAP flags, and the underlying {@link MimeMessage} for anything else.
 *
 * <pre>{@code
 * TestMessage sent = server.received("ada@example.com").get(0);
 * sent.header("Auto-Submitted"); // Optional[auto-replied]
 * sent.text();                   // "Grüße, 東京"
 * }</pre>
 */
public final class TestMessage {

    private final MimeMessage mimeMessage;
    private final Set<String> flags;

    TestMessage(MimeMessage mimeMessage, Flags flags) {
        this.mimeMessage = Objects.requireNonNull(mimeMessage, "mimeMessage");
        Set<String> names = new LinkedHashSet<>();
        if (flags != null) {
            for (Flags.Flag flag : flags.getSystemFlags()) {
                names.add(systemFlagName(flag));
            }
            Collections.addAll(names, flags.getUserFlags());
        }
        this.flags = Collections.unmodifiableSet(names);
    }

    /** The first value of the named header, unfolded and RFC 2047-decoded. */
    public Optional<String> header(String name) {
        List<String> values = headers(name);
        return values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** Every value of the named header, unfolded and decoded; empty when absent. */
    public List<String> headers(String name) {
        try {
            String[] raw = mimeMessage.getHeader(name);
            List<String> values = new ArrayList<>();
            if (raw != null) {
                for (String value : raw) {
                    values.add(decode(value));
                }
            }
            return values;
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every header field name, in order (a name appears once per field). */
    public List<String> headerNames() {
        try {
            List<String> names = new ArrayList<>();
            for (Header header : Collections.list(mimeMessage.getAllHeaders())) {
                names.add(header.getName());
            }
            return names;
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    public String messageId() {
        return header("Message-ID").orElse("");
    }

    public String subject() {
        try {
            String subject = mimeMessage.getSubject();
            return subject == null ? "" : subject;
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The first {@code text/plain} part (or the whole body when it is text), decoded. */
    public String text() {
        try {
            String text = findText(mimeMessage);
            return text == null ? "" : text;
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** System flags as IMAP names ({@code \Seen}, {@code \Draft}, …) and user flags (keywords). */
    public Set<String> flags() {
        return flags;
    }

    public MimeMessage mimeMessage() {
        return mimeMessage;
    }

    @Override
    public String toString() {
        return "TestMessage[" + messageId() + ", " + subject() + ", flags=" + flags + "]";
    }

    private static String findText(Part part) throws MessagingException, IOException {
        if (part.isMimeType("text/*")) {
            Object content = part.getContent();
            return content instanceof String s ? s : null;
        }
        if (part.isMimeType("multipart/*")) {
            Multipart multipart = (Multipart) part.getContent();
            for (int i = 0; i < multipart.getCount(); i++) {
                String text = findText(multipart.getBodyPart(i));
                if (text != null) {
                    return text;
                }
            }
        }
        return null;
    }

    private static String decode(String value) {
        String unfolded = MimeUtility.unfold(value);
        try {
            return MimeUtility.decodeText(unfolded);
        } catch (java.io.UnsupportedEncodingException e) {
            return unfolded;
        }
    }

    private static String systemFlagName(Flags.Flag flag) {
        if (flag == Flags.Flag.SEEN) {
            return "\\Seen";
        } else if (flag == Flags.Flag.DRAFT) {
            return "\\Draft";
        } else if (flag == Flags.Flag.ANSWERED) {
            return "\\Answered";
        } else if (flag == Flags.Flag.DELETED) {
            return "\\Deleted";
        } else if (flag == Flags.Flag.FLAGGED) {
            return "\\Flagged";
        } else if (flag == Flags.Flag.RECENT) {
            return "\\Recent";
        }
        return "\\User";
    }
}
