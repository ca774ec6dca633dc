package io.ragmail.core.review;

/**
 * What happens to mail from a sender the ERP knows but who could not be verified (no passing DKIM or
 * DMARC from our receiving server, or a {@code Reply-To} elsewhere). Their ERP facts never reach the
 * drafter either way.
 *
 * <pre>{@code
 * ReviewPolicy policy = ReviewPolicy.builder().unverifiedSenders(UnverifiedSenderAction.REVIEW).build();
 * }</pre>
 */
public enum UnverifiedSenderAction {
    /**
     * The reply answers the general question and asks the customer to write from their registered
     * address ({@link io.ragmail.core.DraftRequest#privateDataWithheld()}); it may be sent.
     */
    ANSWER_WITHOUT_PRIVATE_DATA,
    /** The reply is filed for a person to review. */
    REVIEW
}
