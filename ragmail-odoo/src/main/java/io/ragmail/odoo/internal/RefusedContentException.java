package io.ragmail.odoo.internal;

import org.xml.sax.SAXException;

/** The server's answer holds something ragmail refuses to parse (extension types, DTDs, entities). */
public final class RefusedContentException extends SAXException {

    private static final long serialVersionUID = 1L;

    public RefusedContentException(String message) {
        super(message);
    }
}
