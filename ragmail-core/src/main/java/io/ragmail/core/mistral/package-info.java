/** The Mistral AI drafter: grounded JSON drafts from Mistral's chat API with rate limits, retries, a circuit breaker and cost accounting. */
package io.ragmail.core.mistral;
