/** A fake Odoo XML-RPC server that answers like the captured real Odoo 16 transcripts, and its helpers. */
package io.ragmail.testkit.odoo;
