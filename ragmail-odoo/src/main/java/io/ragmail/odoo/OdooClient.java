package io.ragmail.odoo;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.core.IntervalFunction;
import io.ragmail.core.AuthenticationException;
import io.ragmail.core.RagmailException;
import io.ragmail.core.Sleeper;
import io.ragmail.odoo.internal.OdooFaultException;
import io.ragmail.odoo.internal.SafeXmlRpcTransport;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.xmlrpc.XmlRpcException;
import org.apache.xmlrpc.client.XmlRpcClient;
import org.apache.xmlrpc.client.XmlRpcClientConfigImpl;
import org.apache.xmlrpc.client.XmlRpcHttpTransportException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client for Odoo's external XML-RPC API ({@code /xmlrpc/2/common} and {@code /xmlrpc/2/object}),
 * built on Apache XML-RPC 3.1.3 with a hardened response path: it never deserialises Java objects
 * from a server (CVE-2019-17570) and resolves no XML entities.
 *
 * <p>Authenticates once and caches the uid (authenticate costs ~0.7 s on real Odoo); on
 * {@code Access Denied} (fault 3) it re-authenticates once and repeats the call. Network failures
 * (refused, timeouts, HTTP 5xx) are retried with exponential backoff and jitter (resilience4j
 * {@code IntervalFunction}, waiting through an injected {@link Sleeper}) and counted by a resilience4j circuit
 * breaker; faults never are. Faults become typed exceptions ({@link OdooAccessException},
 * {@link OdooConfigurationException}, {@link AuthenticationException}, …). Thread-safe.
 *
 * <pre>{@code
 * OdooClient odoo = OdooClient.builder()
 *     .url("https://erp.example.com").database("prod").username("ragmail").password(apiKey)
 *     .build();
 * List<OdooRecord> partners = odoo.searchRead("res.partner",
 *     OdooDomain.where("email", "=ilike", "ada@example.com"), List.of("name"), "id asc", 10, 0);
 * }</pre>
 */
public final class OdooClient {

    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(60);
    public static final int DEFAULT_MAX_ATTEMPTS = 3;
    public static final Duration DEFAULT_RETRY_BACKOFF = Duration.ofMillis(500);
    public static final Duration DEFAULT_CIRCUIT_OPEN_DURATION = Duration.ofSeconds(30);
    public static final int DEFAULT_CIRCUIT_MINIMUM_CALLS = 5;

    private static final Logger LOG = LoggerFactory.getLogger(OdooClient.class);

    private final String baseUrl;
    private final String database;
    private final String username;
    private final String secret;
    private final String lang;
    private final String tz;
    private final XmlRpcClient rpc;
    private final XmlRpcClientConfigImpl commonConfig;
    private final XmlRpcClientConfigImpl objectConfig;
    private final int maxAttempts;
    private final IntervalFunction backoff;
    private final Sleeper sleeper;
    private final CircuitBreaker breaker;
    private final AtomicLong calls = new AtomicLong();
    private final Object authLock = new Object();
    private volatile Integer uid;

    private OdooClient(Builder b) {
        this.baseUrl = b.url.endsWith("/") ? b.url.substring(0, b.url.length() - 1) : b.url;
        this.database = b.database;
        this.username = b.username;
        this.secret = b.secret;
        this.lang = b.lang;
        this.tz = b.tz;
        this.rpc = new XmlRpcClient();
        SafeXmlRpcTransport.install(rpc, (int) b.connectTimeout.toMillis(), (int) b.readTimeout.toMillis());
        this.commonConfig = config(baseUrl + "/xmlrpc/2/common", b);
        this.objectConfig = config(baseUrl + "/xmlrpc/2/object", b);
        this.maxAttempts = b.maxAttempts;
        this.backoff = IntervalFunction.ofExponentialRandomBackoff(b.retryBackoff, 2.0, 0.2);
        this.sleeper = b.sleeper;
        this.breaker = CircuitBreaker.of("odoo", CircuitBreakerConfig.custom()
                .clock(b.clock)
                .minimumNumberOfCalls(b.circuitMinimumCalls)
                .slidingWindowSize(Math.max(10, b.circuitMinimumCalls))
                .failureRateThreshold(50)
                .waitDurationInOpenState(b.circuitOpenDuration)
                .recordException(e -> e instanceof NetworkFailure)
                .build());
    }

