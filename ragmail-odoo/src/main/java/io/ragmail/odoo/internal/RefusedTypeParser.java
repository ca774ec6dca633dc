package io.ragmail.odoo.internal;

import org.apache.xmlrpc.parser.TypeParserImpl;
import org.xml.sax.Attributes;
import org.xml.sax.SAXException;

/** Fails on the first event of a value type ragmail does not accept from a server. */
final class RefusedTypeParser extends TypeParserImpl {

    private final String type;

    RefusedTypeParser(String uri, String localName) {
        this.type = uri == null || uri.isEmpty() ? localName : "{" + uri + "}" + localName;
    }

    private SAXException refused() {
        return new RefusedContentException("the server sent an XML-RPC value of type '" + type
                + "', which ragmail refuses (only plain XML-RPC types are accepted)");
    }

    @Override
    public void startDocument() throws SAXException {
        throw refused();
    }

    @Override
    public void startElement(String uri, String localName, String qName, Attributes attrs) throws SAXException {
        throw refused();
    }

    @Override
    public void endDocument() throws SAXException {
        throw refused();
    }

    @Override
    public void characters(char[] ch, int start, int length) throws SAXException {
        throw refused();
    }

    @Override
    public void endElement(String uri, String localName, String qName) throws SAXException {
        throw refused();
    }
}
