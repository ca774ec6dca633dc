package io.ragmail.health;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.ragmail.core.Component;
import io.ragmail.core.NonRetriableException;
import io.ragmail.core.event.ComponentDownEvent;
import io.ragmail.core.event.LoopHeartbeatEvent;
import io.ragmail.core.event.MailDeadEvent;
import io.ragmail.core.event.ReplySentEvent;
import io.ragmail.core.ledger.MailState;
import io.ragmail.core.ledger.SqliteLedger;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HealthServerTest {

    static final Instant T0 = Instant.parse("2025-10-09T09:00:15Z");
    static final String TOKEN = "s3cret-token-0123456789";

    final MutableClock clock = new MutableClock(T0);
    final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    final ObjectMapper json = new ObjectMapper();
    final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    HealthMonitor monitor(HealthMonitor.Builder b) {
        HealthMonitor m = b.clock(clock).jvmMetrics(false).memoryProbe(false).build();
        toClose.add(m);
        return m;
    }

    HealthServer serve(HealthServer.Builder b) {
        HealthServer s = b.port(0).build().start();
        toClose.add(s);
        return s;
    }

    HttpResponse<String> get(HealthServer s, String path, String... headers) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.getPort() + path)).GET();
        if (headers.length > 0) {
            r.headers(headers);
        }
        return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(HealthServer s, String path, String form, String... headers) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.getPort() + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        if (headers.length > 0) {
            r.headers(headers);
        }
        return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String bearer() {
        return "Bearer " + TOKEN;
    }

    static String basic(String password) {
        return "Basic " + Base64.getEncoder().encodeToString(("ops:" + password).getBytes(StandardCharsets.UTF_8));
    }

    static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    // ---------------------------------------------------------------- /health

    @Test
    void health_json_has_exactly_the_documented_shape_and_values() throws Exception {
        HealthMonitor m = monitor(HealthMonitor.builder());
        HealthServer s = serve(HealthServer.builder().monitor(m));
        m.onReceived(Mails.received("a", "ada@acme.example", "Acetone", Instant.parse("2025-10-11T14:32:15Z")));
        m.onSent(new ReplySentEvent(Mails.key("a"), "<r@us>", Duration.ofSeconds(4), Instant.parse("2025-10-11T14:32:19Z")));
        m.onDead(new MailDeadEvent(Mails.key("b"), "mistral", "mistral: 400", Instant.parse("2025-10-11T14:33:00Z")));
        m.onComponentDown(new ComponentDownEvent(Component.MISTRAL, "mistral: 503 from https://key:sk-123@api.example", false,
                Instant.parse("2025-10-11T14:30:00Z")));
        clock.advance(Duration.ofDays(2).plusHours(5).plusMinutes(32));

        HttpResponse<String> r = get(s, "/health");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json; charset=utf-8");
        JsonNode body = json.readTree(r.body());
        assertThat(fieldNames(body)).containsExactly("status", "uptime", "emails_processed", "last_email", "error_count",
                "components");
        assertThat(body.get("status").asText()).isEqualTo("degraded");
        assertThat(body.get("uptime").asText()).isEqualTo("2d 5h 32m");
        assertThat(body.get("emails_processed").isIntegralNumber()).isTrue();
        assertThat(body.get("emails_processed").asLong()).isEqualTo(2);
        assertThat(body.get("last_email").asText()).isEqualTo("2025-10-11 14:32:15");
        assertThat(body.get("error_count").asLong()).isEqualTo(1);
        assertThat(fieldNames(body.get("components")))
                .containsExactly("imap", "smtp", "odoo", "mistral", "knowledge", "ledger", "disk", "memory");
        for (JsonNode c : body.get("components")) {
            assertThat(fieldNames(c)).containsExactly("status", "since", "last_error");
        }
        JsonNode mistral = body.get("components").get("mistral");
        assertThat(mistral.get("status").asText()).isEqualTo("down");
        assertThat(mistral.get("since").asText()).isEqualTo("2025-10-11 14:30:00");
        assertThat(mistral.get("last_error").asText()).contains("503").doesNotContain("sk-123");
        JsonNode imap = body.get("components").get("imap");
        assertThat(imap.get("status").asText()).isEqualTo("up");
        assertThat(imap.get("last_error").isNull()).isTrue();
        assertThat(body.get("components").get("odoo").get("status").asText()).isEqualTo("unknown");
        assertThat(body.get("components").get("odoo").get("since").isNull()).isTrue();
    }

    @ParameterizedTest(name = "{0} {1} -> HTTP {2} {3}")
    @CsvSource({
            "none, up, 200, healthy",
            "imap, down, 503, unhealthy",
            "ledger, down, 503, unhealthy",
            "disk, down, 503, unhealthy",
            "disk, degraded, 200, degraded",
            "memory, degraded, 200, degraded",
            "smtp, down, 200, degraded",
            "mistral, down, 200, degraded",
            "odoo, down, 200, degraded",
            "knowledge, down, 200, degraded"})
    void health_status_code_follows_the_component_states(String component, String state, int code, String status)
            throws Exception {
        HealthMonitor.Builder b = HealthMonitor.builder();
        for (String name : HealthMonitor.DEFAULT_COMPONENTS) {
            ProbeResult result = !name.equals(component) ? ProbeResult.up()
                    : state.equals("down") ? ProbeResult.down(name + " failed") : ProbeResult.degraded(name + " low");
            b.probe(ComponentProbe.of(name, () -> result));
        }
        HealthMonitor m = monitor(b);
        HealthServer s = serve(HealthServer.builder().monitor(m));
        m.refresh();

        HttpResponse<String> r = get(s, "/health");

        assertThat(r.statusCode()).isEqualTo(code);
        JsonNode body = json.readTree(r.body());
        assertThat(body.get("status").asText()).isEqualTo(status);
        if (!component.equals("none")) {
            assertThat(body.get("components").get(component).get("status").asText()).isEqualTo(state);
            assertThat(body.get("components").get(component).get("last_error").asText()).contains(component);
        }
        assertThat(get(s, "/health/ready").statusCode()).isEqualTo(code);
        assertThat(get(s, "/health/live").statusCode()).isEqualTo(200);
    }

    @Test
    void liveness_fails_with_503_when_the_loop_heartbeat_is_stale() throws Exception {
        HealthMonitor m = monitor(HealthMonitor.builder().heartbeatTimeout(Duration.ofMinutes(5)));
        HealthServer s = serve(HealthServer.builder().monitor(m));
        m.onHeartbeat(new LoopHeartbeatEvent(clock.instant()));
        assertThat(get(s, "/health/live").statusCode()).isEqualTo(200);
        assertThat(json.readTree(get(s, "/health/live").body()).get("status").asText()).isEqualTo("up");

        clock.advance(Duration.ofMinutes(7));
        HttpResponse<String> live = get(s, "/health/live");
        assertThat(live.statusCode()).isEqualTo(503);
        assertThat(json.readTree(live.body()).get("reason").asText()).isEqualTo("pipeline loop made no progress for 7m");
        assertThat(get(s, "/health").statusCode()).isEqualTo(503);
    }

    @Test
    void ready_waits_for_the_first_ledger_read(@TempDir Path dir) throws Exception {
        try (SqliteLedger ledger = SqliteLedger.open(dir.resolve("ledger.db"))) {
            HealthMonitor m = monitor(HealthMonitor.builder().ledger(ledger).probeInterval(Duration.ofHours(1)));
            HealthServer s = serve(HealthServer.builder().monitor(m));
            m.refresh();
            assertThat(get(s, "/health/ready").statusCode()).isEqualTo(200);
        }
    }

    // ---------------------------------------------------------------- token

    @Test
    void with_a_token_everything_but_live_and_ready_needs_it() throws Exception {
        HealthMonitor m = monitor(HealthMonitor.builder());
        HealthServer s = serve(HealthServer.builder().monitor(m).token(TOKEN));

        for (String path : List.of("/health", "/metrics", "/")) {
            HttpResponse<String> none = get(s, path);
            assertThat(none.statusCode()).as(path + " without token").isEqualTo(401);
            assertThat(none.headers().allValues("WWW-Authenticate")).anyMatch(v -> v.startsWith("Bearer"))
                    .anyMatch(v -> v.startsWith("Basic"));
            assertThat(get(s, path, "Authorization", "Bearer wrong-token-0123456789").statusCode()).isEqualTo(401);
            assertThat(get(s, path, "Authorization", basic("wrong")).statusCode()).isEqualTo(401);
            assertThat(get(s, path, "Authorization", bearer()).statusCode()).as(path + " with Bearer").isEqualTo(200);
            assertThat(get(s, path, "Authorization", basic(TOKEN)).statusCode()).as(path + " with Basic").isEqualTo(200);
        }
        assertThat(get(s, "/health/live").statusCode()).isEqualTo(200);
        assertThat(get(s, "/health/ready").statusCode()).isEqualTo(200);
        String page = get(s, "/", "Authorization", basic(TOKEN)).body();
        assertThat(page).doesNotContain(TOKEN);
    }

    @Test
    void the_builder_names_the_setting_that_is_wrong() {
        HealthMonitor m = monitor(HealthMonitor.builder());
        assertThatThrownBy(() -> HealthServer.builder().monitor(m).token("short").build())
                .hasMessage("token must be at least 16 characters, was 5 characters");
        assertThatThrownBy(() -> HealthServer.builder().monitor(m).port(70000).build())
                .hasMessage("port must be between 0 and 65535, was 70000");
        assertThatThrownBy(() -> HealthServer.builder().monitor(m).basePath("ragmail/").build())
                .hasMessageStartingWith("basePath must");
        assertThatThrownBy(() -> HealthServer.builder().build()).hasMessageStartingWith("monitor must be set");
        assertThatThrownBy(() -> HealthMonitor.builder().probeInterval(Duration.ZERO).build())
                .hasMessage("probeInterval must be at least 1000ms, was 0ms");
    }

    // ---------------------------------------------------------------- actions

    private SqliteLedger ledgerWithTwoDeadMails(Path dir) {
        SqliteLedger ledger = SqliteLedger.open(dir.resolve("ledger.db"));
        toClose.add(ledger);
        ledger.admit(Mails.mail("a", "ada@acme.example", "Acetone SDS"), T0);
        ledger.markDead(Mails.key("a"), "mistral: 400 prompt rejected", T0);
        ledger.admit(Mails.mail("b", "bob@shop.example", "Order"), T0);
        ledger.markDead(Mails.key("b"), "smtp: 550", T0);
        return ledger;
    }

    /** How the dashboard's form names a mail: mailbox and Message-ID, each base64url, joined by a dot. */
    private static String formKey(io.ragmail.core.MailKey key) {
        java.util.Base64.Encoder b = java.util.Base64.getUrlEncoder().withoutPadding();
        return b.encodeToString(key.mailbox().getBytes(StandardCharsets.UTF_8)) + "."
                + b.encodeToString(key.messageId().getBytes(StandardCharsets.UTF_8));
    }

    private static String form(String action, String token, io.ragmail.core.MailKey... keys) {
        StringBuilder f = new StringBuilder("action=").append(action);
        if (token != null) {
            f.append("&token=").append(URLEncoder.encode(token, StandardCharsets.UTF_8));
        }
        for (io.ragmail.core.MailKey k : keys) {
            f.append("&mail=").append(URLEncoder.encode(formKey(k), StandardCharsets.UTF_8));
        }
        return f.toString();
    }

    @Test
    void an_operator_retries_and_drops_failed_mail_from_the_dashboard_with_the_token(@TempDir Path dir) throws Exception {
        SqliteLedger ledger = ledgerWithTwoDeadMails(dir);
        HealthMonitor m = monitor(HealthMonitor.builder().ledger(ledger));
        HealthServer s = serve(HealthServer.builder().monitor(m).token(TOKEN));
        m.refresh();

        Document page = Jsoup.parse(get(s, "/", "Authorization", basic(TOKEN)).body());
        assertThat(page.select("form[method=post] input[type=checkbox][name=mail]")).hasSize(2);
        assertThat(page.select("form input[name=token]").attr("type")).isEqualTo("password");
        assertThat(page.select("form input[name=token]").attr("value")).isEmpty();

        HttpResponse<String> retried = post(s, "/queue", form("retry", TOKEN, Mails.key("a")),
                "Authorization", basic(TOKEN), "Origin", "http://127.0.0.1:" + s.getPort());
        assertThat(retried.statusCode()).isEqualTo(303);
        assertThat(retried.headers().firstValue("Location")).hasValue("/?done=retry&n=1&of=1");
        assertThat(ledger.find(Mails.key("a")).orElseThrow().state()).isEqualTo(MailState.RETRY);

        HttpResponse<String> dropped = post(s, "/queue", form("drop", null, Mails.key("b"), Mails.key("a")),
                "Authorization", bearer());
        assertThat(dropped.statusCode()).isEqualTo(200);
        assertThat(json.readTree(dropped.body()).get("done").asInt()).isEqualTo(1);
        assertThat(ledger.find(Mails.key("b")).orElseThrow().state()).isEqualTo(MailState.SKIPPED);
        assertThat(ledger.find(Mails.key("a")).orElseThrow().state()).as("not dead any more: untouched")
                .isEqualTo(MailState.RETRY);

        String after = get(s, "/?done=drop&n=1&of=2", "Authorization", bearer()).body();
        assertThat(Jsoup.parse(after).select("#notice").text())
                .isEqualTo("1 of 2 selected mails dropped (they will not be answered). "
                        + "The others were no longer in the failed-mail queue.");
        assertThat(Jsoup.parse(after).select("#queue").text()).contains("Empty");
    }

    @Test
    void an_action_without_the_token_in_the_form_is_refused_even_with_browser_credentials(@TempDir Path dir)
            throws Exception {
        SqliteLedger ledger = ledgerWithTwoDeadMails(dir);
        HealthMonitor m = monitor(HealthMonitor.builder().ledger(ledger));
        HealthServer s = serve(HealthServer.builder().monitor(m).token(TOKEN));

        // a forged cross-site form: the browser would add its cached Basic credentials, never the token field
        assertThat(post(s, "/queue", form("drop", null, Mails.key("a")), "Authorization", basic(TOKEN)).statusCode())
                .isEqualTo(403);
        assertThat(post(s, "/queue", form("drop", "wrong-token-0123456789", Mails.key("a"))).statusCode()).isEqualTo(403);
        assertThat(post(s, "/queue", form("drop", TOKEN, Mails.key("a")), "Origin", "https://evil.example").statusCode())
                .isEqualTo(403);
        assertThat(post(s, "/queue", form("drop", TOKEN, Mails.key("a")), "Sec-Fetch-Site", "cross-site").statusCode())
                .isEqualTo(403);
        assertThat(post(s, "/queue", form("explode", TOKEN, Mails.key("a"))).statusCode()).isEqualTo(400);
        assertThat(get(s, "/queue", "Authorization", bearer()).statusCode()).isEqualTo(405);

        assertThat(ledger.find(Mails.key("a")).orElseThrow().state()).isEqualTo(MailState.DEAD);
        assertThat(ledger.find(Mails.key("b")).orElseThrow().state()).isEqualTo(MailState.DEAD);
    }

    @Test
    void without_a_token_the_queue_is_shown_but_there_are_no_actions(@TempDir Path dir) throws Exception {
        SqliteLedger ledger = ledgerWithTwoDeadMails(dir);
        HealthMonitor m = monitor(HealthMonitor.builder().ledger(ledger));
        HealthServer s = serve(HealthServer.builder().monitor(m));
        m.refresh();

        Document page = Jsoup.parse(get(s, "/").body());
        assertThat(page.select("#queue tbody tr")).hasSize(2);
        assertThat(page.select("form")).isEmpty();
        assertThat(post(s, "/queue", form("retry", "anything-at-all-0123", Mails.key("a"))).statusCode()).isEqualTo(403);
        assertThat(ledger.find(Mails.key("a")).orElseThrow().state()).isEqualTo(MailState.DEAD);
    }

    // ---------------------------------------------------------------- page safety

    @Test
    void the_page_escapes_mail_subjects_and_forbids_scripts() throws Exception {
        HealthMonitor m = monitor(HealthMonitor.builder());
        HealthServer s = serve(HealthServer.builder().monitor(m));
        m.onReceived(Mails.received("x1", "eve@evil.example", Mails.SCRIPT_SUBJECT, T0));
        m.onReceived(Mails.received("x2", "eve@evil.example", Mails.IMG_SUBJECT, T0));

        HttpResponse<String> r = get(s, "/");

        assertThat(r.headers().firstValue("Content-Security-Policy").orElseThrow())
                .startsWith("default-src 'none'").doesNotContain("script-src").doesNotContain("unsafe");
        assertThat(r.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        Document page = Jsoup.parse(r.body());
        assertThat(page.select("script")).isEmpty();
        assertThat(page.select("img")).isEmpty();
        assertThat(page.select("[onerror]")).isEmpty();
        assertThat(page.select("#recent td.subj").eachText()).containsExactly(Mails.IMG_SUBJECT, Mails.SCRIPT_SUBJECT);
        assertThat(page.select("meta[http-equiv=refresh]").attr("content")).isEqualTo("15");
    }

    @Test
    void head_requests_get_the_status_without_a_body() throws Exception {
        HealthMonitor m = monitor(HealthMonitor.builder());
        HealthServer s = serve(HealthServer.builder().monitor(m));
        m.onComponentDown(new ComponentDownEvent("imap", "imap: refused", false, T0));
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.getPort() + "/health"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.body()).isEmpty();
    }

    @Test
    void unknown_paths_are_404_and_writes_to_read_endpoints_are_405() throws Exception {
        HealthMonitor m = monitor(HealthMonitor.builder());
        HealthServer s = serve(HealthServer.builder().monitor(m));
        assertThat(get(s, "/nope").statusCode()).isEqualTo(404);
        assertThat(get(s, "/health/nope").statusCode()).isEqualTo(404);
        assertThat(post(s, "/health", "").statusCode()).isEqualTo(405);
    }

    // ---------------------------------------------------------------- ports and mounting

    @Test
    void a_busy_port_fails_with_a_clear_error() throws Exception {
        HealthMonitor m = monitor(HealthMonitor.builder());
        try (ServerSocket busy = new ServerSocket()) {
            busy.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            int port = busy.getLocalPort();
            HealthServer server = HealthServer.builder().monitor(m).port(port).build();
            assertThatThrownBy(server::start)
                    .isInstanceOf(NonRetriableException.class)
                    .hasMessage("health server cannot listen on 127.0.0.1:" + port + ": the address is already in use; "
                            + "stop whatever holds the port or choose another one (port 0 picks a free one)");
        }
    }

    @Test
    void port_zero_picks_a_free_port_each_time() throws Exception {
        HealthMonitor m = monitor(HealthMonitor.builder());
        HealthServer a = serve(HealthServer.builder().monitor(m));
        HealthServer b = serve(HealthServer.builder().monitor(m));
        assertThat(a.getPort()).isPositive().isNotEqualTo(b.getPort());
        assertThat(get(a, "/health/live").statusCode()).isEqualTo(200);
        assertThat(get(b, "/health/live").statusCode()).isEqualTo(200);
        a.close();
        assertThatThrownBy(() -> get(a, "/health/live")).isInstanceOf(java.io.IOException.class);
    }

    @Test
    void the_endpoints_mount_into_the_hosts_own_server_under_a_base_path() throws Exception {
        HealthMonitor m = monitor(HealthMonitor.builder());
        HttpServer host = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        host.createContext("/app", ex -> {
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        host.start();
        try {
            HealthServer mounted = HealthServer.builder().monitor(m).basePath("/ragmail").build();
            mounted.mountOn(host);
            String base = "http://127.0.0.1:" + host.getAddress().getPort();
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(base + "/ragmail/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(json.readTree(health.body()).get("status").asText()).isEqualTo("healthy");
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(base + "/ragmail/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(Jsoup.parse(page.body()).select("#status").text()).isEqualTo("healthy");
            assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/app")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(204);

            mounted.close();
            assertThat(http.send(HttpRequest.newBuilder(URI.create(base + "/ragmail/health")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
        } finally {
            host.stop(0);
        }
    }
}