    private static XmlRpcClientConfigImpl config(String url, Builder b) {
        XmlRpcClientConfigImpl c = new XmlRpcClientConfigImpl();
        try {
            c.setServerURL(new URL(url));
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("url is not a valid URL: " + e.getMessage());
        }
        c.setEnabledForExtensions(false);
        c.setEnabledForExceptions(false);
        c.setConnectionTimeout((int) b.connectTimeout.toMillis());
        c.setReplyTimeout((int) b.readTimeout.toMillis());
        c.setEncoding("UTF-8");
        return c;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The server version string (for example {@code "16.0"}); needs no credentials. */
    public String version() {
        Object result = call(commonConfig, "version", new Object[0], null);
        if (result instanceof Map<?, ?> m && m.get("server_version") instanceof String v) {
            return v;
        }
        throw new OdooServerException("Odoo's version() answer has no server_version", -1, "");
    }

    /**
     * Logs in and caches the uid; later calls reuse it.
     *
     * @throws AuthenticationException when Odoo rejects the login or password/API key
     */
    public int authenticate() {
        synchronized (authLock) {
            Object result = call(commonConfig, "authenticate", new Object[] {database, username, secret, Map.of()}, null);
            if (result instanceof Integer id && id > 0) {
                uid = id;
                LOG.debug("authenticated to Odoo database {} as {} (uid {})", database, username, id);
                return id;
            }
            uid = null;
            throw new AuthenticationException("odoo", "Odoo rejected the login of user '" + username
                    + "' on database '" + database + "' (wrong password or API key)");
        }
    }

    /** The cached uid, authenticating first when there is none. */
    public int uid() {
        Integer u = uid;
        return u != null ? u : authenticate();
    }

    /** How many HTTP requests this client has sent (including retries and authentication). */
    public long callsMade() {
        return calls.get();
    }

    public List<OdooRecord> searchRead(String model, OdooDomain domain, List<String> fields, String order, int limit, int offset) {
        return searchRead(model, domain, fields, order, limit, offset, Map.of());
    }

    /**
     * {@code search_read} with paging. {@code limit} 0 means no limit. Extra context entries (such as
     * {@code active_test=false}) are merged into the client's lang/tz context.
     */
    public List<OdooRecord> searchRead(String model, OdooDomain domain, List<String> fields, String order, int limit, int offset,
            Map<String, Object> context) {
        Map<String, Object> kw = new LinkedHashMap<>();
        kw.put("fields", fields.toArray());
        if (order != null && !order.isBlank()) {
            kw.put("order", order);
        }
        if (limit > 0) {
            kw.put("limit", limit);
        }
        if (offset > 0) {
            kw.put("offset", offset);
        }
        return records(model, executeKw(model, "search_read", new Object[] {domain.toWire()}, kw, context));
    }

    /** {@code search}: ids of matching records in the given order. */
    public List<Integer> search(String model, OdooDomain domain, String order, Map<String, Object> context) {
        Map<String, Object> kw = new LinkedHashMap<>();
        if (order != null && !order.isBlank()) {
            kw.put("order", order);
        }
        Object result = executeKw(model, "search", new Object[] {domain.toWire()}, kw, context);
        List<Integer> ids = new ArrayList<>();
        if (result instanceof Object[] arr) {
            for (Object o : arr) {
                if (o instanceof Integer i) {
                    ids.add(i);
                }
            }
        }
        return ids;
    }

    /** {@code read} by ids; ids that no longer exist are simply absent from the result (as in Odoo). */
    public List<OdooRecord> read(String model, Collection<Integer> ids, List<String> fields) {
        if (ids.isEmpty()) {
            return List.of();
        }
        Map<String, Object> kw = new LinkedHashMap<>();
        kw.put("fields", fields.toArray());
        return records(model, executeKw(model, "read", new Object[] {ids.toArray()}, kw, Map.of()));
    }

    public int searchCount(String model, OdooDomain domain) {
        Object result = executeKw(model, "search_count", new Object[] {domain.toWire()}, Map.of(), Map.of());
        if (result instanceof Integer i) {
            return i;
        }
        throw new OdooServerException("search_count on " + model + " did not return an int", -1, "");
    }

    /** {@code fields_get} with attributes string, type and relation, keyed by field name. */
    public Map<String, OdooFieldInfo> fieldsGet(String model) {
        Map<String, Object> kw = Map.of("attributes", new Object[] {"string", "type", "relation"});
        Object result = executeKw(model, "fields_get", new Object[0], kw, Map.of());
        Map<String, OdooFieldInfo> fields = new LinkedHashMap<>();
        if (result instanceof Map<?, ?> m) {
            m.forEach((k, v) -> {
                if (k instanceof String name && v instanceof Map<?, ?> attrs) {
                    Object rel = attrs.get("relation");
                    fields.put(name, new OdooFieldInfo(name, str(attrs.get("type")), str(attrs.get("string")),
                            rel instanceof String s && !s.isEmpty() ? Optional.of(s) : Optional.empty()));
                }
            });
        }
        return fields;
    }

    private static String str(Object o) {
        return o instanceof String s ? s : "";
    }

    private static List<OdooRecord> records(String model, Object result) {
        List<OdooRecord> list = new ArrayList<>();
        if (result instanceof Object[] arr) {
            for (Object o : arr) {
                if (o instanceof Map<?, ?> m) {
                    @SuppressWarnings("unchecked")
                    Map<String, ?> values = (Map<String, ?>) m;
                    list.add(new OdooRecord(model, values));
                }
            }
        } else {
            throw new OdooServerException("Odoo answered a read on " + model + " with something other than a list", -1, "");
        }
        return list;
    }

    /**
     * {@code execute_kw} with the cached uid, re-authenticating once on fault 3. Values are Apache
     * XML-RPC's Java forms; package-private so that no wire type leaks into the public API.
     */
    Object executeKw(String model, String method, Object[] args, Map<String, Object> kwargs, Map<String, Object> extraContext) {
        Objects.requireNonNull(model, "model");
        Map<String, Object> kw = new LinkedHashMap<>(kwargs);
        Map<String, Object> ctx = new LinkedHashMap<>();
        if (lang != null) {
            ctx.put("lang", lang);
        }
        if (tz != null) {
            ctx.put("tz", tz);
        }
        ctx.putAll(extraContext);
        if (!ctx.isEmpty()) {
            kw.put("context", ctx);
        }
        int first = uid();
        try {
            return call(objectConfig, "execute_kw", new Object[] {database, first, secret, model, method, args, kw}, model);
        } catch (AuthenticationException denied) {
            LOG.info("Odoo refused the cached session for {}; authenticating again", username);
            synchronized (authLock) {
                if (Objects.equals(uid, first)) {
                    uid = null;
                }
            }
            int again = uid();
            return call(objectConfig, "execute_kw", new Object[] {database, again, secret, model, method, args, kw}, model);
        }
    }

    private Object call(XmlRpcClientConfigImpl config, String method, Object[] params, String model) {
        Supplier<Object> attempt = () -> {
            calls.incrementAndGet();
            try {
                return rpc.execute(config, method, params);
            } catch (OdooFaultException fault) {
                throw new FaultFailure(OdooFaults.classify(fault.code, fault.rawCode(), fault.getMessage(), model, secret));
            } catch (XmlRpcHttpTransportException http) {
                int status = http.getStatusCode();
                String msg = "Odoo answered HTTP " + status + " for " + method + (model == null ? "" : " on " + model);
                if (status >= 500 || status == 429 || status == 408) {
                    throw new NetworkFailure(new OdooUnavailableException(msg, -1, ""));
                }
                throw new FaultFailure(new OdooServerException(msg, -1, ""));
            } catch (XmlRpcException e) {
                throw classifyTransport(e, method, model);
            } catch (RuntimeException e) {
                throw new FaultFailure(new OdooServerException("unexpected failure calling Odoo " + method + ": "
                        + OdooFaults.redact(String.valueOf(e.getMessage()), secret), -1, "", null));
            }
        };
        for (int n = 1;; n++) {
            try {
                return breaker.executeSupplier(attempt);
            } catch (FaultFailure fault) {
                throw (RagmailException) fault.getCause();
            } catch (CallNotPermittedException open) {
                throw new OdooUnavailableException("Odoo circuit breaker is open after repeated network failures; not calling "
                        + baseUrl + " for now", -1, "");
            } catch (NetworkFailure network) {
                if (n >= maxAttempts) {
                    throw (RagmailException) network.getCause();
                }
                Duration wait = Duration.ofMillis(backoff.apply(n));
                LOG.debug("Odoo {} failed ({}); attempt {} of {} in {} ms", method, network.getMessage(), n + 1, maxAttempts,
                        wait.toMillis());
                try {
                    sleeper.sleep(wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new OdooUnavailableException("interrupted while waiting to retry Odoo " + method, -1, "", e);
                }
            }
        }
    }

    private RuntimeException classifyTransport(XmlRpcException e, String method, String model) {
        Throwable root = e;
        boolean io = false;
        boolean refused = false;
        while (root != null) {
            if (root instanceof io.ragmail.odoo.internal.RefusedContentException) {
                refused = true;
            }
            if (root instanceof IOException && !(root instanceof org.xml.sax.SAXException)) {
                io = true;
            }
            if (root.getCause() == root) {
                break;
            }
            root = root.getCause();
        }
        String detail = OdooFaults.redact(String.valueOf(e.getMessage()), secret);
        if (refused) {
            return new FaultFailure(new OdooServerException("Odoo's response to " + method + " was refused: " + detail, -1, "", null));
        }
        if (io) {
            return new NetworkFailure(new OdooUnavailableException("cannot reach Odoo at " + baseUrl + " (" + method + "): " + detail,
                    -1, "", null));
        }
        return new FaultFailure(new OdooServerException("Odoo call " + method + (model == null ? "" : " on " + model)
                + " failed: " + detail, -1, "", null));
    }

    /** Carries a retriable network failure through resilience4j. */
    private static final class NetworkFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        NetworkFailure(RagmailException cause) {
            super(cause.getMessage(), cause, false, false);
        }
    }

    /** Carries a fault or other non-network failure through resilience4j unretried. */
    private static final class FaultFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        FaultFailure(RagmailException cause) {
            super(cause.getMessage(), cause, false, false);
        }
    }

