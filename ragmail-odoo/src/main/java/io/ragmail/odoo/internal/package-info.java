/** Internals of the Odoo adapter: the hardened Apache XML-RPC transport and fault classification. Not API. */
package io.ragmail.odoo.internal;
