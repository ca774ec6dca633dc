/** JMH micro-benchmarks and the end-to-end load harness (to come). */
package io.ragmail.benchmarks;
