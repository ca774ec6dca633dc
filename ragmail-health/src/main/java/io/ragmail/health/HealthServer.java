package io.ragmail.health;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.ragmail.core.MailKey;
import io.ragmail.core.NonRetriableException;
import io.ragmail.health.internal.Dashboard;
import io.ragmail.health.internal.HealthJson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An embeddable HTTP server for a {@link HealthMonitor}, on the JDK's {@code com.sun.net.httpserver}
 * with a small pool of daemon threads and no framework:
 * <ul>
 *   <li>{@code GET /health}: JSON status, 200 when healthy or degraded, 503 when unhealthy;</li>
 *   <li>{@code GET /health/live}, {@code GET /health/ready}: 200 or 503 for Kubernetes and Docker
 *       (never need a token);</li>
 *   <li>{@code GET /metrics}: Prometheus text format;</li>
 *   <li>{@code GET /}: the dashboard; {@code POST /queue}: retry or drop failed mails (only with a token).</li>
 * </ul>
 *
 * <pre>{@code
 * try (HealthServer server = HealthServer.builder().monitor(health).port(0).token(token).build().start()) {
 *     int port = server.getPort();
 *     ...
 * }
 * // or inside the host's own com.sun.net.httpserver.HttpServer, under /ragmail:
 * HealthServer.builder().monitor(health).basePath("/ragmail").build().mountOn(hostServer);
 * }</pre>
 *
 * <p>Security: binds {@code 127.0.0.1} by default. With a {@link Builder#token token}, every endpoint
 * but live/ready needs it, as {@code Authorization: Bearer <token>} or as the password of HTTP Basic
 * (so a browser can open the dashboard); a retry or drop additionally needs the token in the form
 * (or a Bearer header), never only credentials a browser sends by itself, so another site cannot
 * forge one. Without a token there are no actions. The token is compared in constant time and
 * never written anywhere. Every string from a mail is HTML-escaped; the page has no script and a
 * Content-Security-Policy that allows none.
 */
public final class HealthServer implements AutoCloseable {

    public static final String DEFAULT_BIND = "127.0.0.1";
    public static final int DEFAULT_PORT = 8080;
    public static final int DEFAULT_THREADS = 2;
    public static final Duration DEFAULT_DASHBOARD_REFRESH = Duration.ofSeconds(15);
    /** The shortest token accepted. */
    public static final int MIN_TOKEN_LENGTH = 16;

    private static final Logger log = LoggerFactory.getLogger(HealthServer.class);
    private static final int MAX_BODY = 64 * 1024;
    private static final int MAX_MAILS_PER_ACTION = 500;
    private static final String JSON = "application/json; charset=utf-8";
    private static final String TEXT = "text/plain; charset=utf-8";
    private static final String PROMETHEUS = "text/plain; version=0.0.4; charset=utf-8";
    private static final String API_CSP = "default-src 'none'; frame-ancestors 'none'";

    private final HealthMonitor monitor;
    private final String bind;
    private final int port;
    private final byte[] tokenDigest;
    private final String basePath;
    private final int threads;
    private final Duration refresh;
    private final Object lifecycle = new Object();
    private HttpServer server;
    private ThreadPoolExecutor executor;
    private HttpContext mounted;
    private boolean closed;

    private HealthServer(Builder b) {
        this.monitor = b.monitor;
        this.bind = b.bind;
        this.port = b.port;
        this.tokenDigest = b.token == null ? null : digest(b.token);
        this.basePath = b.basePath;
        this.threads = b.threads;
        this.refresh = b.dashboardRefresh;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Listens on the configured address and starts the monitor's probe schedule.
     *
     * @throws NonRetriableException (component {@code "health"}) when the address is in use or cannot be bound
     * @throws IllegalStateException when already started, mounted or closed
     */
    public HealthServer start() {
        synchronized (lifecycle) {
            if (closed || server != null || mounted != null) {
                throw new IllegalStateException("health server already started, mounted or closed");
            }
            InetSocketAddress address;
            try {
                address = new InetSocketAddress(InetAddress.getByName(bind), port);
            } catch (IOException e) {
                throw new NonRetriableException("health", "health server cannot listen on " + bind + ":" + port
                        + ": unknown address (" + e.getMessage() + ")", e);
            }
            HttpServer s;
            try {
                s = HttpServer.create(address, 64);
            } catch (BindException e) {
                throw new NonRetriableException("health", "health server cannot listen on " + bind + ":" + port
                        + ": the address is already in use; stop whatever holds the port or choose another one "
                        + "(port 0 picks a free one)", e);
            } catch (IOException e) {
                throw new NonRetriableException("health", "health server cannot listen on " + bind + ":" + port + ": "
                        + e.getMessage(), e);
            }
            AtomicInteger n = new AtomicInteger();
            executor = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(64), r -> {
                Thread t = new Thread(r, "ragmail-health-http-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            }, new ThreadPoolExecutor.CallerRunsPolicy());
            executor.allowCoreThreadTimeOut(true);
            s.setExecutor(executor);
            s.createContext(contextPath(), handler());
            s.start();
            server = s;
            monitor.start();
            if (tokenDigest == null && !address.getAddress().isLoopbackAddress()) {
                log.warn("health server listens on {} without a token: whoever reaches that address can read the "
                        + "dashboard", bind);
            }
            log.info("health server listening on {}:{}{}", bind, getPort(), basePath.isEmpty() ? "/" : basePath + "/");
            return this;
        }
    }

    /**
     * Serves the endpoints from the host's own server, under {@link Builder#basePath}, and starts the
     * monitor's probe schedule. {@link #close()} removes them again.
     */
    public HttpContext mountOn(HttpServer host) {
        Objects.requireNonNull(host, "host");
        synchronized (lifecycle) {
            if (closed || server != null || mounted != null) {
                throw new IllegalStateException("health server already started, mounted or closed");
            }
            mounted = host.createContext(contextPath(), handler());
            monitor.start();
            return mounted;
        }
    }

    /** The handler for every endpoint, for hosts that register it themselves (at {@link Builder#basePath}). */
    public HttpHandler handler() {
        return this::handle;
    }

    /** The port listened on (the one chosen when configured as 0). */
    public int getPort() {
        synchronized (lifecycle) {
            if (server == null) {
                throw new IllegalStateException("health server not started");
            }
            return server.getAddress().getPort();
        }
    }

    public HealthMonitor monitor() {
        return monitor;
    }

    /** Stops listening (or unmounts). Does not close the monitor, which belongs to the caller. */
    @Override
    public void close() {
        synchronized (lifecycle) {
            closed = true;
            if (server != null) {
                server.stop(0);
                executor.shutdownNow();
            }
            if (mounted != null) {
                mounted.getServer().removeContext(mounted);
                mounted = null;
            }
        }
    }

    private String contextPath() {
        return basePath.isEmpty() ? "/" : basePath;
    }

    // ---------------------------------------------------------------- requests

    private void handle(HttpExchange ex) {
        try {
            route(ex);
        } catch (RuntimeException | IOException e) {
            log.warn("health request {} failed: {}", ex.getRequestURI().getRawPath(), e.toString());
            try {
                send(ex, 500, TEXT, "internal error\n");
            } catch (IOException | RuntimeException ignored) {
                // the response was already under way; nothing more to do
            }
        } finally {
            ex.close();
        }
    }

    private void route(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getRawPath();
        if (!path.startsWith(basePath)) {
            send(ex, 404, TEXT, "not found\n");
            return;
        }
        String rel = path.substring(basePath.length());
        if (rel.isEmpty()) {
            ex.getResponseHeaders().set("Location", basePath + "/");
            send(ex, 308, TEXT, "");
            return;
        }
        String method = ex.getRequestMethod().toUpperCase(Locale.ROOT);
        switch (rel) {
            case "/health/live" -> {
                if (readOnly(ex, method)) {
                    CheckResult r = monitor.live();
                    send(ex, r.ok() ? 200 : 503, JSON, HealthJson.check(r));
                }
            }
            case "/health/ready" -> {
                if (readOnly(ex, method)) {
                    CheckResult r = monitor.ready();
                    send(ex, r.ok() ? 200 : 503, JSON, HealthJson.check(r));
                }
            }
            case "/health" -> {
                if (readOnly(ex, method) && authorized(ex, true)) {
                    HealthSnapshot s = monitor.snapshot();
                    send(ex, s.status().httpStatus(), JSON, HealthJson.health(s));
                }
            }
            case "/metrics" -> {
                if (readOnly(ex, method) && authorized(ex, true)) {
                    send(ex, 200, PROMETHEUS, monitor.scrape());
                }
            }
            case "/" -> {
                if (readOnly(ex, method) && authorized(ex, true)) {
                    boolean actions = tokenDigest != null && monitor.hasLedger();
                    String page = Dashboard.render(monitor.snapshot(), basePath, refresh, actions, tokenDigest != null,
                            notice(ex.getRequestURI()));
                    ex.getResponseHeaders().set("Content-Security-Policy", Dashboard.CSP);
                    send(ex, 200, "text/html; charset=utf-8", page);
                }
            }
            case "/queue" -> queueAction(ex, method);
            default -> send(ex, 404, TEXT, "not found\n");
        }
    }

    private boolean readOnly(HttpExchange ex, String method) throws IOException {
        if (method.equals("GET") || method.equals("HEAD")) {
            return true;
        }
        ex.getResponseHeaders().set("Allow", "GET, HEAD");
        send(ex, 405, TEXT, "method not allowed\n");
        return false;
    }

    /** Checks the token (Bearer, or Basic's password when {@code basicAllowed}); answers 401 when missing or wrong. */
    private boolean authorized(HttpExchange ex, boolean basicAllowed) throws IOException {
        if (tokenDigest == null) {
            return true;
        }
        Optional<String> presented = credential(ex.getRequestHeaders(), basicAllowed);
        if (presented.isPresent() && matches(presented.get())) {
            return true;
        }
        ex.getResponseHeaders().add("WWW-Authenticate", "Bearer realm=\"ragmail\"");
        if (basicAllowed) {
            ex.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"ragmail\", charset=\"UTF-8\"");
        }
        send(ex, 401, TEXT, "a token is required\n");
        return false;
    }

    private static Optional<String> credential(Headers headers, boolean basicAllowed) {
        String auth = headers.getFirst("Authorization");
        if (auth == null) {
            return Optional.empty();
        }
        auth = auth.strip();
        int space = auth.indexOf(' ');
        if (space < 0) {
            return Optional.empty();
        }
        String scheme = auth.substring(0, space).toLowerCase(Locale.ROOT);
        String value = auth.substring(space + 1).strip();
        if (scheme.equals("bearer")) {
            return Optional.of(value);
        }
        if (scheme.equals("basic") && basicAllowed) {
            try {
                String decoded = new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
                int colon = decoded.indexOf(':');
                return colon < 0 ? Optional.empty() : Optional.of(decoded.substring(colon + 1));
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private boolean matches(String presented) {
        return MessageDigest.isEqual(tokenDigest, digest(presented));
    }

    /**
     * {@code POST /queue} with form fields {@code action} ({@code retry} or {@code drop}), {@code mail}
     * (one or more keys as listed on the dashboard) and {@code token} (or a Bearer header). Browsers
     * get a 303 back to the dashboard; Bearer clients get JSON.
     */
    private void queueAction(HttpExchange ex, String method) throws IOException {
        if (!method.equals("POST")) {
            ex.getResponseHeaders().set("Allow", "POST");
            send(ex, 405, TEXT, "method not allowed\n");
            return;
        }
        if (tokenDigest == null) {
            send(ex, 403, TEXT, "actions are disabled: the health server has no token\n");
            return;
        }
        if (!monitor.hasLedger()) {
            send(ex, 404, TEXT, "no ledger to act on\n");
            return;
        }
        Headers in = ex.getRequestHeaders();
        if (crossSite(in)) {
            send(ex, 403, TEXT, "cross-site request refused\n");
            return;
        }
        String type = Objects.toString(in.getFirst("Content-Type"), "").toLowerCase(Locale.ROOT);
        if (!type.startsWith("application/x-www-form-urlencoded")) {
            send(ex, 415, TEXT, "expected application/x-www-form-urlencoded\n");
            return;
        }
        byte[] body = readBody(ex.getRequestBody());
        if (body == null) {
            send(ex, 413, TEXT, "request too large\n");
            return;
        }
        Map<String, List<String>> form = parseForm(new String(body, StandardCharsets.US_ASCII));
        Optional<String> bearer = credential(in, false);
        String formToken = first(form, "token");
        boolean ok = (bearer.isPresent() && matches(bearer.get())) || (formToken != null && matches(formToken));
        if (!ok) {
            send(ex, 403, TEXT, "a valid token is required for this action\n");
            return;
        }
        String action = Objects.toString(first(form, "action"), "");
        if (!action.equals("retry") && !action.equals("drop")) {
            send(ex, 400, TEXT, "action must be retry or drop\n");
            return;
        }
        Set<MailKey> keys = new LinkedHashSet<>();
        for (String value : form.getOrDefault("mail", List.of())) {
            Dashboard.decodeKey(value).ifPresent(keys::add);
            if (keys.size() >= MAX_MAILS_PER_ACTION) {
                break;
            }
        }
        int done = 0;
        for (MailKey key : keys) {
            if (action.equals("retry") ? monitor.retry(key) : monitor.drop(key)) {
                done++;
            }
        }
        if (bearer.isPresent()) {
            send(ex, 200, JSON, "{\"action\":\"" + action + "\",\"requested\":" + keys.size() + ",\"done\":" + done + "}");
        } else {
            ex.getResponseHeaders().set("Location", basePath + "/?done=" + action + "&n=" + done + "&of=" + keys.size());
            send(ex, 303, TEXT, "");
        }
    }

    /** Whether a browser says this request comes from another site (Sec-Fetch-Site, or an Origin that is not ours). */
    private static boolean crossSite(Headers in) {
        String site = in.getFirst("Sec-Fetch-Site");
        if (site != null && site.equalsIgnoreCase("cross-site")) {
            return true;
        }
        String origin = in.getFirst("Origin");
        if (origin == null) {
            return false;
        }
        String host = in.getFirst("Host");
        try {
            URI o = URI.create(origin);
            String authority = o.getRawAuthority();
            return authority == null || host == null || !authority.equalsIgnoreCase(host);
        } catch (IllegalArgumentException e) {
            return true;
        }
    }

    private static String notice(URI uri) {
        Map<String, List<String>> q = parseForm(Objects.toString(uri.getRawQuery(), ""));
        String done = first(q, "done");
        if (done == null || !(done.equals("retry") || done.equals("drop"))) {
            return "";
        }
        int n = parseCount(first(q, "n"));
        int of = parseCount(first(q, "of"));
        if (n < 0 || of < 0) {
            return "";
        }
        String verb = done.equals("retry") ? "requeued for another attempt" : "dropped (they will not be answered)";
        String text = n + " of " + of + " selected mails " + verb + ".";
        return n < of ? text + " The others were no longer in the failed-mail queue." : text;
    }

    private static int parseCount(String s) {
        if (s == null || s.length() > 6 || !s.chars().allMatch(Character::isDigit) || s.isEmpty()) {
            return -1;
        }
        return Integer.parseInt(s);
    }

    private static byte[] readBody(InputStream in) throws IOException {
        byte[] body = in.readNBytes(MAX_BODY + 1);
        return body.length > MAX_BODY ? null : body;
    }

    private static Map<String, List<String>> parseForm(String s) {
        Map<String, List<String>> form = new java.util.HashMap<>();
        if (s.isEmpty()) {
            return form;
        }
        for (String pair : s.split("&")) {
            int eq = pair.indexOf('=');
            String k = eq < 0 ? pair : pair.substring(0, eq);
            String v = eq < 0 ? "" : pair.substring(eq + 1);
            try {
                form.computeIfAbsent(URLDecoder.decode(k, StandardCharsets.UTF_8), x -> new ArrayList<>())
                        .add(URLDecoder.decode(v, StandardCharsets.UTF_8));
            } catch (IllegalArgumentException e) {
                // a malformed pair is ignored
            }
        }
        return form;
    }

    private static String first(Map<String, List<String>> form, String key) {
        List<String> values = form.get(key);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static void send(HttpExchange ex, int status, String contentType, String body) throws IOException {
        Headers h = ex.getResponseHeaders();
        h.set("Content-Type", contentType);
        h.set("Cache-Control", "no-store");
        h.set("X-Content-Type-Options", "nosniff");
        h.set("Referrer-Policy", "no-referrer");
        h.set("X-Frame-Options", "DENY");
        if (!h.containsKey("Content-Security-Policy")) {
            h.set("Content-Security-Policy", API_CSP);
        }
        // read what the client sent and we did not need, so that the connection can be reused at once
        try (InputStream unread = ex.getRequestBody()) {
            unread.readNBytes(MAX_BODY);
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        boolean head = ex.getRequestMethod().equalsIgnoreCase("HEAD");
        if (head || bytes.length == 0) {
            ex.sendResponseHeaders(status, -1);
            return;
        }
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Settings of a {@link HealthServer}; only the monitor is required. */
    public static final class Builder {
        private HealthMonitor monitor;
        private String bind = DEFAULT_BIND;
        private int port = DEFAULT_PORT;
        private String token;
        private String basePath = "";
        private int threads = DEFAULT_THREADS;
        private Duration dashboardRefresh = DEFAULT_DASHBOARD_REFRESH;

        private Builder() {
        }

        /** The monitor to serve (required). */
        public Builder monitor(HealthMonitor monitor) {
            this.monitor = monitor;
            return this;
        }

        /** The address to listen on; default {@code 127.0.0.1} (loopback only). */
        public Builder bind(String bind) {
            this.bind = bind;
            return this;
        }

        /** The port; default 8080; 0 picks a free one (see {@link HealthServer#getPort()}). */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /**
         * The token every endpoint but live/ready needs, and that enables retry/drop; at least 16
         * characters; default none (read-only, no actions).
         */
        public Builder token(String token) {
            this.token = token;
            return this;
        }

        /** A path prefix such as {@code /ragmail} (no trailing slash); default none. */
        public Builder basePath(String basePath) {
            this.basePath = basePath;
            return this;
        }

        /** Request threads (daemon); default 2, 1 to 16. */
        public Builder threads(int threads) {
            this.threads = threads;
            return this;
        }

        /** How often the dashboard reloads itself; default 15 s, 5 s to 1 h. */
        public Builder dashboardRefresh(Duration dashboardRefresh) {
            this.dashboardRefresh = dashboardRefresh;
            return this;
        }

        public HealthServer build() {
            if (monitor == null) {
                throw new IllegalArgumentException("monitor must be set: HealthServer.builder().monitor(healthMonitor)");
            }
            if (bind == null || bind.isBlank()) {
                throw new IllegalArgumentException("bind must be an address such as 127.0.0.1, was blank");
            }
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be between 0 and 65535, was " + port);
            }
            if (token != null && (token.isBlank() || token.length() < MIN_TOKEN_LENGTH)) {
                throw new IllegalArgumentException("token must be at least " + MIN_TOKEN_LENGTH + " characters, was "
                        + (token.isBlank() ? "blank" : token.length() + " characters"));
            }
            if (token != null && !token.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
                throw new IllegalArgumentException("token must be printable ASCII without spaces");
            }
            if (basePath == null || (!basePath.isEmpty() && (!basePath.startsWith("/") || basePath.endsWith("/")))) {
                throw new IllegalArgumentException("basePath must be empty or start with / and not end with /, was \""
                        + basePath + "\"");
            }
            if (threads < 1 || threads > 16) {
                throw new IllegalArgumentException("threads must be between 1 and 16, was " + threads);
            }
            if (dashboardRefresh == null || dashboardRefresh.compareTo(Duration.ofSeconds(5)) < 0
                    || dashboardRefresh.compareTo(Duration.ofHours(1)) > 0) {
                throw new IllegalArgumentException("dashboardRefresh must be between 5s and 1h, was " + dashboardRefresh);
            }
            return new HealthServer(this);
        }
    }
}
