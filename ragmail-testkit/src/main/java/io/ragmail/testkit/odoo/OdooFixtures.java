package io.ragmail.testkit.odoo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The request/response bodies captured from a real Odoo 16 server (copied from the project's
 * {@code shared/fixtures/odoo-xmlrpc}; see the README beside them), as classpath resources.
 *
 * <pre>{@code
 * String fault = OdooFixtures.response("14-fault-wrong-password-execute-kw");
 * }</pre>
 */
public final class OdooFixtures {

    private static final String ROOT = "/io/ragmail/testkit/odoo/fixtures/";

    private OdooFixtures() {
    }

    /** Names of all captured pairs, such as {@code "05-partner-search-read-by-email"} or {@code "apache-xmlrpc-3.1.3-client/02-authenticate-ok"}. */
    public static List<String> names() {
        return read("index.txt").lines().filter(l -> l.endsWith(".request.xml"))
                .map(l -> l.substring(0, l.length() - ".request.xml".length())).toList();
    }

    public static byte[] requestBytes(String name) {
        return bytes(name + ".request.xml");
    }

    public static String request(String name) {
        return read(name + ".request.xml");
    }

    public static String response(String name) {
        return read(name + ".response.xml");
    }

    private static String read(String file) {
        return new String(bytes(file), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String file) {
        try (InputStream in = OdooFixtures.class.getResourceAsStream(ROOT + file)) {
            if (in == null) {
                throw new IllegalArgumentException("no Odoo fixture " + file);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