    @Override
    public String toString() {
        return "OdooClient[" + baseUrl + ", db=" + database + ", user=" + username + "]";
    }

    /** Builder; {@link #build()} validates and names the setting at fault. */
    public static final class Builder {
        private String url;
        private String database;
        private String username;
        private String secret;
        private String lang;
        private String tz;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration readTimeout = DEFAULT_READ_TIMEOUT;
        private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
        private Duration retryBackoff = DEFAULT_RETRY_BACKOFF;
        private Duration circuitOpenDuration = DEFAULT_CIRCUIT_OPEN_DURATION;
        private int circuitMinimumCalls = DEFAULT_CIRCUIT_MINIMUM_CALLS;
        private Clock clock = Clock.systemUTC();
        private Sleeper sleeper = Sleeper.SYSTEM;

        private Builder() {
        }

        /** The clock of the circuit breaker (how long it stays open). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** How the client waits between retries; tests pass one that does not really wait. */
        public Builder sleeper(Sleeper sleeper) {
            this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
            return this;
        }

        /** Base URL, such as {@code https://erp.example.com} (without {@code /xmlrpc/2}). */
        public Builder url(String url) {
            this.url = url;
            return this;
        }

        public Builder database(String database) {
            this.database = database;
            return this;
        }

        public Builder username(String username) {
            this.username = username;
            return this;
        }

