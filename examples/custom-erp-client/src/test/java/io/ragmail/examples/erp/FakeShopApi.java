package io.ragmail.examples.erp;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The shop's REST API as {@link ShopApiErpClient} expects it, on a free loopback port: a bearer token,
 * a customer search by e-mail that matches prefixes (as many real ones do), orders per customer, and
 * scripted faults. It records every path it was asked for.
 */
final class FakeShopApi implements AutoCloseable {

    static final String TOKEN = "shop-token-123";

    private final HttpServer server;
    private final List<String> requested = new CopyOnWriteArrayList<>();
    private final Queue<Fault> faults = new ConcurrentLinkedQueue<>();

    /** A one-off answer instead of the data: a status (with Retry-After when > 0) or a hang. */
    record Fault(int status, int retryAfterSeconds, long hangMillis) {
    }

    FakeShopApi() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/v1/customers", this::handle);
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/api/v1";
    }

    List<String> requested() {
        return List.copyOf(requested);
    }

    FakeShopApi failNext(Fault fault) {
        faults.add(fault);
        return this;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            String query = exchange.getRequestURI().getRawQuery();
            requested.add(query == null ? path : path + "?" + URLDecoder.decode(query, StandardCharsets.UTF_8));
            if (!("Bearer " + TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                send(exchange, 401, "{\"error\":\"invalid token\"}");
                return;
            }
            Fault fault = faults.poll();
            if (fault != null) {
                if (fault.hangMillis() > 0) {
                    Thread.sleep(fault.hangMillis());
                }
                if (fault.retryAfterSeconds() > 0) {
                    exchange.getResponseHeaders().set("Retry-After", Integer.toString(fault.retryAfterSeconds()));
                }
                send(exchange, fault.status(), "{\"error\":\"try later\"}");
                return;
            }
            if (path.equals("/api/v1/customers") && query != null && query.startsWith("email=")) {
                send(exchange, 200, customersMatching(URLDecoder.decode(query.substring(6), StandardCharsets.UTF_8)));
            } else if (path.equals("/api/v1/customers/C-1001/orders")) {
                send(exchange, 200, """
                        {"orders": [{"number": "S00042", "status": "shipped", "placed_on": "2026-11-28",
                                     "total": "129.00 EUR", "tracking": "1Z999AA10123456784"}]}""");
            } else if (path.matches("/api/v1/customers/C-\\d+/orders")) {
                send(exchange, 200, """
                        {"orders": [{"number": "S00043", "status": "in preparation", "total": "980.00 EUR"}]}""");
            } else {
                send(exchange, 404, "{\"error\":\"not found\"}");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Prefix search, as loose as real shop APIs tend to be: "ada@" also finds "ada@customers.example.org". */
    private static String customersMatching(String email) {
        String all = """
                C-1001|Ada Lovelace|ada@customers.example
                C-1002|Ada Lovelace (old account)|ada@customers.example.org
                C-2001|Bob Builder|purchasing@builders.example
                C-2002|Bobby Builder|purchasing@builders.example
                C-3001|Carol Jones|carol@customers.example
                """;
        StringBuilder json = new StringBuilder("{\"customers\": [");
        String separator = "";
        for (String line : all.strip().split("\n")) {
            String[] c = line.split("\\|");
            if (c[2].startsWith(email.toLowerCase(Locale.ROOT))) {
                json.append(separator).append(String.format("{\"id\": \"%s\", \"name\": \"%s\", \"email\": \"%s\"}", c[0], c[1], c[2]));
                separator = ", ";
            }
        }
        return json.append("]}").toString();
    }

    private static void send(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
