/** Odoo → knowledge sync benchmark: initial sync throughput and the cost of an incremental run with nothing changed. */
package io.ragmail.benchmarks.odoo;
