package io.ragmail.odoo.internal;

import java.io.IOException;
import java.io.InputStream;
import javax.xml.XMLConstants;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParserFactory;
import org.apache.xmlrpc.XmlRpcException;
import org.apache.xmlrpc.client.XmlRpcClient;
import org.apache.xmlrpc.client.XmlRpcClientException;
import org.apache.xmlrpc.client.XmlRpcSunHttpTransport;
import org.apache.xmlrpc.client.XmlRpcTransport;
import org.apache.xmlrpc.client.XmlRpcTransportFactory;
import org.apache.xmlrpc.common.XmlRpcStreamRequestConfig;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.XMLReader;

/**
 * Apache's JDK-HTTP transport with a hardened response path: a SAX reader that refuses any DOCTYPE
 * (so no external entity or entity expansion can happen) and {@link SafeResponseParser}, which never
 * deserialises Java objects. Faults come out as {@link OdooFaultException}.
 */
public final class SafeXmlRpcTransport extends XmlRpcSunHttpTransport {

    private static final SAXParserFactory SAX = hardenedFactory();

    private final int connectTimeoutMillis;
    private final int readTimeoutMillis;

    public SafeXmlRpcTransport(XmlRpcClient client, int connectTimeoutMillis, int readTimeoutMillis) {
        super(client);
        this.connectTimeoutMillis = connectTimeoutMillis;
        this.readTimeoutMillis = readTimeoutMillis;
    }

    /** Installs the safe transport (with these timeouts, which Apache's JDK transport ignores) and type factory. */
    public static void install(XmlRpcClient client, int connectTimeoutMillis, int readTimeoutMillis) {
        client.setTypeFactory(new SafeTypeFactory(client));
        XmlRpcTransportFactory factory = new XmlRpcTransportFactory() {
            @Override
            public XmlRpcTransport getTransport() {
                return new SafeXmlRpcTransport(client, connectTimeoutMillis, readTimeoutMillis);
            }
        };
        client.setTransportFactory(factory);
    }

    static SAXParserFactory hardenedFactory() {
        try {
            SAXParserFactory f = SAXParserFactory.newInstance();
            f.setNamespaceAware(true);
            f.setValidating(false);
            f.setXIncludeAware(false);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            return f;
        } catch (ParserConfigurationException | SAXException e) {
            throw new IllegalStateException("cannot configure a safe XML parser", e);
        }
    }

    @Override
    protected java.net.URLConnection newURLConnection(java.net.URL url) throws IOException {
        java.net.URLConnection c = url.openConnection();
        c.setConnectTimeout(connectTimeoutMillis);
        c.setReadTimeout(readTimeoutMillis);
        return c;
    }

    @Override
    protected XMLReader newXMLReader() throws XmlRpcException {
        try {
            XMLReader reader = SAX.newSAXParser().getXMLReader();
            reader.setEntityResolver((publicId, systemId) -> {
                throw new RefusedContentException("external entities are refused");
            });
            return reader;
        } catch (ParserConfigurationException | SAXException e) {
            throw new XmlRpcClientException("cannot create a safe XML parser", e);
        }
    }

    @Override
    protected Object readResponse(XmlRpcStreamRequestConfig config, InputStream stream) throws XmlRpcException {
        XMLReader reader = newXMLReader();
        SafeResponseParser parser = new SafeResponseParser(config, getClient().getTypeFactory());
        reader.setContentHandler(parser);
        try {
            reader.parse(new InputSource(stream));
        } catch (RefusedContentException e) {
            throw new XmlRpcClientException("refused the server's response: " + e.getMessage(), e);
        } catch (SAXException e) {
            Exception inner = e.getException();
            if (inner instanceof RefusedContentException r) {
                throw new XmlRpcClientException("refused the server's response: " + r.getMessage(), r);
            }
            String msg = e.getMessage() != null && e.getMessage().contains("DOCTYPE")
                    ? "refused the server's response: it declares a DOCTYPE (entities are never resolved)"
                    : "the server's response is not valid XML-RPC: " + e.getMessage();
            throw new XmlRpcClientException(msg, new RefusedContentException(msg));
        } catch (IOException e) {
            throw new XmlRpcClientException("failed to read the server's response: " + e.getMessage(), e);
        }
        if (!parser.sawResult()) {
            throw new XmlRpcClientException("the server's response holds no value",
                    new RefusedContentException("empty response"));
        }
        if (parser.isSuccess()) {
            return parser.getResult();
        }
        Object code = parser.faultCode();
        if (code instanceof Integer i) {
            throw new OdooFaultException(i, "", parser.faultString());
        }
        String raw = String.valueOf(code).trim();
        try {
            return throwFault(Integer.parseInt(raw), raw, parser.faultString());
        } catch (NumberFormatException notNumeric) {
            return throwFault(-1, raw, parser.faultString());
        }
    }

    private static Object throwFault(int code, String raw, String text) throws OdooFaultException {
        throw new OdooFaultException(code, raw, text);
    }
}
