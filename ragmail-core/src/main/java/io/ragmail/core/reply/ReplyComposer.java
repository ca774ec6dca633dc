package io.ragmail.core.reply;

import io.ragmail.core.Draft;
import io.ragmail.core.EmailAddress;
import io.ragmail.core.InboundMail;
import io.ragmail.core.MailKey;
import io.ragmail.core.OutboundReply;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a draft into a real reply to the mail's author: threading headers ({@code In-Reply-To},
 * {@code References}), {@code Subject: Re: …} without stacking prefixes, a fresh {@code Message-ID},
 * and the headers that stop mail loops ({@code Auto-Submitted: auto-replied}, RFC 3834, and our
 * {@code X-Loop}). The recipient is always the original {@code From}; nothing in the mail or the
 * draft can choose another.
 *
 * <pre>{@code
 * ReplyComposer composer = ReplyComposer.builder().from(EmailAddress.of("support@example.com")).build();
 * OutboundReply reply = composer.compose(mail, draft, List.of());
 * }</pre>
 */
public final class ReplyComposer {

    /**
     * One reply or forward prefix of common mail clients, in several languages. Stacked prefixes are
     * removed one at a time: a repeated group ({@code (…)+}) is matched by recursion in Java and
     * overflowed the stack on a subject of 20,000 {@code "Re: "}.
     */
    private static final Pattern REPLY_PREFIX =
            Pattern.compile("^\\s*(re|aw|sv|antw|vs|ref|rif|r|fw|fwd|wg|tr)(\\[\\d{1,9}])?\\s*:\\s*",
                    Pattern.CASE_INSENSITIVE);

    /**
     * The longest subject we write (without our {@code "Re: "}); a longer one is cut and ends with
     * {@code "…"}. It keeps the Subject line far below RFC 5322's 998 characters whatever the
     * customer's subject was.
     */
    public static final int MAX_SUBJECT_CHARS = 250;
    /** A longer id taken from the customer's mail is not copied to In-Reply-To or References. */
    public static final int MAX_MESSAGE_ID_CHARS = 250;
    /** The longest display name of the recipient we copy; a longer one is cut. */
    public static final int MAX_DISPLAY_NAME_CHARS = 100;
    /** RFC 5321's limit on an address; mail from a longer one cannot be answered. */
    public static final int MAX_ADDRESS_CHARS = 254;

    private static final Pattern LINE_BREAKS = Pattern.compile("[\\r\\n]+\\s*");

    /** A References header grows with the thread; keep the first and the latest ids only. */
    static final int MAX_REFERENCES = 20;

    private final EmailAddress from;
    private final String loopId;
    private final String messageIdDomain;

    private ReplyComposer(EmailAddress from, String loopId, String messageIdDomain) {
        this.from = from;
        this.loopId = loopId;
        this.messageIdDomain = messageIdDomain;
    }

    public static Builder builder() {
        return new Builder();
    }

    public EmailAddress from() {
        return from;
    }

    public String loopId() {
        return loopId;
    }

