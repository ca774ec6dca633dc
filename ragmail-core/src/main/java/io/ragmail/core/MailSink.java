package io.ragmail.core;

/**
 * Where replies go: sent to the customer ({@code SmtpMailSink}) or filed for a person to review
 * ({@code ImapDraftsSink}).
 *
 * <p>A sink that can look its past deliveries up (for example in the Sent folder) overrides
 * {@link #findDelivered(String)}, which lets the pipeline resolve a crash between "delivered" and
 * "recorded as delivered" without answering a customer twice.
 *
 * <pre>{@code
 * MailSink sink = SmtpMailSink.builder()
 *         .account(new MailAccount("smtp.example.com", 587, MailSecurity.STARTTLS, user, password))
 *         .build();
 * sink.deliver(reply);
 * }</pre>
 */
public interface MailSink extends AutoCloseable {

    /**
     * Delivers the reply.
     *
     * @throws RetriableException    when the server cannot be reached or refuses for now
     * @throws NonRetriableException when it never will (rejected credentials, rejected recipient)
     */
    void deliver(OutboundReply reply);

    /** Whether the reply with this {@code Message-ID} was already delivered; by default unknown. */
    default Delivery findDelivered(String messageId) {
        return Delivery.UNKNOWN;
    }

    /**
     * The component this sink stands for, such as {@link Component#SMTP}: the name its exceptions give,
     * under which the pipeline reports it up again once a delivery works.
     */
    default String name() {
        return getClass().getSimpleName();
    }

    @Override
    default void close() {
    }
}
