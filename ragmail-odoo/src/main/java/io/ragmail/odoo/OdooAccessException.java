package io.ragmail.odoo;

import io.ragmail.core.NonRetriableException;

/**
 * Odoo's access rights or record rules forbid what was asked (fault 4, {@code AccessError}): the Odoo user ragmail logs in as lacks a group. Not retried; an administrator must grant the right.
 *
 * <pre>{@code
 * try { client.searchCount("sale.order", OdooDomain.all()); }
 * catch (OdooAccessException e) { log.warn("odoo: {} (fault {})", e.getMessage(), e.faultCode()); }
 * }</pre>
 */
public class OdooAccessException extends NonRetriableException {

    private static final long serialVersionUID = 1L;

    private final int faultCode;
    private final String odooExceptionClass;

    public OdooAccessException(String message, int faultCode, String odooExceptionClass) {
        this(message, faultCode, odooExceptionClass, null);
    }

    public OdooAccessException(String message, int faultCode, String odooExceptionClass, Throwable cause) {
        super("odoo", message, cause);
        this.faultCode = faultCode;
        this.odooExceptionClass = odooExceptionClass == null ? "" : odooExceptionClass;
    }

    /** Odoo's fault code (1 server error, 2 user error, 3 access denied, 4 access error); -1 when the server sent none or a text code. */
    public int faultCode() {
        return faultCode;
    }

    /** The Python exception class Odoo named, such as {@code odoo.exceptions.MissingError}; empty when unknown. */
    public String odooExceptionClass() {
        return odooExceptionClass;
    }
}
