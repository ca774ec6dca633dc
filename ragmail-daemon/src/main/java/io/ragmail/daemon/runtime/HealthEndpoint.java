package io.ragmail.daemon.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The daemon's own minimal health endpoint on the JDK's HTTP server: {@code /health} (200 when
 * healthy or degraded, 503 when unhealthy), {@code /health/live}, {@code /health/ready}. It is the
 * seam where {@code ragmail-health}'s full server (metrics, dashboard) plugs in once that module is
 * usable: same bind and port keys, same JSON. Read-only; binds 127.0.0.1 unless configured.
 */
public final class HealthEndpoint implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private final HttpServer server;

    private HealthEndpoint(HttpServer server) {
        this.server = server;
    }

    public static HealthEndpoint start(String bind, int port, Supplier<Map<String, Object>> snapshot) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(bind, port), 16);
        server.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "ragmail-health");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/health", exchange -> {
            try (exchange) {
                String path = exchange.getRequestURI().getPath();
                Map<String, Object> body = snapshot.get();
                boolean unhealthy = "unhealthy".equals(body.get("status"));
                switch (path) {
                    case "/health/live" -> write(exchange, 200, Map.of("status", "alive"));
                    case "/health/ready" -> write(exchange, unhealthy ? 503 : 200, Map.of("status", body.get("status")));
                    case "/health", "/health/" -> write(exchange, unhealthy ? 503 : 200, body);
                    default -> write(exchange, 404, Map.of("error", "not found"));
                }
            } catch (RuntimeException e) {
                write(exchange, 500, Map.of("status", "unhealthy", "error", e.getClass().getSimpleName()));
            }
        });
        server.start();
        return new HealthEndpoint(server);
    }

    private static void write(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
