/** The Mistral AI drafter: grounded JSON drafts from Mistral's chat API with rate limits, retries, a circuit breaker and token usage (priced by {@link io.ragmail.core.TokenPricing} in the pipeline). */
package io.ragmail.core.mistral;
