/**
 * Benchmark programs (plain {@code main} methods, not run by {@code mvn verify}):
 * {@link io.ragmail.benchmarks.RetrievalQuality} and {@link io.ragmail.benchmarks.SearchSpeed}.
 */
package io.ragmail.benchmarks;
