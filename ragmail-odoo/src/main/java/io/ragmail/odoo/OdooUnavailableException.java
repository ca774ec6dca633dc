package io.ragmail.odoo;

import io.ragmail.core.RetriableException;

/**
 * Odoo or its database cannot be reached right now (connection refused, timeout, HTTP 5xx, PostgreSQL down, circuit open). Try again later.
 *
 * <pre>{@code
 * try { client.searchCount("sale.order", OdooDomain.all()); }
 * catch (OdooUnavailableException e) { log.warn("odoo: {} (fault {})", e.getMessage(), e.faultCode()); }
 * }</pre>
 */
public class OdooUnavailableException extends RetriableException {

    private static final long serialVersionUID = 1L;

    private final int faultCode;
    private final String odooExceptionClass;

    public OdooUnavailableException(String message, int faultCode, String odooExceptionClass) {
        this(message, faultCode, odooExceptionClass, null);
    }

    public OdooUnavailableException(String message, int faultCode, String odooExceptionClass, Throwable cause) {
        super("odoo", message, cause, null);
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
