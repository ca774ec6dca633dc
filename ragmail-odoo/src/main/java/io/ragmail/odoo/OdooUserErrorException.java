package io.ragmail.odoo;

import io.ragmail.core.NonRetriableException;

/**
 * Odoo refused the request with a message meant for a person (fault 2 {@code UserError}, {@code ValidationError}).
 *
 * <pre>{@code
 * try { client.searchCount("sale.order", OdooDomain.all()); }
 * catch (OdooUserErrorException e) { log.warn("odoo: {} (fault {})", e.getMessage(), e.faultCode()); }
 * }</pre>
 */
public class OdooUserErrorException extends NonRetriableException {

    private static final long serialVersionUID = 1L;

    private final int faultCode;
    private final String odooExceptionClass;

    public OdooUserErrorException(String message, int faultCode, String odooExceptionClass) {
        this(message, faultCode, odooExceptionClass, null);
    }

    public OdooUserErrorException(String message, int faultCode, String odooExceptionClass, Throwable cause) {
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
