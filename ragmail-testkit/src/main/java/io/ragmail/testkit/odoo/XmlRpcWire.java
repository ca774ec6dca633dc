package io.ragmail.testkit.odoo;

import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * XML-RPC as Odoo's server (Python's {@code xmlrpc.client}) writes it: {@code <?xml version='1.0'?>},
 * one element per line, strings always in {@code <string>}, only {@code & < >} escaped, False for
 * null, doubles in Python repr; and a hardened request parser.
 */
final class XmlRpcWire {

    static final DateTimeFormatter DATETIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private XmlRpcWire() {
    }

    record Call(String method, List<Object> params) {
    }

    static Call parseCall(byte[] body) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        f.setExpandEntityReferences(false);
        DocumentBuilder b = f.newDocumentBuilder();
        b.setErrorHandler(new org.xml.sax.helpers.DefaultHandler()); // quiet: a bad body becomes an Odoo-style fault
        Document doc = b.parse(new ByteArrayInputStream(body));
        Element root = doc.getDocumentElement();
        if (!"methodCall".equals(root.getTagName())) {
            throw new IllegalArgumentException("not a methodCall");
        }
        String method = null;
        List<Object> params = new ArrayList<>();
        for (Element child : children(root)) {
            if ("methodName".equals(child.getTagName())) {
                method = child.getTextContent().trim();
            } else if ("params".equals(child.getTagName())) {
                for (Element param : children(child)) {
                    params.add(parseValue(children(param).get(0)));
                }
            }
        }
        if (method == null) {
            throw new IllegalArgumentException("no methodName");
        }
        return new Call(method, params);
    }

    private static List<Element> children(Element e) {
        List<Element> list = new ArrayList<>();
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element el) {
                list.add(el);
            }
        }
        return list;
    }

    private static Object parseValue(Element value) {
        List<Element> kids = children(value);
        if (kids.isEmpty()) {
            return value.getTextContent();
        }
        Element t = kids.get(0);
        String text = t.getTextContent();
        switch (t.getTagName()) {
            case "int", "i4", "i8":
                return Integer.valueOf(text.trim());
            case "boolean":
                return "1".equals(text.trim());
            case "double":
                return Double.valueOf(text.trim());
            case "string":
                return text;
            case "nil":
                return null;
            case "array": {
                List<Object> list = new ArrayList<>();
                List<Element> data = children(t);
                if (!data.isEmpty()) {
                    for (Element v : children(data.get(0))) {
                        list.add(parseValue(v));
                    }
                }
                return list;
            }
            case "struct": {
                Map<String, Object> map = new LinkedHashMap<>();
                for (Element member : children(t)) {
                    String name = null;
                    Object v = null;
                    for (Element m : children(member)) {
                        if ("name".equals(m.getTagName())) {
                            name = m.getTextContent();
                        } else if ("value".equals(m.getTagName())) {
                            v = parseValue(m);
                        }
                    }
                    map.put(name, v);
                }
                return map;
            }
            default:
                throw new IllegalArgumentException("unsupported type " + t.getTagName());
        }
    }

    static String response(Object value) {
        StringBuilder sb = new StringBuilder("<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n");
        dump(sb, value);
        return sb.append("</param>\n</params>\n</methodResponse>\n").toString();
    }

    static String fault(int code, String message) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("faultCode", code);
        f.put("faultString", message);
        return fault(f);
    }

    /** A fault whose struct has exactly these members, in this order (for faults Odoo 16 itself never sends). */
    static String fault(Map<String, ?> struct) {
        StringBuilder sb = new StringBuilder("<?xml version='1.0'?>\n<methodResponse>\n<fault>\n");
        dump(sb, struct);
        return sb.append("</fault>\n</methodResponse>\n").toString();
    }

    static void dump(StringBuilder sb, Object v) {
        if (v == null || Boolean.FALSE.equals(v)) {
            sb.append("<value><boolean>0</boolean></value>\n");
        } else if (Boolean.TRUE.equals(v)) {
            sb.append("<value><boolean>1</boolean></value>\n");
        } else if (v instanceof Integer || v instanceof Long) {
            sb.append("<value><int>").append(v).append("</int></value>\n");
        } else if (v instanceof Double d) {
            sb.append("<value><double>").append(pythonRepr(d)).append("</double></value>\n");
        } else if (v instanceof String s) {
            sb.append("<value><string>").append(escape(s)).append("</string></value>\n");
        } else if (v instanceof byte[] bytes) {
            sb.append("<value><base64>").append(Base64.getEncoder().encodeToString(bytes)).append("</base64></value>\n");
        } else if (v instanceof Instant i) {
            sb.append("<value><string>").append(DATETIME.format(i.truncatedTo(ChronoUnit.SECONDS))).append("</string></value>\n");
        } else if (v instanceof List<?> list) {
            sb.append("<value><array><data>\n");
            for (Object o : list) {
                dump(sb, o);
            }
            sb.append("</data></array></value>\n");
        } else if (v instanceof Map<?, ?> map) {
            sb.append("<value><struct>\n");
            map.forEach((k, val) -> {
                sb.append("<member>\n<name>").append(escape(String.valueOf(k))).append("</name>\n");
                dump(sb, val);
                sb.append("</member>\n");
            });
            sb.append("</struct></value>\n");
        } else {
            throw new IllegalArgumentException("cannot marshal " + v.getClass().getSimpleName());
        }
    }

    static String pythonRepr(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e16) {
            return new java.math.BigDecimal(d).toPlainString() + ".0";
        }
        return Double.toString(d);
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