        /** The user's password. */
        public Builder password(String password) {
            this.secret = password;
            return this;
        }

        /** An API key (Odoo 14+: Preferences → Account Security); used in place of the password. */
        public Builder apiKey(String apiKey) {
            this.secret = apiKey;
            return this;
        }

        /** Context language, such as {@code en_US}; unset by default. */
        public Builder lang(String lang) {
            this.lang = lang;
            return this;
        }

        /** Context time zone; Odoo still returns datetimes in UTC. */
        public Builder tz(String tz) {
            this.tz = tz;
            return this;
        }

        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
            return this;
        }

        public Builder readTimeout(Duration readTimeout) {
            this.readTimeout = readTimeout;
            return this;
        }

        /** Attempts per call on network failures (1 = no retry). */
        public Builder maxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
            return this;
        }

        public Builder retryBackoff(Duration retryBackoff) {
            this.retryBackoff = retryBackoff;
            return this;
        }

        public Builder circuitOpenDuration(Duration circuitOpenDuration) {
            this.circuitOpenDuration = circuitOpenDuration;
            return this;
        }

        public Builder circuitMinimumCalls(int circuitMinimumCalls) {
            this.circuitMinimumCalls = circuitMinimumCalls;
            return this;
        }

        public OdooClient build() {
            require(url, "url");
            try {
                URI u = URI.create(url);
                if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme())) {
                    throw new IllegalArgumentException("url must start with http:// or https://, was " + url);
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("url must be an http(s) URL: " + e.getMessage());
            }
            require(database, "database");
            require(username, "username");
            if (secret == null || secret.isEmpty()) {
                throw new IllegalArgumentException("password (or apiKey) must be set");
            }
            positive(connectTimeout, "connectTimeout");
            positive(readTimeout, "readTimeout");
            positive(circuitOpenDuration, "circuitOpenDuration");
            Objects.requireNonNull(retryBackoff, "retryBackoff");
            if (retryBackoff.isNegative() || retryBackoff.isZero()) {
                throw new IllegalArgumentException("retryBackoff must be positive, was " + retryBackoff);
            }
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
            }
            if (circuitMinimumCalls < 1) {
                throw new IllegalArgumentException("circuitMinimumCalls must be at least 1, was " + circuitMinimumCalls);
            }
            return new OdooClient(this);
        }

        private static void require(String value, String name) {
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException(name + " must be set");
            }
        }

        private static void positive(Duration d, String name) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, was " + d);
            }
            if (d.toMillis() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(name + " is too long, was " + d);
            }
        }
    }
}