    /**
     * The reply to {@code mail}, addressed to its {@code From} (never to {@code Reply-To} or anything
     * the draft says).
     *
     * @throws IllegalArgumentException when the mail has no usable From address to reply to
     */
    public OutboundReply compose(InboundMail mail, Draft draft, List<String> reviewNotes) {
        Objects.requireNonNull(mail, "mail");
        Objects.requireNonNull(draft, "draft");
        if (mail.from().domain().isEmpty() || mail.from().address().length() > MAX_ADDRESS_CHARS) {
            throw new IllegalArgumentException("cannot reply to mail " + mail.key()
                    + ": it has no usable From address");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Auto-Submitted", "auto-replied");
        headers.put("X-Loop", loopId);
        return new OutboundReply(
                newMessageId(),
                from,
                recipient(mail.from()),
                replySubject(mail.subject()),
                originalMessageId(mail).filter(ReplyComposer::fitsHeader).orElse(""),
                references(mail),
                draft.text(),
                headers,
                reviewNotes == null ? List.of() : reviewNotes);
    }

    /** {@code "Re: "} and the subject without any reply or forward prefixes it had, on one line. */
    public static String replySubject(String subject) {
        String oneLine = LINE_BREAKS.matcher(subject == null ? "" : subject).replaceAll(" ");
        Matcher prefix = REPLY_PREFIX.matcher(oneLine);
        int start = 0;
        while (start < oneLine.length() && prefix.region(start, oneLine.length()).lookingAt() && prefix.end() > start) {
            start = prefix.end();
        }
        String bare = cut(oneLine.substring(start).trim(), MAX_SUBJECT_CHARS);
        return bare.isEmpty() ? "Re: your message" : "Re: " + bare;
    }

    /** {@code text} of at most {@code max} characters, ending with "…" when cut (never inside a surrogate pair). */
    static String cut(String text, int max) {
        if (text.length() <= max) {
            return text;
        }
        int end = max - 1;
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end).stripTrailing() + "\u2026";
    }

    private static EmailAddress recipient(EmailAddress from) {
        String name = from.displayName();
        return name.length() <= MAX_DISPLAY_NAME_CHARS ? from : new EmailAddress(from.address(), cut(name, MAX_DISPLAY_NAME_CHARS));
    }

    private static boolean fitsHeader(String messageId) {
        return messageId.length() <= MAX_MESSAGE_ID_CHARS;
    }

    /**
     * The original Message-ID in angle brackets; empty when the mail had none (its ledger key is
     * then a {@code digest:} of its headers, which is no id to thread on).
     */
    private static Optional<String> originalMessageId(InboundMail mail) {
        String id = mail.key().messageId().trim();
        if (id.startsWith(MailKey.DIGEST_PREFIX) || id.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(id.startsWith("<") ? id : "<" + id + ">");
    }

    private static List<String> references(InboundMail mail) {
        List<String> refs = new ArrayList<>(mail.references());
        if (refs.isEmpty() && !mail.inReplyTo().isEmpty()) {
            refs.add(mail.inReplyTo());
        }
        Optional<String> original = originalMessageId(mail);
        if (original.isPresent()) {
            refs.remove(original.get());
            refs.add(original.get());
        }
        refs.removeIf(id -> !fitsHeader(id));
        if (refs.size() > MAX_REFERENCES) {
            List<String> trimmed = new ArrayList<>();
            trimmed.add(refs.get(0));
            trimmed.addAll(refs.subList(refs.size() - (MAX_REFERENCES - 1), refs.size()));
            refs = trimmed;
        }
        return refs;
    }

    private String newMessageId() {
        return "<ragmail." + UUID.randomUUID() + "@" + messageIdDomain + ">";
    }

    /** Settings of a {@link ReplyComposer}; {@code from} is required. */
    public static final class Builder {
        private EmailAddress from;
        private String loopId;
        private String messageIdDomain;

        /** The address replies come from ({@code ragmail.from}). */
        public Builder from(EmailAddress from) {
            this.from = from;
            return this;
        }

        /** Our {@code X-Loop} value; defaults to the from address. */
        public Builder loopId(String loopId) {
            this.loopId = loopId;
            return this;
        }

        /** The right-hand side of our Message-IDs; defaults to the from address's domain. */
        public Builder messageIdDomain(String domain) {
            this.messageIdDomain = domain;
            return this;
        }

        public ReplyComposer build() {
            Objects.requireNonNull(from, "from");
            if (from.domain().isEmpty()) {
                throw new IllegalArgumentException("from must be a full address, was " + from.address());
            }
            String loop = loopId == null || loopId.isBlank() ? from.normalized() : loopId;
            String domain = messageIdDomain == null || messageIdDomain.isBlank() ? from.domain() : messageIdDomain;
            return new ReplyComposer(from, loop, domain);
        }
    }
}
