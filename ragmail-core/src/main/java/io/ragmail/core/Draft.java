package io.ragmail.core;

import java.util.List;
import java.util.Objects;

/**
 * A drafted reply.
 *
 * @param text          the reply body, plain text
 * @param language      the reply's language as an ISO 639-1 code, such as {@code "en"}
 * @param confidence    the drafter's confidence that the reply is right and complete, 0..1
 * @param usedSourceIds the passages' source ids the reply relies on
 * @param needsHuman    whether a person must review this reply before it goes out
 * @param humanReason   why, when {@code needsHuman}; empty otherwise
 * @param usage         tokens consumed
 */
public record Draft(
        String text,
        String language,
        double confidence,
        List<String> usedSourceIds,
        boolean needsHuman,
        String humanReason,
        TokenUsage usage) {

    public Draft {
        Objects.requireNonNull(text, "text");
        language = language == null || language.isBlank() ? "und" : language;
        if (!(confidence >= 0.0 && confidence <= 1.0)) {
            throw new IllegalArgumentException("confidence must be within 0..1, was " + confidence);
        }
        usedSourceIds = List.copyOf(usedSourceIds);
        humanReason = humanReason == null ? "" : humanReason;
        usage = usage == null ? TokenUsage.NONE : usage;
    }
}
