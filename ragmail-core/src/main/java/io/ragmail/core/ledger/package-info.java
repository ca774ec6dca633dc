/** The processing ledger: the durable state of every mail seen, which makes each mail answered exactly once. */
package io.ragmail.core.ledger;
