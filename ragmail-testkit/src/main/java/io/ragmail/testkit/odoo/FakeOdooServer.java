package io.ragmail.testkit.odoo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * An Odoo XML-RPC server for tests: {@code /xmlrpc/2/common} ({@code version}, {@code authenticate})
 * and {@code /xmlrpc/2/object} ({@code execute_kw} with {@code search_read}, {@code search},
 * {@code read}, {@code search_count}, {@code fields_get}, {@code create}, {@code write}, {@code unlink},
 * {@code check_access_rights}), backed by in-memory models. It answers like the captured Odoo 16
 * transcripts: HTTP 200 for everything (faults too), {@code False} for empty fields, many2one as
 * {@code [id, name]}, datetimes as UTC {@code "YYYY-MM-DD HH:MM:SS"} (stored with sub-second
 * precision, so {@code >} on a returned second includes later writes in that second, and {@code =}
 * matches nothing, as on real Odoo), and faults with Odoo's codes and texts.
 *
 * <p>Users have Odoo 16's rights ({@link Role}): only an administrator reads {@code ir.model}, a portal
 * user sees its own partner. {@code child_of} honours {@code active_test}; {@code email_normalized},
 * {@code commercial_partner_id} and a category's {@code complete_name} are computed as Odoo computes
 * them. {@link Builder#demoData(DemoDatabase)} seeds a captured database, {@link Builder#withoutModule(String)}
 * leaves a module out, {@link Builder#latency(Latency)} adds real Odoo's answer times.
 *
 * <p>Scriptable: {@link #goDown()}/{@link #comeUp()} (connection refused), {@link #slowDown(Duration)},
 * {@link #failNextWithHttpStatus(int, int)}, {@link #enqueueRawResponse(String)} for hostile or
 * old-Odoo answers. Counts the calls it received.
 *
 * <pre>{@code
 * try (FakeOdooServer odoo = FakeOdooServer.builder().demoData().build()) {
 *     String url = odoo.url();      // http://127.0.0.1:<port>
 *     odoo.create("product.template", Map.of("name", "Acetone 1 l", "list_price", 12.5));
 * }
 * }</pre>
 */
public final class FakeOdooServer implements Closeable {

    /** What a user may do; like Odoo 16's groups and access rules, much simplified. */
    public enum Role {
        /** Settings/Administrator: everything, {@code ir.model} included. */
        ADMIN,
        /**
         * Internal user with Sales / User: All Documents, the rights docs/odoo.md recommends: in Odoo 16 that
         * group alone reads {@code sale.order}, {@code stock.picking} and {@code account.move} (pairs 110-112),
         * but not {@code ir.model}, which only Administration / Access Rights may read (fault 4, pair 100).
         */
        SALES,
        /** Internal user without Sales/Inventory/Invoicing rights: fault 4 on those models and on {@code ir.model}. */
        INTERNAL,
        /**
         * Portal user: record rules leave sale/stock/account models empty (pairs 16, 140), {@code res.partner}
         * shows only its own partner (141), {@code product.template} and {@code ir.model} are fault 4 (142).
         */
        PORTAL
    }

    private record User(String login, String secret, int uid, Role role, Integer partnerId) {
    }

    /**
     * How long the server takes to answer, on top of its own work: {@link #NONE} (the default), or
     * {@link #ODOO_16_MEASURED}, the figures measured on a real Odoo 16 (2 shared cores, PostgreSQL 15,
     * issue 12), so that a benchmark against this fake says what a user of a real server will see.
     */
    @FunctionalInterface
    public interface Latency {
        /** The added delay for one call: {@code method} as {@link FakeOdooServer#requestCount(String)} names it, {@code records} returned. */
        Duration of(String method, int records);

        Latency NONE = (method, records) -> Duration.ZERO;

        /**
         * Real Odoo 16 on 2 shared cores: {@code authenticate} p50 ≈ 0.4 s (PBKDF2), a call ≈ 13 ms plus
         * ≈ 0.04 ms per record returned (a page of 50 ≈ 15 ms), {@code version} ≈ 20 ms.
         */
        Latency ODOO_16_MEASURED = (method, records) -> switch (method) {
            case "authenticate", "login" -> Duration.ofMillis(400);
            case "version" -> Duration.ofMillis(20);
            default -> Duration.ofMillis(13).plusNanos(40_000L * records);
        };
    }

    /** The captured Odoo 16 databases whose records {@link Builder#demoData(DemoDatabase)} seeds. */
    public enum DemoDatabase {
        /** Database {@code ragmail} of pairs 01-97 (captured 2026-11-28). */
        CAPTURED_2026_11_28,
        /**
         * Database {@code ragmail} of pairs 100-166 (captured 2026-12-04): sale, stock, account and delivery;
         * {@code ragmail.internal} (uid 8) has Sales / User: All Documents.
         */
        CAPTURED_2026_12_04,
        /** Database {@code ragmail_nostock} of pairs 103-104: sale and account, no stock, no delivery. */
        CAPTURED_2026_12_04_NOSTOCK
    }

    static final Set<String> PROTECTED_MODELS = Set.of("sale.order", "sale.order.line", "stock.picking", "account.move");

    /** What each module adds to the standard models here: whole models, or "model.field" for a field on another module's model. */
    private static final Map<String, List<String>> MODULES = Map.of(
            "sale", List.of("sale.order", "sale.order.line"),
            "stock", List.of("stock.picking", "stock.picking.carrier_tracking_ref"),
            "account", List.of("account.move"),
            // carrier_tracking_ref is declared in addons/delivery, not in stock (pair 107)
            "delivery", List.of("stock.picking.carrier_tracking_ref"));

    /** The groups Odoo 16 names in an AccessError, by model (pairs 15, 100, 142). */
    private static final Map<String, String> ACCESS_GROUPS = Map.of(
            "ir.model", "\t- Administration/Access Rights\n",
            "product.template", "\t- Administration/Settings\n\t- Inventory/Administrator\n\t- Inventory/User\n"
                    + "\t- Invoicing/Billing Administrator\n\t- Sales/Administrator\n\t- Sales/User: Own Documents Only\n"
                    + "\t- User types/Internal User\n");

    private static final String TRACEBACK_HEAD = "Traceback (most recent call last):\n"
            + "  File \"/opt/odoo/odoo/addons/base/controllers/rpc.py\", line 147, in xmlrpc_2\n"
            + "  File \"/opt/odoo/odoo/addons/base/controllers/rpc.py\", line 127, in _xmlrpc\n"
            + "  File \"/opt/odoo/odoo/http.py\", line 369, in dispatch_rpc\n"
            + "  File \"/opt/odoo/odoo/service/model.py\", line 37, in dispatch\n"
            + "  File \"/opt/odoo/odoo/service/model.py\", line 59, in execute_kw\n"
            + "  File \"/opt/odoo/odoo/service/model.py\", line 65, in execute\n"
            + "  File \"/opt/odoo/odoo/api.py\", line 464, in call_kw\n";

    private final String database;
    private final Clock clock;
    private final Map<String, FakeOdooModel> models;
    private final Map<String, TreeMap<Integer, Map<String, Object>>> tables = new HashMap<>();
    private final Map<String, AtomicInteger> sequences = new HashMap<>();
    private final Map<String, User> usersByLogin = new LinkedHashMap<>();
    private final Map<Integer, User> usersByUid = new HashMap<>();
    private final Deque<String> scriptedBodies = new ArrayDeque<>();
    private final Deque<Integer> scriptedStatus = new ArrayDeque<>();
    private final AtomicLong requests = new AtomicLong();
    private final Map<String, AtomicLong> requestsByMethod = new ConcurrentHashMap<>();
    private final Map<String, Integer> irModelIds = new HashMap<>();
    private final Object lock = new Object();
    private final Latency latency;
    private final ThreadLocal<Duration> answerLatency = ThreadLocal.withInitial(() -> Duration.ZERO);
    private volatile Duration delay = Duration.ZERO;
    private volatile HttpServer http;
    private volatile ExecutorService executor;
    private volatile int port;

    private FakeOdooServer(Builder b) {
        this.database = b.database;
        this.clock = b.clock;
        this.latency = b.latency;
        this.models = new LinkedHashMap<>(FakeOdooModel.standardModels());
        b.extraModels.forEach(m -> models.put(m.name(), m));
        for (String module : b.removedModules) {
            for (String part : MODULES.getOrDefault(module, List.of())) {
                if (models.containsKey(part)) {
                    models.remove(part);
                } else {
                    int dot = part.lastIndexOf('.');
                    models.computeIfPresent(part.substring(0, dot), (k, m) -> m.without(part.substring(dot + 1)));
                }
            }
        }
        b.removedModels.forEach(models::remove);
        int irId = 1;
        for (String name : models.keySet()) {
            irModelIds.put(name, b.irModelIds.getOrDefault(name, irId++));
        }
        models.keySet().forEach(name -> {
            tables.put(name, new TreeMap<>());
            sequences.put(name, new AtomicInteger(0));
        });
        b.users.forEach(u -> {
            usersByLogin.put(u.login(), u);
            usersByUid.put(u.uid(), u);
        });
        if (b.demoData != null) {
            OdooDemoData.seed(this, b.demoData);
        }
        start(0);
    }

    public static Builder builder() {
        return new Builder();
    }

    // ---------------------------------------------------------------- lifecycle and scripting

    private void start(int onPort) {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), onPort), 50);
            ExecutorService pool = Executors.newFixedThreadPool(4, r -> {
                Thread t = new Thread(r, "fake-odoo");
                t.setDaemon(true);
                return t;
            });
            server.setExecutor(pool);
            server.createContext("/", this::handle);
            server.start();
            this.http = server;
            this.executor = pool;
            this.port = server.getAddress().getPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start FakeOdooServer", e);
        }
    }

    public int port() {
        return port;
    }

    /** Base URL, {@code http://127.0.0.1:<port>}; the client appends {@code /xmlrpc/2/...}. */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public String database() {
        return database;
    }

    /** Stops listening: connections are refused, as when Odoo is stopped. */
    public void goDown() {
        HttpServer s = http;
        if (s != null) {
            s.stop(0);
            executor.shutdownNow();
            http = null;
        }
    }

    /** Listens again on the same port. */
    public void comeUp() {
        if (http == null) {
            start(port);
        }
    }

    /** Every answer waits this long first (simulates a slow or hung server). */
    public void slowDown(Duration delay) {
        this.delay = Objects.requireNonNull(delay, "delay");
    }

    /** The next {@code count} requests get this HTTP status and an HTML body, like a proxy in front of Odoo. */
    public void failNextWithHttpStatus(int status, int count) {
        synchronized (scriptedStatus) {
            for (int i = 0; i < count; i++) {
                scriptedStatus.add(status);
            }
        }
    }

    /** The next request is answered with exactly this body (HTTP 200): hostile payloads, old-Odoo faults. */
    public void enqueueRawResponse(String body) {
        synchronized (scriptedBodies) {
            scriptedBodies.add(body);
        }
    }

    /** The next request gets this fault in Odoo's format. */
    public void enqueueFault(int code, String faultString) {
        enqueueRawResponse(XmlRpcWire.fault(code, faultString));
    }

    /**
     * The next request gets a fault whose {@code faultCode} is a string, as Odoo 8–10 sent it (the stock
     * Apache parser fails on it with a ClassCastException).
     */
    public void enqueueStringCodeFault(String faultCode, String faultString) {
        Map<String, Object> struct = new LinkedHashMap<>();
        struct.put("faultCode", Objects.requireNonNull(faultCode, "faultCode"));
        struct.put("faultString", Objects.requireNonNull(faultString, "faultString"));
        enqueueRawResponse(XmlRpcWire.fault(struct));
    }

    /**
     * The next request gets a fault carrying a Java-serialized object in {@code faultCause}: the
     * CVE-2019-17570 payload that the stock Apache client deserialises. For security tests.
     */
    public void enqueueFaultWithSerializedCause(byte[] serializedObject, String faultString) {
        Map<String, Object> struct = new LinkedHashMap<>();
        struct.put("faultCode", 1);
        struct.put("faultString", Objects.requireNonNull(faultString, "faultString"));
        struct.put("faultCause", Objects.requireNonNull(serializedObject, "serializedObject"));
        enqueueRawResponse(XmlRpcWire.fault(struct));
    }

    /** HTTP requests received. */
    public long requestCount() {
        return requests.get();
    }

    /** Requests for one method: {@code "authenticate"}, {@code "version"}, or an execute_kw method like {@code "search_read"}. */
    public long requestCount(String method) {
        AtomicLong c = requestsByMethod.get(method);
        return c == null ? 0 : c.get();
    }

    public void resetCounts() {
        requests.set(0);
        requestsByMethod.clear();
    }

    @Override
    public void close() {
        goDown();
    }

    // ---------------------------------------------------------------- data

    /** Creates a record as Odoo's {@code create} would; returns its id. */
    public int create(String model, Map<String, ?> values) {
        synchronized (lock) {
            FakeOdooModel m = requireModel(model);
            Object forced = values.get("id");
            int id = forced instanceof Integer i ? i : sequences.get(model).incrementAndGet();
            if (forced instanceof Integer i && sequences.get(model).get() < i) {
                sequences.get(model).set(i);
            }
            Map<String, Object> rec = new LinkedHashMap<>();
            rec.put("id", id);
            if (m.hasActive()) {
                rec.put("active", Boolean.TRUE);
            }
            if (m.fields().containsKey("sale_ok")) {
                rec.put("sale_ok", Boolean.TRUE); // Odoo's default: a new product can be sold
            }
            Instant now = clock.instant();
            rec.put("create_date", now);
            rec.put("write_date", now);
            putValues(m, rec, values);
            tables.get(model).put(id, rec);
            return id;
        }
    }

    /** Updates fields and {@code write_date} as Odoo's {@code write} would. */
    public void write(String model, int id, Map<String, ?> values) {
        synchronized (lock) {
            FakeOdooModel m = requireModel(model);
            Map<String, Object> rec = tables.get(model).get(id);
            if (rec == null) {
                throw new IllegalArgumentException(model + "(" + id + ") does not exist");
            }
            putValues(m, rec, values);
            if (!values.containsKey("write_date")) {
                rec.put("write_date", clock.instant());
            }
        }
    }

    /** Archives ({@code active = False}), which is also a write. */
    public void archive(String model, int id) {
        write(model, id, Map.of("active", false));
    }

    public void unlink(String model, int id) {
        synchronized (lock) {
            requireModel(model);
            tables.get(model).remove(id);
        }
    }

    /** Number of records (archived ones included). */
    public int recordCount(String model) {
        synchronized (lock) {
            return requireModel(model) == null ? 0 : tables.get(model).size();
        }
    }

    private void putValues(FakeOdooModel m, Map<String, Object> rec, Map<String, ?> values) {
        values.forEach((k, v) -> {
            if ("id".equals(k)) {
                return;
            }
            if (!m.fields().containsKey(k)) {
                throw new IllegalArgumentException("Invalid field '" + k + "' on model '" + m.name() + "'");
            }
            Object value = v;
            if (v instanceof Boolean b && !b && !"boolean".equals(m.fields().get(k).type().wireName())) {
                value = null;
            }
            if (v instanceof String s && m.fields().get(k).type() == OdooFieldType.DATETIME) {
                value = Instant.from(XmlRpcWire.DATETIME.parse(s));
            }
            if (v instanceof Collection<?> c) {
                value = List.copyOf(c);
            }
            if (value == null) {
                rec.remove(k);
            } else {
                rec.put(k, value);
            }
        });
    }

    private FakeOdooModel requireModel(String model) {
        FakeOdooModel m = models.get(model);
        if (m == null) {
            throw new IllegalArgumentException("FakeOdooServer has no model " + model);
        }
        return m;
    }

    // ---------------------------------------------------------------- HTTP

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] body;
            try (InputStream in = ex.getRequestBody()) {
                body = in.readAllBytes();
            }
            requests.incrementAndGet();
            Duration d = delay;
            if (!d.isZero()) {
                try {
                    Thread.sleep(d.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            Integer status;
            synchronized (scriptedStatus) {
                status = scriptedStatus.poll();
            }
            if (status != null) {
                send(ex, status, "text/html", "<html><body><h1>" + status + "</h1></body></html>");
                return;
            }
            String scripted;
            synchronized (scriptedBodies) {
                scripted = scriptedBodies.poll();
            }
            if (scripted != null) {
                send(ex, 200, "text/xml; charset=utf-8", scripted);
                return;
            }
            String answer = answer(ex.getRequestURI().getPath(), body);
            Duration odoo = answerLatency.get();
            answerLatency.remove();
            if (!odoo.isZero()) {
                try {
                    Thread.sleep(odoo.toMillis(), odoo.toNanosPart() % 1_000_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            send(ex, 200, "text/xml; charset=utf-8", answer);
        }
    }

    private static void send(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.getResponseHeaders().set("Server", "Werkzeug/2.2.2 Python/3.11.2");
        ex.getResponseHeaders().set("Connection", "close");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** The response body for a request body POSTed to a path; public so contract tests can replay fixtures without HTTP. */
    public String answer(String path, byte[] body) {
        String service = path.startsWith("/xmlrpc/2/") ? path.substring("/xmlrpc/2/".length()) : path;
        if (!service.equals("common") && !service.equals("object")) {
            return XmlRpcWire.fault(1, trace("KeyError: '" + service + "'"));
        }
        XmlRpcWire.Call call;
        try {
            call = XmlRpcWire.parseCall(body);
        } catch (Exception e) {
            return XmlRpcWire.fault(1, trace("xml.parsers.expat.ExpatError: syntax error: line 1, column 0"));
        }
        try {
            Object result = service.equals("common") ? common(call) : object(call);
            answerLatency.set(latency.of(call.method().equals("execute_kw") ? lastMethod(call) : call.method(),
                    result instanceof List<?> l ? l.size() : 1));
            return XmlRpcWire.response(result);
        } catch (Fault f) {
            answerLatency.set(latency.of(lastMethod(call), 0));
            return XmlRpcWire.fault(f.code, f.getMessage());
        } catch (RuntimeException e) {
            return XmlRpcWire.fault(1, trace(e.getClass().getSimpleName() + ": " + e.getMessage()));
        }
    }

    private static String lastMethod(XmlRpcWire.Call call) {
        List<Object> p = call.params();
        return "execute_kw".equals(call.method()) && p.size() > 4 ? String.valueOf(p.get(4)) : call.method();
    }

    private static String trace(String lastLine) {
        return TRACEBACK_HEAD + lastLine + "\n";
    }

    private static final class Fault extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int code;

        Fault(int code, String message) {
            super(message, null, false, false);
            this.code = code;
        }
    }

    private Object common(XmlRpcWire.Call call) {
        count(call.method());
        switch (call.method()) {
            case "version": {
                Map<String, Object> v = new LinkedHashMap<>();
                v.put("server_version", "16.0");
                v.put("server_version_info", List.of(16, 0, 0, "final", 0, ""));
                v.put("server_serie", "16.0");
                v.put("protocol_version", 1);
                return v;
            }
            case "authenticate":
            case "login": {
                List<Object> p = call.params();
                String db = String.valueOf(p.get(0));
                if (!database.equals(db)) {
                    throw new Fault(1, TRACEBACK_HEAD.replace("/opt/odoo/odoo/service/model.py\", line 59, in execute_kw\n", "")
                            + "psycopg2.OperationalError: connection to server at \"127.0.0.1\", port 5432 failed: FATAL:  database \""
                            + db + "\" does not exist\n");
                }
                User u = usersByLogin.get(String.valueOf(p.get(1)));
                return u != null && u.secret().equals(p.get(2)) ? (Object) u.uid() : Boolean.FALSE;
            }
            default:
                throw new Fault(1, trace("Exception: Method not found: " + call.method()));
        }
    }

    private void count(String method) {
        requestsByMethod.computeIfAbsent(method, k -> new AtomicLong()).incrementAndGet();
    }

    @SuppressWarnings("unchecked")
    private Object object(XmlRpcWire.Call call) {
        if (!"execute_kw".equals(call.method()) && !"execute".equals(call.method())) {
            count(call.method());
            throw new Fault(1, trace("Exception: Method not found: " + call.method()));
        }
        List<Object> p = call.params();
        if (p.size() < 5) {
            throw new Fault(1, trace("TypeError: execute_kw() missing required positional arguments"));
        }
        String model = String.valueOf(p.get(3));
        String method = String.valueOf(p.get(4));
        count(method);
        User user = p.get(1) instanceof Integer uid ? usersByUid.get(uid) : null;
        if (!database.equals(p.get(0)) || user == null || !user.secret().equals(p.get(2))) {
            throw new Fault(3, "Access Denied");
        }
        List<Object> args = p.size() > 5 && p.get(5) instanceof List<?> l ? (List<Object>) l : List.of();
        Map<String, Object> kw = p.size() > 6 && p.get(6) instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        if (method.startsWith("_")) {
            throw new Fault(4, "Private methods (such as " + method + ") cannot be called remotely.");
        }
        if ("ir.model".equals(model)) {
            // base/security/ir.model.access.csv: only Administration / Access Rights may read ir.model (pairs 100, 102)
            if ("check_access_rights".equals(method)) {
                return user.role() == Role.ADMIN;
            }
            if (user.role() != Role.ADMIN) {
                throw new Fault(4, accessErrorText("Models", "ir.model"));
            }
            return irModel(args, kw);
        }
        FakeOdooModel m = models.get(model);
        if (m == null) {
            throw new Fault(2, "Object " + model + " doesn't exist");
        }
        Map<String, Object> ctx = kw.get("context") instanceof Map<?, ?> c ? (Map<String, Object>) c : Map.of();
        boolean hiddenByRules = false;
        boolean checksRights = !"fields_get".equals(method) && !"check_access_rights".equals(method);
        if (PROTECTED_MODELS.contains(model) && checksRights) {
            if (user.role() == Role.INTERNAL) {
                throw new Fault(4, accessErrorText(m));
            }
            hiddenByRules = user.role() == Role.PORTAL;
        }
        if (user.role() == Role.PORTAL && "product.template".equals(model) && checksRights) {
            throw new Fault(4, accessErrorText(m.label(), m.name()));
        }
        // the portal record rule on res.partner: its own partner only (pair 141)
        Integer onlyId = user.role() == Role.PORTAL && "res.partner".equals(model) ? (user.partnerId() == null ? -1 : user.partnerId()) : null;
        synchronized (lock) {
            switch (method) {
                case "search_read": {
                    List<Object> domain = arg(args, kw, 0, "domain", List.of());
                    List<Object> fields = arg(args, kw, 1, "fields", List.of());
                    List<Map<String, Object>> found = hiddenByRules ? List.of() : visible(search(m, domain, kw, ctx), onlyId);
                    return render(m, found, fields);
                }
                case "search": {
                    List<Object> domain = arg(args, kw, 0, "domain", List.of());
                    List<Map<String, Object>> found = hiddenByRules ? List.of() : visible(search(m, domain, kw, ctx), onlyId);
                    return found.stream().map(r -> r.get("id")).toList();
                }
                case "search_count": {
                    List<Object> domain = arg(args, kw, 0, "domain", List.of());
                    return hiddenByRules ? 0 : visible(search(m, domain, Map.of(), ctx), onlyId).size();
                }
                case "read": {
                    List<Object> ids = arg(args, kw, 0, "ids", List.of());
                    List<Object> fields = arg(args, kw, 1, "fields", List.of());
                    List<Map<String, Object>> found = new ArrayList<>();
                    if (!hiddenByRules) {
                        for (Object id : ids) {
                            Map<String, Object> rec = tables.get(model).get((Integer) id);
                            if (rec != null) {
                                found.add(rec);
                            }
                        }
                    }
                    return render(m, visible(found, onlyId), fields);
                }
                case "name_get": {
                    List<Object> ids = arg(args, kw, 0, "ids", List.of());
                    List<Object> missing = ids.stream().filter(id -> !tables.get(model).containsKey((Integer) id)).toList();
                    if (!missing.isEmpty()) {
                        // MissingError is a UserError, so fault 2 (pair 151); Python prints a 1-tuple as (id,)
                        String tuple = missing.size() == 1 ? missing.get(0) + ","
                                : String.join(", ", missing.stream().map(String::valueOf).toList());
                        throw new Fault(2, "Record does not exist or has been deleted.\n(Record: " + model + "(" + tuple
                                + "), User: " + user.uid() + ")");
                    }
                    return ids.stream().map(id -> (Object) List.of(id, displayName(model, tables.get(model).get((Integer) id)))).toList();
                }
                case "fields_get": {
                    Map<String, Object> out = new LinkedHashMap<>();
                    m.fields().values().forEach(f -> {
                        Map<String, Object> attrs = new LinkedHashMap<>();
                        attrs.put("string", f.label());
                        attrs.put("type", f.type().wireName());
                        if (f.relation() != null) {
                            attrs.put("relation", f.relation());
                        }
                        out.put(f.name(), attrs);
                    });
                    return out;
                }
                case "check_access_rights":
                    return !(PROTECTED_MODELS.contains(model) && user.role() == Role.INTERNAL)
                            && !(user.role() == Role.PORTAL && "product.template".equals(model));
                case "create": {
                    Map<String, Object> values = (Map<String, Object>) args.get(0);
                    checkFields(m, values.keySet());
                    return create(model, values);
                }
                case "write": {
                    List<Object> ids = (List<Object>) args.get(0);
                    Map<String, Object> values = (Map<String, Object>) args.get(1);
                    checkFields(m, values.keySet());
                    ids.forEach(id -> write(model, (Integer) id, values));
                    return true;
                }
                case "unlink": {
                    ((List<Object>) args.get(0)).forEach(id -> unlink(model, (Integer) id));
                    return true;
                }
                default:
                    throw new Fault(1, trace("AttributeError: The method '" + method + "' does not exist on the model '" + model + "'"));
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> T arg(List<Object> args, Map<String, Object> kw, int index, String name, T fallback) {
        if (args.size() > index) {
            return (T) args.get(index);
        }
        Object v = kw.get(name);
        return v == null ? fallback : (T) v;
    }

    private static List<Map<String, Object>> visible(List<Map<String, Object>> found, Integer onlyId) {
        return onlyId == null ? found : found.stream().filter(r -> onlyId.equals(r.get("id"))).toList();
    }

    private Object irModel(List<Object> args, Map<String, Object> kw) {
        List<Object> domain = arg(args, kw, 0, "domain", List.of());
        List<Map<String, Object>> rows = new ArrayList<>();
        for (FakeOdooModel m : models.values()) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("id", irModelIds.get(m.name()));
            r.put("model", m.name());
            r.put("name", m.label());
            rows.add(r);
        }
        rows.sort(Comparator.comparing(r -> (Integer) r.get("id")));
        FakeOdooModel irModel = FakeOdooModel.builder("ir.model", "Models").field("model", OdooFieldType.CHAR)
                .field("name", OdooFieldType.CHAR).build();
        List<Map<String, Object>> found = rows.stream().filter(r -> matches(irModel, r, domain, true)).toList();
        List<Object> fields = arg(args, kw, 1, "fields", List.of("model", "name"));
        return render(irModel, found, fields);
    }

    private static String accessErrorText(String label, String model) {
        return "You are not allowed to access '" + label + "' (" + model + ") records.\n\n"
                + "This operation is allowed for the following groups:\n" + ACCESS_GROUPS.get(model) + "\n"
                + "Contact your administrator to request access if necessary.";
    }

    private static String accessErrorText(FakeOdooModel m) {
        return "You are not allowed to access '" + m.label() + "' (" + m.name() + ") records.\n\n"
                + "This operation is allowed for the following groups:\n\t- Inventory/User\n\t- Invoicing/Billing\n"
                + "\t- Sales/Administrator\n\t- Sales/User: Own Documents Only\n\t- Technical/Show Accounting Features - Readonly\n"
                + "\t- Technical/Show Full Accounting Features\n\t- User types/Portal\n\n"
                + "Contact your administrator to request access if necessary.";
    }

    private void checkFields(FakeOdooModel m, Collection<String> names) {
        for (String f : names) {
            requireField(m, f);
        }
    }

    /** Odoo's fault for a field the model does not have (in values, an order or a field list). */
    private static void requireField(FakeOdooModel m, String name) {
        if (!m.fields().containsKey(name)) {
            throw new Fault(1, trace("ValueError: Invalid field '" + name + "' on model '" + m.name() + "'"));
        }
    }

    // ---------------------------------------------------------------- search, domains, rendering

    private List<Map<String, Object>> search(FakeOdooModel m, List<Object> domain, Map<String, Object> kw, Map<String, Object> ctx) {
        boolean contextActiveTest = !Boolean.FALSE.equals(ctx.get("active_test"));
        boolean activeTest = contextActiveTest && m.hasActive() && !mentions(domain, "active");
        List<Map<String, Object>> found = new ArrayList<>();
        for (Map<String, Object> rec : tables.get(m.name()).values()) {
            if (activeTest && !Boolean.TRUE.equals(rec.get("active"))) {
                continue;
            }
            if (matches(m, rec, domain, contextActiveTest)) {
                found.add(rec);
            }
        }
        String order = kw.get("order") instanceof String s && !s.isBlank() ? s : m.defaultOrder();
        found.sort(comparator(m, order));
        int offset = kw.get("offset") instanceof Integer o ? o : 0;
        int limit = kw.get("limit") instanceof Integer l && l > 0 ? l : Integer.MAX_VALUE;
        int from = Math.min(offset, found.size());
        int to = (int) Math.min((long) from + limit, found.size());
        return new ArrayList<>(found.subList(from, to));
    }

    private static boolean mentions(List<Object> domain, String field) {
        return domain.stream().anyMatch(t -> t instanceof List<?> l && !l.isEmpty() && field.equals(l.get(0)));
    }

    private Comparator<Map<String, Object>> comparator(FakeOdooModel m, String order) {
        Comparator<Map<String, Object>> cmp = null;
        for (String part : order.split(",")) {
            String[] bits = part.trim().split("\\s+");
            String field = bits[0];
            requireField(m, field);
            boolean desc = bits.length > 1 && bits[1].equalsIgnoreCase("desc");
            Comparator<Map<String, Object>> c = (a, b) -> compareValues(a.get(field), b.get(field));
            if (desc) {
                c = c.reversed();
            }
            cmp = cmp == null ? c : cmp.thenComparing(c);
        }
        return cmp == null ? Comparator.comparing(r -> (Integer) r.get("id")) : cmp;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static int compareValues(Object a, Object b) {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : 1) : -1; // NULLS LAST ascending, as PostgreSQL
        }
        if (a instanceof Number x && b instanceof Number y) {
            return Double.compare(x.doubleValue(), y.doubleValue());
        }
        if (a instanceof Comparable ca && a.getClass() == b.getClass()) {
            return ca.compareTo(b);
        }
        return String.valueOf(a).compareTo(String.valueOf(b));
    }

    /** {@code activeTest}: the call's context; it also governs the records a {@code child_of} expands to, as in Odoo. */
    private boolean matches(FakeOdooModel m, Map<String, Object> rec, List<Object> domain, boolean activeTest) {
        if (domain.isEmpty()) {
            return true;
        }
        int[] pos = {0};
        boolean result = true;
        while (pos[0] < domain.size()) {
            result &= eval(m, rec, domain, pos, activeTest); // implicit AND at top level
        }
        return result;
    }

    private boolean eval(FakeOdooModel m, Map<String, Object> rec, List<Object> domain, int[] pos, boolean activeTest) {
        Object term = domain.get(pos[0]++);
        if ("&".equals(term)) {
            boolean a = eval(m, rec, domain, pos, activeTest);
            boolean b = eval(m, rec, domain, pos, activeTest);
            return a && b;
        }
        if ("|".equals(term)) {
            boolean a = eval(m, rec, domain, pos, activeTest);
            boolean b = eval(m, rec, domain, pos, activeTest);
            return a || b;
        }
        if ("!".equals(term)) {
            return !eval(m, rec, domain, pos, activeTest);
        }
        if (!(term instanceof List<?> leaf) || leaf.size() != 3) {
            throw new Fault(1, trace("ValueError: Invalid leaf " + term));
        }
        return leaf(m, rec, leaf, activeTest);
    }

    private boolean leaf(FakeOdooModel m, Map<String, Object> rec, List<?> leaf, boolean activeTest) {
        String field = String.valueOf(leaf.get(0));
        String op = String.valueOf(leaf.get(1));
        Object value = leaf.get(2);
        FakeOdooModel.Field f = m.fields().get(field);
        int dot = field.indexOf('.');
        FakeOdooModel.Field head = dot > 0 ? m.fields().get(field.substring(0, dot)) : null;
        if (f == null && head != null && head.type() == OdooFieldType.MANY2ONE && models.containsKey(head.relation())) {
            // a path such as categ_id.write_date: Odoo searches the related model and matches its ids
            Map<String, Object> target = tables.get(head.relation()).get(storedValue(m, rec, head.name()) instanceof Integer id ? id : -1);
            return target != null && leaf(models.get(head.relation()), target,
                    List.of(field.substring(dot + 1), op, value), activeTest);
        }
        if (f == null) {
            throw new Fault(1, trace("ValueError: Invalid field " + m.name() + "." + field + " in leaf ('" + field + "', '" + op + "', "
                    + pyRepr(value) + ")"));
        }
        Object actual = storedValue(m, rec, field);
        switch (op) {
            case "=":
                return equalsValue(f, actual, value);
            case "!=":
                return !equalsValue(f, actual, value);
            case "in":
                return value instanceof List<?> l && l.stream().anyMatch(v -> equalsValue(f, actual, v));
            case "not in":
                return !(value instanceof List<?> l && l.stream().anyMatch(v -> equalsValue(f, actual, v)));
            case "ilike":
                return actual instanceof String s && s.toLowerCase(Locale.ROOT).contains(String.valueOf(value).toLowerCase(Locale.ROOT));
            case "like":
                return actual instanceof String s && s.contains(String.valueOf(value));
            case "=ilike":
                return actual instanceof String s && likePattern(String.valueOf(value)).matcher(s).matches();
            case ">", ">=", "<", "<=": {
                if (actual == null || Boolean.FALSE.equals(value)) {
                    return false;
                }
                Object cmpValue = value;
                if (f.type() == OdooFieldType.DATETIME && value instanceof String s) {
                    cmpValue = Instant.from(XmlRpcWire.DATETIME.parse(s));
                }
                int c = compareValues(actual, cmpValue);
                return switch (op) {
                    case ">" -> c > 0;
                    case ">=" -> c >= 0;
                    case "<" -> c < 0;
                    default -> c <= 0;
                };
            }
            case "child_of": {
                String relation = "id".equals(field) ? m.name() : f.relation();
                Set<Integer> roots = new HashSet<>();
                if (value instanceof List<?> l) {
                    l.forEach(v -> roots.add((Integer) v));
                } else {
                    roots.add((Integer) value);
                }
                Set<Integer> all = descendants(relation, roots, activeTest);
                return actual instanceof Integer id && all.contains(id);
            }
            default:
                throw new Fault(1, trace("ValueError: Invalid leaf operator " + op));
        }
    }

    /**
     * What {@code child_of} expands to. Odoo 16 turns it into an ordinary search on the related model
     * ({@code parent_path =like '<root path>%'}), which honours {@code active_test}: with the default
     * context an archived contact, and so every record that names it, drops out (pairs 121, 123, 124).
     */
    private Set<Integer> descendants(String model, Set<Integer> roots, boolean activeTest) {
        TreeMap<Integer, Map<String, Object>> table = tables.getOrDefault(model, new TreeMap<>());
        boolean filter = activeTest && models.containsKey(model) && models.get(model).hasActive();
        Set<Integer> result = new HashSet<>(roots);
        boolean grew = true;
        while (grew) {
            grew = false;
            for (Map<String, Object> r : table.values()) {
                if (r.get("parent_id") instanceof Integer parent && result.contains(parent) && result.add((Integer) r.get("id"))) {
                    grew = true;
                }
            }
        }
        if (filter) {
            result.removeIf(id -> table.get(id) != null && !Boolean.TRUE.equals(table.get(id).get("active")));
        }
        return result;
    }

    private static boolean equalsValue(FakeOdooModel.Field f, Object actual, Object value) {
        if (Boolean.FALSE.equals(value) && f.type() != OdooFieldType.BOOLEAN) {
            return actual == null;
        }
        if (f.type() == OdooFieldType.BOOLEAN) {
            return Boolean.TRUE.equals(actual) == Boolean.TRUE.equals(value);
        }
        if (f.type() == OdooFieldType.DATETIME && actual instanceof Instant i && value instanceof String s) {
            return i.equals(Instant.from(XmlRpcWire.DATETIME.parse(s)));
        }
        if (actual instanceof List<?> ids) {
            return ids.contains(value);
        }
        if (actual instanceof Number a && value instanceof Number b) {
            return a.doubleValue() == b.doubleValue();
        }
        return Objects.equals(actual, value);
    }

    /** SQL ILIKE: % any run, _ one char, backslash escapes; case-insensitive, whole string. */
    static Pattern likePattern(String like) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < like.length(); i++) {
            char c = like.charAt(i);
            if (c == '\\' && i + 1 < like.length()) {
                re.append(Pattern.quote(String.valueOf(like.charAt(++i))));
            } else if (c == '%') {
                re.append(".*");
            } else if (c == '_') {
                re.append('.');
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.DOTALL);
    }

    private static String pyRepr(Object v) {
        if (v instanceof String s) {
            return "'" + s + "'";
        }
        if (v instanceof Boolean b) {
            return b ? "True" : "False";
        }
        return String.valueOf(v);
    }

    /**
     * A field's stored value. Computed as in Odoo: a partner's {@code commercial_partner_id} and
     * {@code email_normalized}, a category's {@code complete_name}.
     */
    private Object storedValue(FakeOdooModel m, Map<String, Object> rec, String field) {
        if ("res.partner".equals(m.name()) && "commercial_partner_id".equals(field)) {
            return commercialPartner(rec);
        }
        if ("res.partner".equals(m.name()) && "email_normalized".equals(field)) {
            return normalizeEmail(rec.get("email"));
        }
        if ("product.category".equals(m.name()) && "complete_name".equals(field)) {
            return completeName(rec);
        }
        return rec.get(field);
    }

    /**
     * Odoo's {@code tools.email_normalize(email, strict=False)}: the bare address of the first one found,
     * without display name, quotes, angle brackets or spaces, lower-cased (the local part only when it is
     * ASCII); null (False on the wire) when there is none (pair 130).
     */
    static String normalizeEmail(Object email) {
        if (!(email instanceof String s)) {
            return null;
        }
        java.util.regex.Matcher found = Pattern.compile("([^\\s<>\"',;]+)@([^\\s<>\"',;]+)").matcher(s);
        if (!found.find()) {
            return null;
        }
        String local = found.group(1);
        boolean ascii = local.chars().allMatch(c -> c < 128);
        return (ascii ? local.toLowerCase(Locale.ROOT) : local) + "@" + found.group(2).toLowerCase(Locale.ROOT);
    }

    private String completeName(Map<String, Object> category) {
        StringBuilder name = new StringBuilder(String.valueOf(category.getOrDefault("name", "")));
        Map<String, Object> c = category;
        for (int guard = 0; guard < 50 && c.get("parent_id") instanceof Integer parent; guard++) {
            c = tables.get("product.category").get(parent);
            if (c == null) {
                break;
            }
            name.insert(0, c.getOrDefault("name", "") + " / ");
        }
        return name.toString();
    }

    private Integer commercialPartner(Map<String, Object> rec) {
        Map<String, Object> p = rec;
        for (int guard = 0; guard < 50; guard++) {
            if (Boolean.TRUE.equals(p.get("is_company")) || !(p.get("parent_id") instanceof Integer parent)) {
                return (Integer) p.get("id");
            }
            Map<String, Object> next = tables.get("res.partner").get(parent);
            if (next == null) {
                return (Integer) p.get("id");
            }
            p = next;
        }
        return (Integer) p.get("id");
    }

    private List<Object> render(FakeOdooModel m, List<Map<String, Object>> recs, List<Object> fields) {
        List<String> names = new ArrayList<>();
        for (Object f : fields) {
            String name = String.valueOf(f);
            // Odoo checks the field names in read(), which search_read calls only when a record matched (pairs 105, 106)
            if (!recs.isEmpty()) {
                requireField(m, name);
            }
            if (!"id".equals(name)) {
                names.add(name);
            }
        }
        if (fields.isEmpty()) {
            m.fields().keySet().stream().filter(n -> !"id".equals(n)).forEach(names::add);
        }
        List<Object> out = new ArrayList<>();
        for (Map<String, Object> rec : recs) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("id", rec.get("id"));
            for (String name : names) {
                row.put(name, wireValue(m, rec, m.fields().get(name)));
            }
            out.add(row);
        }
        return out;
    }

    private Object wireValue(FakeOdooModel m, Map<String, Object> rec, FakeOdooModel.Field f) {
        if ("display_name".equals(f.name())) {
            return displayName(m.name(), rec);
        }
        Object v = storedValue(m, rec, f.name());
        if (f.type().toMany()) {
            return v == null ? List.of() : v;
        }
        if (v == null) {
            return Boolean.FALSE;
        }
        if (f.type() == OdooFieldType.MANY2ONE) {
            Integer id = (Integer) v;
            Map<String, Object> target = tables.getOrDefault(f.relation(), new TreeMap<>()).get(id);
            String name = target == null ? f.relation() + "," + id : displayName(f.relation(), target);
            return List.of(id, name);
        }
        if (f.type() == OdooFieldType.FLOAT || f.type() == OdooFieldType.MONETARY) {
            return ((Number) v).doubleValue();
        }
        return v;
    }

    private String displayName(String model, Map<String, Object> rec) {
        if ("product.category".equals(model)) {
            return completeName(rec);
        }
        Object name = rec.get("name");
        String n = name == null ? "" : String.valueOf(name);
        if ("product.template".equals(model) && rec.get("default_code") instanceof String code) {
            return "[" + code + "] " + n;
        }
        return n;
    }

    /** Builder of {@link FakeOdooServer}; by default database {@code ragmail}, user {@code admin}/{@code admin} (uid 2). */
    public static final class Builder {
        private String database = "ragmail";
        private Clock clock = Clock.systemUTC();
        private final List<User> users = new ArrayList<>();
        private final List<FakeOdooModel> extraModels = new ArrayList<>();
        private final Set<String> removedModels = new HashSet<>();
        private final Set<String> removedModules = new HashSet<>();
        private final Map<String, Integer> irModelIds = new HashMap<>();
        private DemoDatabase demoData;
        private Latency latency = Latency.NONE;

        private Builder() {
            users.add(new User("admin", "admin", 2, Role.ADMIN, 3));
        }

        public Builder database(String database) {
            this.database = Objects.requireNonNull(database, "database");
            return this;
        }

        /** The clock that stamps {@code create_date}/{@code write_date}; use a {@link SettableClock} for same-second writes. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** A user whose password or API key is {@code secret}. */
        public Builder user(String login, String secret, int uid, Role role) {
            return user(login, secret, uid, role, null);
        }

        /** A user with its own partner record ({@code res.users.partner_id}), which is all a portal user sees of {@code res.partner}. */
        public Builder user(String login, String secret, int uid, Role role, Integer partnerId) {
            users.removeIf(u -> u.login().equals(login) || u.uid() == uid);
            users.add(new User(login, secret, uid, role, partnerId));
            return this;
        }

        public Builder model(FakeOdooModel model) {
            extraModels.add(model);
            return this;
        }

        /** Leaves a standard model out, as when its module is not installed. */
        public Builder withoutModel(String name) {
            removedModels.add(name);
            return this;
        }

        /**
         * Leaves out what a module adds: {@code sale}, {@code stock}, {@code account} (their models), or
         * {@code delivery} ({@code stock.picking.carrier_tracking_ref}, which real Odoo then rejects with
         * fault 1 {@code Invalid field}, pair 105).
         */
        public Builder withoutModule(String module) {
            if (!MODULES.containsKey(module)) {
                throw new IllegalArgumentException("module must be one of " + new TreeMap<>(MODULES).keySet() + ", was " + module);
            }
            removedModules.add(module);
            return this;
        }

        /** Adds Odoo's own answer times to every call; see {@link Latency#ODOO_16_MEASURED}. */
        public Builder latency(Latency latency) {
            this.latency = Objects.requireNonNull(latency, "latency");
            return this;
        }

        /** Seeds the records the captured transcripts of 2026-11-28 show (partners 10, 14, 26; orders 1 and 5; test users 8 and 9). */
        public Builder demoData() {
            return demoData(DemoDatabase.CAPTURED_2026_11_28);
        }

        /**
         * Seeds one captured database: its records, users, roles and ir.model ids, so that the captured
         * requests get the captured answers (see {@code OdooFixtures}' README).
         */
        public Builder demoData(DemoDatabase capture) {
            this.demoData = Objects.requireNonNull(capture, "capture");
            if (capture == DemoDatabase.CAPTURED_2026_11_28) {
                user("ragmail.internal", "internal-pw", 8, Role.INTERNAL);
                user("ragmail.portal", "portal-pw", 9, Role.PORTAL);
                return this;
            }
            user("ragmail.internal", "internal-pw", 8, Role.SALES, 43);
            user("ragmail.portal", "portal-pw", 9, Role.PORTAL, 44);
            if (capture == DemoDatabase.CAPTURED_2026_12_04) {
                irModelIds.putAll(Map.of("account.move", 449, "stock.picking", 503, "sale.order", 563));
            } else {
                database("ragmail_nostock");
                withoutModule("stock");
                withoutModule("delivery");
                irModelIds.putAll(Map.of("account.move", 443, "sale.order", 500));
            }
            return this;
        }

        public FakeOdooServer build() {
            return new FakeOdooServer(this);
        }
    }

    /** Whether this server has the model (a standard model removed with {@code withoutModel} is absent). */
    public boolean hasModel(String name) {
        return models.containsKey(name);
    }
}
