/** Sample knowledge for tests and benchmarks: a chemical distributor's product, safety and FAQ pages and labelled customer questions. */
package io.ragmail.testkit.knowledge;
