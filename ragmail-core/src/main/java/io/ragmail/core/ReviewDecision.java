package io.ragmail.core;

import io.ragmail.core.ledger.Disposition;

import java.util.List;
import java.util.Objects;

/**
 * Whether a draft may be sent, or must be filed for a person to review, and why. The reasons become
 * the first lines of the reply filed for review.
 *
 * <pre>{@code
 * ReviewDecision decision = ReviewDecision.review(List.of("confidence 0.40 is below 0.70"));
 * }</pre>
 */
public record ReviewDecision(Disposition disposition, List<String> reasons) {
    public ReviewDecision {
        Objects.requireNonNull(disposition, "disposition");
        reasons = List.copyOf(reasons);
    }

    public static ReviewDecision send() {
        return new ReviewDecision(Disposition.SEND, List.of());
    }

    public static ReviewDecision review(List<String> reasons) {
        return new ReviewDecision(Disposition.REVIEW, reasons);
    }
}
