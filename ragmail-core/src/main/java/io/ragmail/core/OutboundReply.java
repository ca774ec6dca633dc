package io.ragmail.core;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A reply ready to leave: written to the ledger's outbox before a {@link MailSink} delivers it, so
 * that after a crash it is found again by its {@code messageId} instead of being sent twice.
 *
 * @param messageId    our new {@code Message-ID}, with angle brackets
 * @param from         the address replies come from
 * @param to           the original sender, never an address chosen by a model
 * @param subject      {@code Re: } plus the original subject, not stacked
 * @param inReplyTo    the original {@code Message-ID}, empty when it had none
 * @param references   the thread's ids, ending with the original's
 * @param text         the body, plain text
 * @param headers      extra header fields such as {@code Auto-Submitted} and {@code X-Loop}
 * @param reviewNotes  why a person must look at this reply; empty when it may be sent
 */
public record OutboundReply(
        String messageId,
        EmailAddress from,
        EmailAddress to,
        String subject,
        String inReplyTo,
        List<String> references,
        String text,
        Map<String, String> headers,
        List<String> reviewNotes) {

    public OutboundReply {
        Objects.requireNonNull(messageId, "messageId");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(subject, "subject");
        inReplyTo = inReplyTo == null ? "" : inReplyTo;
        references = List.copyOf(references);
        Objects.requireNonNull(text, "text");
        headers = Map.copyOf(headers);
        reviewNotes = List.copyOf(reviewNotes);
    }
}
