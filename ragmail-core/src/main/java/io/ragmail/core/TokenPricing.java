package io.ragmail.core;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Objects;

/**
 * What a language model charges, per 1 000 input and output tokens, to put a cost on each draft.
 * {@link #FREE} (the default) costs nothing, as does the offline template drafter.
 *
 * <pre>{@code
 * TokenPricing small = TokenPricing.per1k("0.0002", "0.0006", "USD");
 * small.cost(new TokenUsage(1_500, 400)); // 0.00054
 * }</pre>
 *
 * @param inputPer1k  price of 1 000 prompt tokens, not negative
 * @param outputPer1k price of 1 000 completion tokens, not negative
 * @param currency    ISO 4217 code such as {@code "EUR"}, or empty when unknown
 */
public record TokenPricing(BigDecimal inputPer1k, BigDecimal outputPer1k, String currency) {

    public static final TokenPricing FREE = new TokenPricing(BigDecimal.ZERO, BigDecimal.ZERO, "");

    private static final BigDecimal THOUSAND = BigDecimal.valueOf(1000);

    public TokenPricing {
        Objects.requireNonNull(inputPer1k, "inputPer1k");
        Objects.requireNonNull(outputPer1k, "outputPer1k");
        if (inputPer1k.signum() < 0) {
            throw new IllegalArgumentException("inputPer1k must not be negative, was " + inputPer1k);
        }
        if (outputPer1k.signum() < 0) {
            throw new IllegalArgumentException("outputPer1k must not be negative, was " + outputPer1k);
        }
        currency = currency == null ? "" : currency.trim();
    }

    /** Prices written as decimal strings, such as {@code per1k("0.002", "0.006", "EUR")}. */
    public static TokenPricing per1k(String inputPer1k, String outputPer1k, String currency) {
        return new TokenPricing(new BigDecimal(inputPer1k), new BigDecimal(outputPer1k), currency);
    }

    /** The cost of this usage, exact (no rounding beyond 12 decimal places). */
    public BigDecimal cost(TokenUsage usage) {
        BigDecimal input = inputPer1k.multiply(BigDecimal.valueOf(usage.inputTokens()));
        BigDecimal output = outputPer1k.multiply(BigDecimal.valueOf(usage.outputTokens()));
        BigDecimal cost = input.add(output).divide(THOUSAND, 12, RoundingMode.HALF_UP).stripTrailingZeros();
        return cost.signum() == 0 ? BigDecimal.ZERO : cost;
    }
}
