/** Odoo adapter (to come): XML-RPC client, sender-scoped ErpClient and Odoo to knowledge sync. */
package io.ragmail.odoo;
