/** Knowledge-retrieval benchmark harness: store configurations, baseline stores, metrics and synthetic data. */
package io.ragmail.benchmarks.knowledge;
