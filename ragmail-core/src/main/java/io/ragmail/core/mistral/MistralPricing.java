package io.ragmail.core.mistral;

import io.ragmail.core.TokenUsage;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Objects;

/**
 * What Mistral charges: a price per 1 000 input (prompt) tokens and per 1 000 output (completion)
 * tokens, in one currency. Prices differ per model and change over time: configure your own.
 *
 * <pre>{@code
 * MistralPricing pricing = MistralPricing.of("0.0001", "0.0003", "USD");
 * BigDecimal cost = pricing.cost(new TokenUsage(1200, 300)); // 0.00021
 * }</pre>
 *
 * @param inputPer1k  price of 1 000 input tokens
 * @param outputPer1k price of 1 000 output tokens
 * @param currency    ISO 4217 code or any label, such as {@code "EUR"}
 */
public record MistralPricing(BigDecimal inputPer1k, BigDecimal outputPer1k, String currency) {

    /** No cost: for tests, or for a self-hosted model. */
    public static final MistralPricing FREE = new MistralPricing(BigDecimal.ZERO, BigDecimal.ZERO, "USD");

    private static final BigDecimal THOUSAND = BigDecimal.valueOf(1000);

    public MistralPricing {
        Objects.requireNonNull(inputPer1k, "inputPer1k");
        Objects.requireNonNull(outputPer1k, "outputPer1k");
        if (inputPer1k.signum() < 0) {
            throw new IllegalArgumentException("inputPer1k must not be negative, was " + inputPer1k);
        }
        if (outputPer1k.signum() < 0) {
            throw new IllegalArgumentException("outputPer1k must not be negative, was " + outputPer1k);
        }
        if (currency == null || currency.isBlank()) {
            throw new IllegalArgumentException("currency must not be blank");
        }
    }

    public static MistralPricing of(String inputPer1k, String outputPer1k, String currency) {
        return new MistralPricing(new BigDecimal(inputPer1k), new BigDecimal(outputPer1k), currency);
    }

    /** The cost of these tokens, to 8 decimal places. */
    public BigDecimal cost(TokenUsage usage) {
        Objects.requireNonNull(usage, "usage");
        BigDecimal in = inputPer1k.multiply(BigDecimal.valueOf(usage.inputTokens()));
        BigDecimal out = outputPer1k.multiply(BigDecimal.valueOf(usage.outputTokens()));
        return in.add(out).divide(THOUSAND, 8, RoundingMode.HALF_UP).stripTrailingZeros();
    }
}
