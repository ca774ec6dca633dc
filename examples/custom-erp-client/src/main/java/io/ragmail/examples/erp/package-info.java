/** An ErpClient for a shop's REST API: sender-scoped lookups and error mapping. */
package io.ragmail.examples.erp;
