package io.ragmail.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ragmail.config.ConfigKeys;
import io.ragmail.config.LayeredConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code ragmail status}: asks the running daemon's health endpoints ({@code /health} of
 * ragmail-health, {@code /health/daemon} for the daemon's own details) and prints them for a person.
 */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show the running daemon's health: components, counts, queue depth, syncs.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:healthy or degraded", "1:unhealthy", "3:no daemon answers"})
final class StatusCommand extends ConfiguredCommand implements Callable<Integer> {

    @Option(names = "--url", description = "Health URL (default: from ragmail.health.bind/port).")
    URI url;

    @Override
    public Integer call() throws Exception {
        LayeredConfig config = loadConfig();
        if (config == null) {
            return ExitCodes.CONFIG;
        }
        String token = config.isSet(ConfigKeys.HEALTH_TOKEN) ? config.get(ConfigKeys.HEALTH_TOKEN.name()).strip() : null;
        if (url == null) {
            String bind = config.value(ConfigKeys.HEALTH_BIND);
            String host = bind.equals("0.0.0.0") || bind.equals("::") ? "127.0.0.1" : bind;
            url = URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + config.value(ConfigKeys.HEALTH_PORT) + "/health");
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        JsonNode h;
        JsonNode details;
        try {
            HttpResponse<String> health = http.send(request(url, token), HttpResponse.BodyHandlers.ofString());
            if (health.statusCode() == 401) {
                err().println("ragmail: " + url + " wants the health token (ragmail.health.token)");
                return ExitCodes.FAILED;
            }
            h = new ObjectMapper().readTree(health.body());
            URI detailsUrl = url.resolve(io.ragmail.daemon.runtime.Daemon.DETAILS_PATH);
            HttpResponse<String> d = http.send(request(detailsUrl, token), HttpResponse.BodyHandlers.ofString());
            details = d.statusCode() / 100 == 2 || d.statusCode() == 503 ? new ObjectMapper().readTree(d.body()) : null;
        } catch (IOException e) {
            err().println("ragmail: no daemon answers at " + url + " (" + e.getClass().getSimpleName() + ")");
            return ExitCodes.DEPENDENCY;
        }
        print(h, details, out());
        return "unhealthy".equals(h.path("status").asText()) ? ExitCodes.FAILED : ExitCodes.OK;
    }

    private static HttpRequest request(URI url, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10)).GET();
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b.build();
    }

    static void print(JsonNode h, JsonNode d, PrintWriter out) {
        out.printf("ragmail is %s, up %s; %d mails processed, last at %s; %d failed today%n", h.path("status").asText(),
                h.path("uptime").asText(), h.path("emails_processed").asLong(),
                h.path("last_email").isNull() ? "never" : h.path("last_email").asText(), h.path("error_count").asLong());
        out.println("components:");
        for (Iterator<Map.Entry<String, JsonNode>> it = h.path("components").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> c = it.next();
            JsonNode v = c.getValue();
            boolean up = "up".equals(v.path("status").asText());
            String error = v.path("last_error").isTextual() ? v.path("last_error").asText() : v.path("error").asText("");
            out.printf("  %-18s %s%s%n", c.getKey(), v.path("status").asText(),
                    up || v.path("since").isNull() || v.path("since").isMissingNode() ? ""
                            : " since " + v.path("since").asText() + (error.isEmpty() ? "" : " (" + error + ")"));
        }
        if (d == null) {
            out.flush();
            return;
        }
        h = d;
        out.print("ledger:");
        h.path("ledger").fields().forEachRemaining(e -> out.print(" " + e.getKey() + " " + e.getValue().asLong()));
        out.println();
        out.println("failed-mail queue: " + h.path("queue_depth").asLong() + " (ragmail queue list)");
        for (Iterator<Map.Entry<String, JsonNode>> it = h.path("syncs").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> s = it.next();
            JsonNode v = s.getValue();
            out.printf("sync %-16s last success %s%s%n", s.getKey(), v.path("last_success").isNull() ? "never" : v.path("last_success").asText(),
                    v.path("lag").isNull() ? "" : " (" + v.path("lag").asText() + " ago)");
        }
        JsonNode b = h.path("backlog");
        if (!b.isMissingNode()) {
            out.printf("backlog: %s since first start %s, %d older mails left for a person%n", b.path("setting").asText(),
                    b.path("first_start").asText(), b.path("left_for_a_person_at_first_start").asLong());
        }
        if (h.path("alerts").size() > 0) {
            out.println("active alerts: " + h.path("alerts"));
        }
        out.flush();
    }
}
