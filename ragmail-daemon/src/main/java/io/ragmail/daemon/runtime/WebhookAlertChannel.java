package io.ragmail.daemon.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * Alerts to a Slack- or Teams-style incoming webhook: a POST of {@code {"text": "..."}}, which both
 * accept. The URL holds a token, so it is never logged: errors name only the host.
 *
 * <pre>{@code
 * AlertChannel slack = new WebhookAlertChannel(URI.create("https://hooks.slack.com/services/..."));
 * }</pre>
 */
public final class WebhookAlertChannel implements AlertChannel {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final URI url;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    public WebhookAlertChannel(URI url) {
        this.url = url;
    }

    @Override
    public void send(String subject, String body) {
        try {
            String json = JSON.writeValueAsString(Map.of("text", subject + "\n" + body));
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(15))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                    HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException("webhook at " + url.getHost() + " answered HTTP " + response.statusCode());
            }
        } catch (IOException e) {
            throw new IllegalStateException("webhook at " + url.getHost() + " unreachable: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while calling the webhook");
        }
    }

    @Override
    public String name() {
        return "webhook at " + url.getHost();
    }
}
