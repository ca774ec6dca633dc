package io.ragmail.core;

import io.ragmail.core.review.DefaultReviewPolicy;

import java.util.List;

/**
 * Decides whether a draft goes to the customer or to a person first. It sees the whole request
 * (the mail, the passages and facts the drafter was given, the sender) and the draft.
 *
 * <pre>{@code
 * ReviewPolicy policy = ReviewPolicy.builder()
 *         .mode(ReviewPolicy.Mode.SEND)
 *         .confidenceThreshold(0.8)
 *         .grounding(true)
 *         .build();
 * ReviewPolicy everything = ReviewPolicy.builder().mode(ReviewPolicy.Mode.REVIEW).build();
 * }</pre>
 */
@FunctionalInterface
public interface ReviewPolicy {

    double DEFAULT_CONFIDENCE_THRESHOLD = 0.7;

    /**
     * {@code ragmail.mode}: auto-send confident, grounded replies, or file every reply for review
     * ({@code builder().mode(Mode.REVIEW)}, the one way to review everything; it still lists every
     * other reason, for the person).
     */
    enum Mode {
        SEND,
        REVIEW
    }

    ReviewDecision decide(DraftRequest request, Draft draft);

    /**
     * The standard policy: grounding check, confidence threshold, always-review topics, unverified
     * senders; see {@link DefaultReviewPolicy.Builder} for the defaults.
     */
    static DefaultReviewPolicy.Builder builder() {
        return DefaultReviewPolicy.builder();
    }

    /**
     * Sends a draft that does not ask for a human and whose confidence reaches the threshold, with
     * no grounding check and no always-review topics; files the rest for review with the reasons.
     * Prefer {@link #builder()}, which checks more.
     */
    static ReviewPolicy sendWhenConfident(double threshold) {
        return builder()
                .confidenceThreshold(threshold)
                .grounding(false)
                .alwaysReviewTopics(List.of())
                .build();
    }
}
