package io.ragmail.core;

import java.util.ArrayList;
import java.util.List;

/**
 * Decides whether a draft goes to the customer or to a person first.
 *
 * <pre>{@code
 * ReviewPolicy policy = ReviewPolicy.sendWhenConfident(0.7); // or ReviewPolicy.reviewEverything()
 * }</pre>
 */
@FunctionalInterface
public interface ReviewPolicy {

    double DEFAULT_CONFIDENCE_THRESHOLD = 0.7;

    ReviewDecision decide(InboundMail mail, Draft draft);

    /** Files every draft for review ({@code ragmail.mode=review}). */
    static ReviewPolicy reviewEverything() {
        return (mail, draft) -> ReviewDecision.review(List.of("review mode: every reply is reviewed"));
    }

    /**
     * Sends a draft that does not ask for a human and whose confidence reaches the threshold;
     * files the rest for review with the reasons.
     */
    static ReviewPolicy sendWhenConfident(double threshold) {
        if (!(threshold >= 0.0 && threshold <= 1.0)) {
            throw new IllegalArgumentException("threshold must be within 0..1, was " + threshold);
        }
        return (mail, draft) -> {
            List<String> reasons = new ArrayList<>();
            if (draft.needsHuman()) {
                reasons.add(draft.humanReason().isBlank() ? "the drafter asked for a human" : draft.humanReason());
            }
            if (draft.confidence() < threshold) {
                reasons.add(String.format(java.util.Locale.ROOT, "confidence %.2f is below %.2f",
                        draft.confidence(), threshold));
            }
            return reasons.isEmpty() ? ReviewDecision.send() : ReviewDecision.review(reasons);
        };
    }
}
