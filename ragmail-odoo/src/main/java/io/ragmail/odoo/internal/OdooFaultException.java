package io.ragmail.odoo.internal;

import org.apache.xmlrpc.XmlRpcException;

/**
 * A fault answer from Odoo as the transport read it: the fault code (an int, or the raw string an old
 * Odoo sent, in which case {@link #rawCode()} holds it and {@code code} is -1) and the fault string.
 */
public final class OdooFaultException extends XmlRpcException {

    private static final long serialVersionUID = 1L;

    private final String rawCode;

    public OdooFaultException(int code, String rawCode, String faultString) {
        super(code, faultString);
        this.rawCode = rawCode;
    }

    /** The fault code exactly as sent when it was a string; empty for integer codes. */
    public String rawCode() {
        return rawCode;
    }
}
