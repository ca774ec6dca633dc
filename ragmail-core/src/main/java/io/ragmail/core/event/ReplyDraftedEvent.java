package io.ragmail.core.event;

import io.ragmail.core.MailKey;
import io.ragmail.core.TokenUsage;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The drafter produced a reply; {@code took} covers ERP look-up, retrieval and drafting.
 * {@code cost} is what this draft's tokens cost under the pipeline's
 * {@link io.ragmail.core.TokenPricing} (zero by default), in {@code currency} (empty when unknown).
 */
public record ReplyDraftedEvent(MailKey key, double confidence, TokenUsage usage, Duration took, Instant at,
        BigDecimal cost, String currency) {

    public ReplyDraftedEvent {
        Objects.requireNonNull(usage, "usage");
        cost = cost == null ? BigDecimal.ZERO : cost;
        currency = currency == null ? "" : currency;
    }

    /** Without a cost (zero). */
    public ReplyDraftedEvent(MailKey key, double confidence, TokenUsage usage, Duration took, Instant at) {
        this(key, confidence, usage, took, at, BigDecimal.ZERO, "");
    }
}
