/** The Mistral AI drafter: grounded JSON drafts from Mistral's chat API with rate limits, retries, a circuit breaker and token usage (priced by {@link io.ragmail.core.TokenPricing} in the pipeline); and the query rewriter that translates a foreign-language mail's search query into the knowledge base's language. */
package io.ragmail.core.mistral;
