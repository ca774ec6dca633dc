package io.ragmail.odoo.internal;

import java.util.Map;
import org.apache.xmlrpc.common.TypeFactory;
import org.apache.xmlrpc.common.XmlRpcStreamRequestConfig;
import org.apache.xmlrpc.parser.RecursiveTypeParserImpl;
import org.apache.ws.commons.util.NamespaceContextImpl;
import org.xml.sax.Attributes;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * Parses a {@code methodResponse}. Unlike Apache's {@code XmlRpcResponseParser} it never deserialises a
 * {@code faultCause} (CVE-2019-17570: it has no code path to {@code ObjectInputStream} at all), and it
 * accepts the fault code as an {@code <int>} (Odoo 11+) or as a {@code <string>} (older Odoo), keeping
 * the server's text instead of throwing {@code ClassCastException}.
 */
final class SafeResponseParser extends RecursiveTypeParserImpl {

    private int level;
    private boolean success;
    private Object faultCode;
    private String faultString;
    private boolean sawResult;

    SafeResponseParser(XmlRpcStreamRequestConfig config, TypeFactory factory) {
        super(config, new NamespaceContextImpl(), factory);
    }

    @Override
    protected void addResult(Object result) throws SAXException {
        sawResult = true;
        if (success) {
            setResult(result);
            return;
        }
        if (!(result instanceof Map<?, ?> map)) {
            throw new SAXParseException("fault value is not a struct", getDocumentLocator());
        }
        faultCode = map.get("faultCode");
        Object text = map.get("faultString");
        faultString = text instanceof String s ? s : String.valueOf(text == null ? "" : text);
        if (faultCode == null) {
            throw new SAXParseException("fault without faultCode", getDocumentLocator());
        }
        // any other member (faultCause, …) is ignored on purpose: it is never deserialised
    }

    @Override
    public void startDocument() throws SAXException {
        super.startDocument();
        level = 0;
        success = false;
        faultCode = null;
        faultString = null;
        sawResult = false;
    }

    @Override
    public void startElement(String uri, String localName, String qName, Attributes attrs) throws SAXException {
        switch (level++) {
            case 0 -> expect(uri, localName, "methodResponse");
            case 1 -> {
                if ("".equals(uri) && "params".equals(localName)) {
                    success = true;
                } else if ("".equals(uri) && "fault".equals(localName)) {
                    success = false;
                } else {
                    throw new SAXParseException("expected params or fault, got " + localName, getDocumentLocator());
                }
            }
            case 2 -> {
                if (success) {
                    expect(uri, localName, "param");
                } else {
                    expect(uri, localName, "value");
                    startValueTag();
                }
            }
            case 3 -> {
                if (success) {
                    expect(uri, localName, "value");
                    startValueTag();
                } else {
                    super.startElement(uri, localName, qName, attrs);
                }
            }
            default -> super.startElement(uri, localName, qName, attrs);
        }
    }

    @Override
    public void endElement(String uri, String localName, String qName) throws SAXException {
        switch (--level) {
            case 0, 1 -> {
                // methodResponse / params / fault: structure was checked on the way in
            }
            case 2 -> {
                if (!success) {
                    endValueTag();
                }
            }
            case 3 -> {
                if (success) {
                    endValueTag();
                } else {
                    super.endElement(uri, localName, qName);
                }
            }
            default -> super.endElement(uri, localName, qName);
        }
    }

    private void expect(String uri, String localName, String wanted) throws SAXParseException {
        if (!"".equals(uri) || !wanted.equals(localName)) {
            throw new SAXParseException("expected " + wanted + ", got " + localName, getDocumentLocator());
        }
    }

    boolean isSuccess() {
        return success;
    }

    boolean sawResult() {
        return sawResult;
    }

    Object faultCode() {
        return faultCode;
    }

    String faultString() {
        return faultString == null ? "" : faultString;
    }
}
