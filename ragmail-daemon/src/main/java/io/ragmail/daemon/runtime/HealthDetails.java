package io.ragmail.daemon.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.sun.net.httpserver.HttpExchange;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Serves {@code GET /health/daemon}: what only the daemon knows (backlog boundary, syncs' last success
 * and lag, active alerts, restarts, unclean start, ledger counts, queue depth), next to
 * ragmail-health's {@code /health}. Read-only; no mail text, no secrets.
 */
final class HealthDetails {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private HealthDetails() {
    }

    static void serve(HttpExchange exchange, Supplier<Map<String, Object>> details) throws IOException {
        try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            int status;
            byte[] body;
            try {
                Map<String, Object> d = details.get();
                status = "unhealthy".equals(d.get("status")) ? 503 : 200;
                body = JSON.writeValueAsBytes(d);
            } catch (RuntimeException e) {
                status = 500;
                body = JSON.writeValueAsBytes(Map.of("status", "unhealthy", "error", e.getClass().getSimpleName()));
            }
            exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            exchange.sendResponseHeaders(status, "HEAD".equals(exchange.getRequestMethod()) ? -1 : body.length);
            if (!"HEAD".equals(exchange.getRequestMethod())) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        }
    }
}
