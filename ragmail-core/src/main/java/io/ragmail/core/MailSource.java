package io.ragmail.core;

import java.time.Duration;
import java.util.List;

/**
 * Where inbound mail comes from. The default is {@code ImapMailSource}.
 *
 * <p>{@link #poll(Duration)} returns mail not yet yielded in this session, waiting up to
 * {@code maxWait} for some to arrive (an IMAP source waits with IDLE where the server has it). A
 * source yields each mail at least once: after a restart it yields again every mail that was never
 * {@linkplain #acknowledge acknowledged}; the pipeline's ledger removes the duplicates. A mail the
 * source cannot read is still yielded, with {@link InboundMail#unreadableReason()} set.
 *
 * <p>A source reconnects by itself after a dropped connection; while it cannot,
 * {@code poll} throws {@link RetriableException} and the pipeline calls it again later.
 *
 * <pre>{@code
 * try (MailSource source = ImapMailSource.builder().account(imapAccount).build()) {
 *     for (InboundMail mail : source.poll(Duration.ofSeconds(30))) { ... source.acknowledge(mail, MailOutcome.ANSWERED); }
 * }
 * }</pre>
 */
public interface MailSource extends AutoCloseable {

    /**
     * New mail, waiting at most {@code maxWait} for some to arrive; an empty list when none came. Mail
     * is not necessarily yielded in the order it arrived.
     *
     * @throws RetriableException while the mail server cannot be reached
     * @throws InterruptedException when the calling thread is interrupted while waiting
     */
    List<InboundMail> poll(Duration maxWait) throws InterruptedException;

    /**
     * Marks the mail as done on the server so that it is not yielded again after a restart.
     * Acknowledging twice is harmless. An outcome that {@linkplain MailOutcome#mayHide() may hide} the
     * mail is marked as configured (a flag, a keyword or a move); {@link MailOutcome#NEEDS_PERSON}
     * leaves the mail where a person sees it (unread, in its folder), marked only in a way that does
     * not hide it.
     *
     * @throws RetriableException when the mark could not be set (server unreachable, command refused):
     *                            the mail is then not acknowledged, and the caller may try again
     */
    void acknowledge(InboundMail mail, MailOutcome outcome);

    /**
     * The component this source stands for, such as {@link Component#IMAP}: the name its exceptions
     * give, under which the pipeline reports it up again once a poll works.
     */
    default String name() {
        return getClass().getSimpleName();
    }

    @Override
    default void close() {
    }
}
