/**
 * Odoo adapter: a safe XML-RPC client ({@link io.ragmail.odoo.OdooClient}), sender-scoped ERP facts
 * ({@link io.ragmail.odoo.OdooErpClient}) and incremental Odoo → knowledge sync
 * ({@link io.ragmail.odoo.OdooKnowledgeSync}). See docs/odoo.md.
 */
package io.ragmail.odoo;
