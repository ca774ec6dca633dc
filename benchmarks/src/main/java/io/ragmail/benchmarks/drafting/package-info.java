/** Drafting throughput benchmark (issue 4): the full pipeline over GreenMail with MistralDrafter against a rate-limited, slow FakeMistralServer. */
package io.ragmail.benchmarks.drafting;
