package io.ragmail.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One inbound mail as ragmail sees it: decoded headers, the body as plain text, the part of the
 * body worth searching for ({@code queryText}, without quoted history or signatures), and the
 * attachments listed but not loaded.
 *
 * <p>A {@link MailSource} that cannot read a mail (too large, broken beyond repair) still yields
 * it, with {@link #unreadableReason()} set, so the pipeline records why it was skipped instead of
 * losing it.
 *
 * <pre>{@code
 * InboundMail mail = InboundMail.builder()
 *         .key(new MailKey("INBOX", "<42@example.com>"))
 *         .from(EmailAddress.of("ada@example.com"))
 *         .subject("Acetone SDS")
 *         .text("Could you send the safety data sheet?")
 *         .build();
 * }</pre>
 *
 * @param key             ledger key: mailbox and Message-ID
 * @param sourceRef       opaque handle the {@link MailSource} uses to acknowledge this mail
 * @param from            the author ({@code From}); an empty address when the mail had none
 * @param replyTo         {@code Reply-To} addresses, empty when absent
 * @param to              {@code To} addresses
 * @param cc              {@code Cc} addresses
 * @param subject         decoded subject, empty when absent
 * @param sentAt          the {@code Date} header, or {@code null} when missing or unparseable
 * @param inReplyTo       the {@code In-Reply-To} message id, empty when absent
 * @param references      the {@code References} message ids, oldest first
 * @param headers         every header field, decoded
 * @param contentType     the top-level MIME type in lower case, such as {@code multipart/report}
 * @param text            the body as plain text (HTML converted), empty when there was none
 * @param queryText       the new part of the body, for retrieval: quoted history stripped
 * @param attachments     attachments, listed, not loaded
 * @param sizeBytes       size of the raw message in bytes, {@code -1} when unknown
 * @param unreadableReason why the mail could not be read; empty when it was read
 */
public record InboundMail(
        MailKey key,
        String sourceRef,
        EmailAddress from,
        List<EmailAddress> replyTo,
        List<EmailAddress> to,
        List<EmailAddress> cc,
        String subject,
        Instant sentAt,
        String inReplyTo,
        List<String> references,
        MailHeaders headers,
        String contentType,
        String text,
        String queryText,
        List<Attachment> attachments,
        long sizeBytes,
        String unreadableReason) {

    public InboundMail {
        Objects.requireNonNull(key, "key");
        sourceRef = nullToEmpty(sourceRef);
        from = from == null ? EmailAddress.of("") : from;
        replyTo = List.copyOf(replyTo);
        to = List.copyOf(to);
        cc = List.copyOf(cc);
        subject = nullToEmpty(subject);
        inReplyTo = nullToEmpty(inReplyTo);
        references = List.copyOf(references);
        headers = headers == null ? MailHeaders.EMPTY : headers;
        contentType = contentType == null ? "text/plain" : contentType;
        text = nullToEmpty(text);
        queryText = queryText == null ? text : queryText;
        attachments = List.copyOf(attachments);
        unreadableReason = nullToEmpty(unreadableReason);
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder()
                .key(key).sourceRef(sourceRef).from(from).replyTo(replyTo).to(to).cc(cc)
                .subject(subject).sentAt(sentAt).inReplyTo(inReplyTo).references(references)
                .headers(headers).contentType(contentType).text(text).queryText(queryText)
                .attachments(attachments).sizeBytes(sizeBytes).unreadableReason(unreadableReason);
    }

    /** Why this mail could not be read, when it could not. */
    public Optional<String> unreadable() {
        return unreadableReason.isEmpty() ? Optional.empty() : Optional.of(unreadableReason);
    }

    /**
     * The Message-ID of the first mail of this conversation, used to rate-limit replies per thread:
     * the first {@code References} id, else {@code In-Reply-To}, else this mail's own id.
     */
    public String threadKey() {
        if (!references.isEmpty()) {
            return references.get(0);
        }
        return inReplyTo.isEmpty() ? key.messageId() : inReplyTo;
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    /** Builds an {@link InboundMail}; only {@code key} is required. */
    public static final class Builder {
        private MailKey key;
        private String sourceRef = "";
        private EmailAddress from;
        private List<EmailAddress> replyTo = List.of();
        private List<EmailAddress> to = List.of();
        private List<EmailAddress> cc = List.of();
        private String subject = "";
        private Instant sentAt;
        private String inReplyTo = "";
        private List<String> references = List.of();
        private MailHeaders headers = MailHeaders.EMPTY;
        private String contentType = "text/plain";
        private String text = "";
        private String queryText;
        private List<Attachment> attachments = new ArrayList<>();
        private long sizeBytes = -1;
        private String unreadableReason = "";

        public Builder key(MailKey key) { this.key = key; return this; }
        public Builder sourceRef(String sourceRef) { this.sourceRef = sourceRef; return this; }
        public Builder from(EmailAddress from) { this.from = from; return this; }
        public Builder replyTo(List<EmailAddress> replyTo) { this.replyTo = replyTo; return this; }
        public Builder to(List<EmailAddress> to) { this.to = to; return this; }
        public Builder cc(List<EmailAddress> cc) { this.cc = cc; return this; }
        public Builder subject(String subject) { this.subject = subject; return this; }
        public Builder sentAt(Instant sentAt) { this.sentAt = sentAt; return this; }
        public Builder inReplyTo(String inReplyTo) { this.inReplyTo = inReplyTo; return this; }
        public Builder references(List<String> references) { this.references = references; return this; }
        public Builder headers(MailHeaders headers) { this.headers = headers; return this; }
        public Builder contentType(String contentType) { this.contentType = contentType; return this; }
        public Builder text(String text) { this.text = text; return this; }
        public Builder queryText(String queryText) { this.queryText = queryText; return this; }
        public Builder attachments(List<Attachment> attachments) { this.attachments = attachments; return this; }
        public Builder sizeBytes(long sizeBytes) { this.sizeBytes = sizeBytes; return this; }
        public Builder unreadableReason(String reason) { this.unreadableReason = reason; return this; }

        public InboundMail build() {
            return new InboundMail(key, sourceRef, from, replyTo, to, cc, subject, sentAt, inReplyTo,
                    references, headers, contentType, text, queryText, attachments, sizeBytes,
                    unreadableReason);
        }
    }
}
