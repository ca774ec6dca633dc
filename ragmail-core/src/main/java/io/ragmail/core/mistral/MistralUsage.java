package io.ragmail.core.mistral;

import io.ragmail.core.TokenUsage;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Objects;

/**
 * What one draft cost: the tokens of every Mistral call made for it (format retries included), their
 * price, and how many HTTP requests it took. Given to {@link MistralUsageListener}s.
 *
 * <pre>{@code
 * MistralDrafter.builder().usageListener(u -> ledger.recordCost(u.cost(), u.currency()))...
 * }</pre>
 *
 * @param model    the model name
 * @param usage    tokens, summed over all calls for this draft
 * @param cost     {@code usage} priced with the drafter's {@link MistralPricing}
 * @param currency the pricing's currency
 * @param requests HTTP requests sent for this draft (retries and re-asks included)
 * @param elapsed  time from the start of drafting to the result
 */
public record MistralUsage(String model, TokenUsage usage, BigDecimal cost, String currency, int requests, Duration elapsed) {
    public MistralUsage {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(usage, "usage");
        Objects.requireNonNull(cost, "cost");
        Objects.requireNonNull(currency, "currency");
        Objects.requireNonNull(elapsed, "elapsed");
    }
}
