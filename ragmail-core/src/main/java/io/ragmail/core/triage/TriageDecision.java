package io.ragmail.core.triage;

import java.util.Objects;

/** Whether to answer a mail; when not, why (recorded in the ledger as the skip reason). */
public record TriageDecision(boolean answer, String reason) {

    public static final TriageDecision ANSWER = new TriageDecision(true, "");

    public TriageDecision {
        Objects.requireNonNull(reason, "reason");
        if (!answer && reason.isBlank()) {
            throw new IllegalArgumentException("a skip needs a reason");
        }
    }

    public static TriageDecision skip(String reason) {
        return new TriageDecision(false, reason);
    }
}
