package io.ragmail.odoo.internal;

import java.util.Set;
import org.apache.xmlrpc.common.TypeFactoryImpl;
import org.apache.xmlrpc.common.XmlRpcController;
import org.apache.xmlrpc.common.XmlRpcStreamConfig;
import org.apache.xmlrpc.parser.TypeParser;
import org.apache.xmlrpc.serializer.TypeSerializer;
import org.apache.ws.commons.util.NamespaceContextImpl;
import org.xml.sax.SAXException;

/**
 * A type factory that only parses the plain XML-RPC types Odoo sends. Every extension type (the
 * {@code ex:} namespace, including {@code ex:serializable}, which would run {@code ObjectInputStream})
 * and {@code nil} are refused, whatever the client configuration says.
 */
public final class SafeTypeFactory extends TypeFactoryImpl {

    static final Set<String> ALLOWED = Set.of("int", "i4", "boolean", "double", "string", "array", "struct",
            "base64", "dateTime.iso8601");

    public SafeTypeFactory(XmlRpcController controller) {
        super(controller);
    }

    @Override
    public TypeParser getParser(XmlRpcStreamConfig config, NamespaceContextImpl context, String uri, String localName) {
        if (!"".equals(uri) || !ALLOWED.contains(localName)) {
            // returning null makes the parser fail with "Unknown type"; RefusedTypeParser names it clearly
            return new RefusedTypeParser(uri, localName);
        }
        return super.getParser(config, context, uri, localName);
    }

    @Override
    public TypeSerializer getSerializer(XmlRpcStreamConfig config, Object object) throws SAXException {
        if (object == null) {
            throw new SAXException("null cannot be sent to Odoo (XML-RPC has no nil there); use false");
        }
        return super.getSerializer(config, object);
    }
}
