/** Internals of the Mistral drafter: the HTTP client plugged into langchain4j, prompt building, reply parsing, failure classification and the token budget. Not a public API. */
package io.ragmail.core.mistral.internal;
