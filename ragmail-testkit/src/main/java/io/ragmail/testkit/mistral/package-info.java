/** A Mistral-API-compatible HTTP server for tests: real wire format, scriptable replies, latency, faults and rate limits. */
package io.ragmail.testkit.mistral;
