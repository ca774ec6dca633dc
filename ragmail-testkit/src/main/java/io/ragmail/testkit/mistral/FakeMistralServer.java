package io.ragmail.testkit.mistral;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * A real HTTP server on a free loopback port that speaks Mistral's chat completions API
 * ({@code POST /v1/chat/completions}): it checks the bearer key, the model and the messages, honours
 * JSON mode, answers with a real-shaped completion ({@code id}, {@code object}, {@code created},
 * {@code model}, {@code choices[0].message}, {@code finish_reason}, {@code usage}) and Mistral's error
 * bodies. Tests script it: canned or rule-based replies, latency, one-off faults
 * ({@link MistralFault}), and its own rate limit (429 when exceeded). It records what it received.
 *
 * <p>It also serves Mistral's embeddings API ({@code POST /v1/embeddings}, request
 * {@code {"model":"mistral-embed","input":[...]}}, response {@code {"id","object":"list","data":[{"object":
 * "embedding","embedding":[1024 floats],"index":i}],"model","usage"}}) with the same key check, rate
 * limit, latency and faults (one queue for both endpoints), and records each request with its batch
 * ({@link #embeddingRequests()}). Its vectors are a <b>hashed bag of words</b>
 * ({@link #fakeEmbedding(String)}): deterministic, unit length, and texts sharing words get similar
 * vectors. They carry <b>no meaning</b>: synonyms are unrelated and a German question is as far from
 * its English answer as from anything else, so a test over them checks mechanics (batches, calls,
 * re-embedding, failures), never multilingual retrieval quality.
 *
 * <pre>{@code
 * try (FakeMistralServer mistral = FakeMistralServer.builder().apiKey("test-key").build()) {
 *     mistral.replyWith(request -> "{\"reply\":\"Hello\"}");
 *     MistralDrafter drafter = MistralDrafter.builder().apiKey("test-key").baseUrl(mistral.baseUrl()).build();
 *     ...
 *     assertThat(mistral.requests()).hasSize(1);
 * }
 * }</pre>
 */
public final class FakeMistralServer implements Closeable {

    public static final String DEFAULT_API_KEY = "test-mistral-key";
    public static final int DEFAULT_THREADS = 64;
    public static final String CHAT_PATH = "/v1/chat/completions";
    public static final String EMBEDDINGS_PATH = "/v1/embeddings";
    /** The dimension of {@code mistral-embed}'s vectors, and of this server's. */
    public static final int EMBEDDING_DIMENSION = 1024;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String apiKey;
    private final HttpServer server;
    private final ExecutorService executor;
    private final ConcurrentLinkedQueue<MistralFault> faults = new ConcurrentLinkedQueue<>();
    private final Map<Integer, RecordedChatRequest> requests = new ConcurrentHashMap<>();
    private final AtomicInteger sequence = new AtomicInteger();
    private final Map<Integer, RecordedEmbeddingRequest> embeddingRequests = new ConcurrentHashMap<>();
    private final AtomicInteger embeddingSequence = new AtomicInteger();
    private final AtomicInteger rateLimitedByServer = new AtomicInteger();
    private final TokenBucket rateLimit;
    private volatile Function<RecordedChatRequest, String> replier;
    private volatile Duration latency;

    private FakeMistralServer(Builder b) throws IOException {
        this.apiKey = b.apiKey;
        this.latency = b.latency;
        this.replier = b.replier;
        this.rateLimit = b.requestsPerSecond > 0 ? new TokenBucket(b.requestsPerSecond) : null;
        AtomicInteger threadCount = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(b.threads, b.threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
                r -> {
                    Thread t = new Thread(r, "fake-mistral-" + threadCount.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), b.port), 128);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A server with the default key, no latency and no rate limit. */
    public static FakeMistralServer start() {
        return builder().build();
    }

    public int getPort() {
        return server.getAddress().getPort();
    }

    /** The base URL a Mistral client takes, such as {@code http://127.0.0.1:54321/v1}. */
    public String baseUrl() {
        return "http://127.0.0.1:" + getPort() + "/v1";
    }

    public String apiKey() {
        return apiKey;
    }

    /** Replies with the content this function returns for each well-formed request. */
    public FakeMistralServer replyWith(Function<RecordedChatRequest, String> replier) {
        this.replier = Objects.requireNonNull(replier, "replier");
        return this;
    }

    /** Replies with this content to every well-formed request. */
    public FakeMistralServer replyWith(String content) {
        Objects.requireNonNull(content, "content");
        return replyWith(request -> content);
    }

    /** Waits this long before answering each request (faults included). */
    public FakeMistralServer latency(Duration latency) {
        this.latency = Objects.requireNonNull(latency, "latency");
        return this;
    }

    /** Answers the next requests with these faults, one each, in order; later requests are answered normally. */
    public FakeMistralServer enqueue(MistralFault... next) {
        for (MistralFault fault : next) {
            faults.add(Objects.requireNonNull(fault, "fault"));
        }
        return this;
    }

    /** Every request received so far, in arrival order, with the status it was answered with (0 while unanswered). */
    public List<RecordedChatRequest> requests() {
        return inArrivalOrder(requests.values(), RecordedChatRequest::sequence);
    }

    /** How many chat completion requests were received (since the last {@link #reset()}). */
    public int requestCount() {
        return requests.size();
    }

    /** Every {@code /v1/embeddings} request received so far, in arrival order, with its status. */
    public List<RecordedEmbeddingRequest> embeddingRequests() {
        return inArrivalOrder(embeddingRequests.values(), RecordedEmbeddingRequest::sequence);
    }

    private static <T> List<T> inArrivalOrder(Collection<T> recorded, ToIntFunction<T> sequence) {
        return recorded.stream().sorted(Comparator.comparingInt(sequence)).toList();
    }

    /** How many {@code /v1/embeddings} requests were received (since the last {@link #reset()}). */
    public int embeddingRequestCount() {
        return embeddingRequests.size();
    }

    /** The batch size of every {@code /v1/embeddings} request answered with 200, in arrival order. */
    public List<Integer> embeddingBatchSizes() {
        return embeddingRequests().stream().filter(r -> r.status() == 200).map(RecordedEmbeddingRequest::batchSize).toList();
    }

    /** How many texts were embedded (answered with 200) in total. */
    public int embeddedTextCount() {
        return embeddingBatchSizes().stream().mapToInt(Integer::intValue).sum();
    }

    /** How many requests the server's own rate limit refused with 429. */
    public int rateLimitedCount() {
        return rateLimitedByServer.get();
    }

    /** How many requests were answered with this status (scripted faults included). */
    public long countStatus(int status) {
        return requests.values().stream().filter(r -> r.status() == status).count();
    }

    /** Forgets recorded requests (chat and embeddings) and pending faults. */
    public void reset() {
        requests.clear();
        embeddingRequests.clear();
        faults.clear();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    // ---------------------------------------------------------------------------------------------

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = readBody(exchange.getRequestBody());
            if ("POST".equals(exchange.getRequestMethod()) && EMBEDDINGS_PATH.equals(exchange.getRequestURI().getPath())) {
                handleEmbeddings(exchange, body);
                return;
            }
            if (!"POST".equals(exchange.getRequestMethod()) || !CHAT_PATH.equals(exchange.getRequestURI().getPath())) {
                send(exchange, 404, "{\"detail\":\"Not Found\"}");
                return;
            }
            int seq = sequence.incrementAndGet();
            long arrived = System.nanoTime();
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            boolean authorized = ("Bearer " + apiKey).equals(auth);
            RecordedChatRequest recorded = parse(seq, arrived, authorized, body);
            requests.put(seq, recorded);
            RecordedChatRequest answered = answer(exchange, recorded);
            requests.put(seq, answered);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private RecordedChatRequest answer(HttpExchange exchange, RecordedChatRequest request)
            throws IOException, InterruptedException {
        Refusal refusal = admit(exchange, request.authorized());
        if (refusal != null) {
            return respond(exchange, request, refusal.status(), refusal.body());
        }
        MistralFault fault = faults.poll();
        if (fault != null) {
            return answerFault(exchange, request, fault);
        }
        String problem = validate(request);
        if (problem != null) {
            return respond(exchange, request, 422, errorJson(problem, "invalid_request_message_error"));
        }
        return respond(exchange, request, 200, completion(request, replier.apply(request)));
    }

    private RecordedChatRequest answerFault(HttpExchange exchange, RecordedChatRequest request, MistralFault fault)
            throws IOException, InterruptedException {
        if (fault instanceof MistralFault.RateLimited r) {
            return rateLimited(exchange, request, Math.max(0, (r.retryAfter().toMillis() + 999) / 1000));
        } else if (fault instanceof MistralFault.Status s) {
            return respond(exchange, request, s.status(), s.body());
        } else if (fault instanceof MistralFault.Hang h) {
            Thread.sleep(h.duration().toMillis());
            return respond(exchange, request, 504, errorJson("hung", "internal_server_error"));
        } else if (fault instanceof MistralFault.StallAfterHeaders stall) {
            byte[] bytes = completion(request, "this answer stalls half way").getBytes(StandardCharsets.UTF_8);
            RecordedChatRequest answered = recordStatus(request, 200);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            OutputStream out = exchange.getResponseBody();
            out.write(bytes, 0, bytes.length / 2);
            out.flush();
            Thread.sleep(stall.duration().toMillis());
            out.write(bytes, bytes.length / 2, bytes.length - bytes.length / 2);
            return answered;
        } else if (fault instanceof MistralFault.OversizedBody big) {
            byte[] head = completion(request, replier.apply(request)).getBytes(StandardCharsets.UTF_8);
            RecordedChatRequest answered = recordStatus(request, 200);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, 0);
            OutputStream out = exchange.getResponseBody();
            out.write(head);
            byte[] padding = new byte[64 * 1024];
            Arrays.fill(padding, (byte) ' ');
            try {
                for (long sent = head.length; sent < big.bytes(); sent += padding.length) {
                    out.write(padding, 0, (int) Math.min(padding.length, big.bytes() - sent));
                }
            } catch (IOException clientHungUp) {
                // The client stopped reading, as it should past its limit.
            }
            return answered;
        } else if (fault instanceof MistralFault.Truncated) {
            byte[] bytes = completion(request, "this body is cut short").getBytes(StandardCharsets.UTF_8);
            RecordedChatRequest answered = recordStatus(request, 200);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            OutputStream out = exchange.getResponseBody();
            out.write(bytes, 0, bytes.length / 2);
            out.flush();
            // Closing the exchange with bytes missing makes the JDK server drop the connection.
            return answered;
        } else if (fault instanceof MistralFault.NonJsonBody) {
            RecordedChatRequest answered = recordStatus(request, 200);
            exchange.getResponseHeaders().set("Content-Type", "text/html");
            byte[] bytes = "<html><body><h1>502 Bad Gateway</h1></body></html>".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            return answered;
        } else if (fault instanceof MistralFault.Content c) {
            return respond(exchange, request, 200, completion(request, c.content()));
        }
        throw new IllegalStateException("unknown fault " + fault);
    }

    // ------------------------------------------------------------------------------ embeddings

    private void handleEmbeddings(HttpExchange exchange, String body) throws IOException, InterruptedException {
        int seq = embeddingSequence.incrementAndGet();
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        RecordedEmbeddingRequest request = parseEmbedding(seq, ("Bearer " + apiKey).equals(auth), body);
        embeddingRequests.put(seq, request);
        int status = answerEmbeddings(exchange, request);
        embeddingRequests.put(seq, request.withStatus(status));
    }

    /** Answers and returns the status; the status is recorded before the body is sent. */
    private int answerEmbeddings(HttpExchange exchange, RecordedEmbeddingRequest request) throws IOException, InterruptedException {
        Refusal refusal = admit(exchange, request.authorized());
        if (refusal != null) {
            return sendEmbedding(exchange, request, refusal.status(), refusal.body());
        }
        MistralFault fault = faults.poll();
        if (fault != null) {
            return answerEmbeddingFault(exchange, request, fault);
        }
        if (request.model().isBlank()) {
            return sendEmbedding(exchange, request, 422, errorJson("model: Field required", "invalid_request_message_error"));
        }
        if (request.inputs().isEmpty()) {
            return sendEmbedding(exchange, request, 422,
                    errorJson("input: List should have at least 1 item after validation, not 0", "invalid_request_message_error"));
        }
        return sendEmbedding(exchange, request, 200, embeddingResponse(request));
    }

    private int answerEmbeddingFault(HttpExchange exchange, RecordedEmbeddingRequest request, MistralFault fault)
            throws IOException, InterruptedException {
        if (fault instanceof MistralFault.RateLimited r) {
            exchange.getResponseHeaders().set("Retry-After", Long.toString(Math.max(0, (r.retryAfter().toMillis() + 999) / 1000)));
            return sendEmbedding(exchange, request, 429, "{\"message\":\"Requests rate limit exceeded\",\"request_id\":\""
                    + requestId() + "\"}");
        } else if (fault instanceof MistralFault.Status s) {
            return sendEmbedding(exchange, request, s.status(), s.body());
        } else if (fault instanceof MistralFault.Hang h) {
            Thread.sleep(h.duration().toMillis());
            return sendEmbedding(exchange, request, 504, errorJson("hung", "internal_server_error"));
        } else if (fault instanceof MistralFault.NonJsonBody) {
            embeddingRequests.put(request.sequence(), request.withStatus(200));
            byte[] bytes = "<html><body><h1>502 Bad Gateway</h1></body></html>".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            return 200;
        } else if (fault instanceof MistralFault.Truncated || fault instanceof MistralFault.StallAfterHeaders) {
            embeddingRequests.put(request.sequence(), request.withStatus(200));
            byte[] bytes = embeddingResponse(request).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            OutputStream out = exchange.getResponseBody();
            out.write(bytes, 0, bytes.length / 2);
            out.flush();
            if (fault instanceof MistralFault.StallAfterHeaders stall) {
                Thread.sleep(stall.duration().toMillis());
                out.write(bytes, bytes.length / 2, bytes.length - bytes.length / 2);
            }
            // a truncated body: closing the exchange with bytes missing makes the JDK server drop the connection
            return 200;
        }
        // OversizedBody and Content concern chat replies; an embedding request is answered normally
        return sendEmbedding(exchange, request, 200, embeddingResponse(request));
    }

    private int sendEmbedding(HttpExchange exchange, RecordedEmbeddingRequest request, int status, String json) throws IOException {
        embeddingRequests.put(request.sequence(), request.withStatus(status));
        send(exchange, status, json);
        return status;
    }

    private static RecordedEmbeddingRequest parseEmbedding(int seq, boolean authorized, String body) {
        try {
            JsonNode root = JSON.readTree(body);
            List<String> inputs = new ArrayList<>();
            JsonNode input = root.path("input");
            if (input.isArray()) {
                input.forEach(text -> inputs.add(text.asText("")));
            } else if (input.isTextual()) {
                inputs.add(input.asText());
            }
            return new RecordedEmbeddingRequest(seq, authorized, root.path("model").asText(""), inputs, 0);
        } catch (IOException | RuntimeException e) {
            return new RecordedEmbeddingRequest(seq, authorized, "", List.of(), 0);
        }
    }

    private static String embeddingResponse(RecordedEmbeddingRequest request) {
        ObjectNode root = JSON.createObjectNode();
        root.put("id", "embd-" + UUID.randomUUID().toString().replace("-", ""));
        root.put("object", "list");
        ArrayNode data = root.putArray("data");
        long tokens = 0;
        for (int i = 0; i < request.inputs().size(); i++) {
            ObjectNode item = data.addObject();
            item.put("object", "embedding");
            ArrayNode vector = item.putArray("embedding");
            for (float value : fakeEmbedding(request.inputs().get(i))) {
                vector.add(value);
            }
            item.put("index", i);
            tokens += Math.max(1, request.inputs().get(i).length() / 4);
        }
        root.put("model", request.model());
        ObjectNode usage = root.putObject("usage");
        usage.put("prompt_tokens", tokens);
        usage.put("total_tokens", tokens);
        usage.put("completion_tokens", 0);
        return root.toString();
    }

    /**
     * The fake's vector for a text: a hashed bag of its lower-cased words (runs of letters and digits),
     * each word adding ±1 at one of {@value #EMBEDDING_DIMENSION} positions, normalised to unit length.
     * Deterministic; texts sharing words are similar (cosine above 0), texts sharing none are near 0.
     * <b>Meaningless across languages and across synonyms</b>: "Lieferzeit" and "delivery time" share
     * nothing. A text without words gets a fixed unit vector (never the zero vector, which cosine
     * similarity cannot use).
     */
    public static float[] fakeEmbedding(String text) {
        float[] vector = new float[EMBEDDING_DIMENSION];
        String lower = text.toLowerCase(java.util.Locale.ROOT);
        int start = -1;
        for (int i = 0; i <= lower.length(); i++) {
            boolean wordChar = i < lower.length() && Character.isLetterOrDigit(lower.charAt(i));
            if (wordChar && start < 0) {
                start = i;
            } else if (!wordChar && start >= 0) {
                int hash = lower.substring(start, i).hashCode() * 0x9E3779B1;
                vector[Math.floorMod(hash, EMBEDDING_DIMENSION)] += ((hash >>> 20) & 1) == 0 ? 1f : -1f;
                start = -1;
            }
        }
        double norm = 0;
        for (float v : vector) {
            norm += v * v;
        }
        if (norm == 0) {
            vector[0] = 1f;
            return vector;
        }
        float scale = (float) (1 / Math.sqrt(norm));
        for (int i = 0; i < vector.length; i++) {
            vector[i] *= scale;
        }
        return vector;
    }

    /** Mistral's 429 with a {@code Retry-After} in whole seconds. */
    /**
     * What chat and embedding requests go through alike before they are answered: the configured
     * latency, the API key (401) and the server's own rate limit (429 with {@code Retry-After}, set on
     * the exchange here). {@code null} when the request may be answered.
     */
    private Refusal admit(HttpExchange exchange, boolean authorized) throws InterruptedException {
        Duration wait = latency;
        if (!wait.isZero()) {
            Thread.sleep(wait.toMillis());
        }
        if (!authorized) {
            return new Refusal(401, "{\"message\":\"Unauthorized\",\"request_id\":\"" + requestId() + "\"}");
        }
        if (rateLimit != null) {
            long waitNanos = rateLimit.tryTake();
            if (waitNanos > 0) {
                rateLimitedByServer.incrementAndGet();
                exchange.getResponseHeaders().set("Retry-After",
                        Long.toString(Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L)));
                return new Refusal(429, "{\"message\":\"Requests rate limit exceeded\",\"request_id\":\"" + requestId() + "\"}");
            }
        }
        return null;
    }

    private record Refusal(int status, String body) {
    }

    private RecordedChatRequest rateLimited(HttpExchange exchange, RecordedChatRequest request, long retryAfterSeconds)
            throws IOException {
        exchange.getResponseHeaders().set("Retry-After", Long.toString(retryAfterSeconds));
        return respond(exchange, request, 429, "{\"message\":\"Requests rate limit exceeded\",\"request_id\":\""
                + requestId() + "\"}");
    }

    private static String validate(RecordedChatRequest request) {
        if (request.model().isBlank()) {
            return "model: Field required";
        }
        if (request.messages().isEmpty()) {
            return "messages: List should have at least 1 item after validation, not 0";
        }
        for (RecordedChatRequest.Message m : request.messages()) {
            if (!List.of("system", "user", "assistant", "tool").contains(m.role())) {
                return "messages: unknown role '" + m.role() + "'";
            }
        }
        String last = request.messages().get(request.messages().size() - 1).role();
        if (!last.equals("user") && !last.equals("tool")) {
            return "messages: the last message must have role user or tool";
        }
        String format = request.responseFormatType();
        if (!format.isEmpty() && !List.of("text", "json_object", "json_schema").contains(format)) {
            return "response_format.type: Input should be 'text', 'json_object' or 'json_schema'";
        }
        return null;
    }

    private RecordedChatRequest parse(int seq, long arrived, boolean authorized, String body) {
        try {
            JsonNode root = JSON.readTree(body);
            List<RecordedChatRequest.Message> messages = new ArrayList<>();
            for (JsonNode m : root.path("messages")) {
                messages.add(new RecordedChatRequest.Message(m.path("role").asText(""), contentText(m.path("content"))));
            }
            Optional<Double> temperature = root.hasNonNull("temperature")
                    ? Optional.of(root.get("temperature").asDouble()) : Optional.empty();
            Optional<Integer> maxTokens = root.hasNonNull("max_tokens")
                    ? Optional.of(root.get("max_tokens").asInt()) : Optional.empty();
            return new RecordedChatRequest(seq, arrived, authorized, root.path("model").asText(""), messages,
                    root.path("response_format").path("type").asText(""), temperature, maxTokens, body, 0);
        } catch (IOException | RuntimeException e) {
            return new RecordedChatRequest(seq, arrived, authorized, "", List.of(), "", Optional.empty(), Optional.empty(),
                    body, 0);
        }
    }

    /** Mistral accepts content as a string or as an array of chunks ({@code {"type":"text","text":...}}). */
    private static String contentText(JsonNode content) {
        if (content.isArray()) {
            StringBuilder sb = new StringBuilder();
            for (JsonNode chunk : content) {
                if ("text".equals(chunk.path("type").asText("text"))) {
                    sb.append(chunk.path("text").asText(""));
                }
            }
            return sb.toString();
        }
        return content.asText("");
    }

    private String completion(RecordedChatRequest request, String content) {
        ObjectNode root = JSON.createObjectNode();
        root.put("id", requestId());
        root.put("object", "chat.completion");
        root.put("created", System.currentTimeMillis() / 1000);
        root.put("model", request.model());
        ArrayNode choices = root.putArray("choices");
        ObjectNode choice = choices.addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        message.put("content", content);
        message.putNull("tool_calls");
        choice.put("finish_reason", "stop");
        long prompt = Math.max(1, request.messages().stream().mapToLong(m -> m.content().length()).sum() / 4);
        long completion = Math.max(1, content.length() / 4);
        ObjectNode usage = root.putObject("usage");
        usage.put("prompt_tokens", prompt);
        usage.put("completion_tokens", completion);
        usage.put("total_tokens", prompt + completion);
        return root.toString();
    }

    private static String errorJson(String message, String type) {
        ObjectNode root = JSON.createObjectNode();
        root.put("object", "error");
        root.put("message", message);
        root.put("type", type);
        root.putNull("param");
        root.putNull("code");
        return root.toString();
    }

    /** Records the status before answering, so a client that got the answer sees it recorded. */
    private RecordedChatRequest respond(HttpExchange exchange, RecordedChatRequest request, int status, String json)
            throws IOException {
        RecordedChatRequest answered = recordStatus(request, status);
        send(exchange, status, json);
        return answered;
    }

    private RecordedChatRequest recordStatus(RecordedChatRequest request, int status) {
        RecordedChatRequest answered = request.withStatus(status);
        requests.put(answered.sequence(), answered);
        return answered;
    }

    private static void send(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static String readBody(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    private static String requestId() {
        return "cmpl-" + UUID.randomUUID().toString().replace("-", "");
    }

    /** The default reply: in JSON mode a JSON object echoing the last user message, otherwise plain text. */
    static String defaultReply(RecordedChatRequest request) {
        String last = request.lastUser();
        if (request.jsonMode()) {
            ObjectNode node = JSON.createObjectNode();
            node.put("echo", last);
            return node.toString();
        }
        return "Echo: " + last;
    }

    /** A token bucket refilled at {@code rate} per second holding at most {@code max(1, rate)} tokens. */
    private static final class TokenBucket {
        private final double rate;
        private final double capacity;
        private double tokens;
        private long last = System.nanoTime();

        TokenBucket(double rate) {
            this.rate = rate;
            this.capacity = Math.max(1, rate);
            this.tokens = capacity;
        }

        /** Takes a token and returns 0, or returns how many nanoseconds until one is available. */
        synchronized long tryTake() {
            long now = System.nanoTime();
            tokens = Math.min(capacity, tokens + (now - last) / 1e9 * rate);
            last = now;
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return (long) Math.ceil((1 - tokens) / rate * 1e9);
        }
    }

    /** Builds a {@link FakeMistralServer}; {@link #build()} starts it. */
    public static final class Builder {
        private String apiKey = DEFAULT_API_KEY;
        private int port = 0;
        private int threads = DEFAULT_THREADS;
        private Duration latency = Duration.ZERO;
        private double requestsPerSecond = 0;
        private Function<RecordedChatRequest, String> replier = FakeMistralServer::defaultReply;

        private Builder() {
        }

        /** The key clients must send as {@code Authorization: Bearer <key>}. */
        public Builder apiKey(String apiKey) {
            this.apiKey = apiKey;
            return this;
        }

        /** The port; 0 (default) picks a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** How many requests it serves at once (each hung or slow request holds one). */
        public Builder threads(int threads) {
            this.threads = threads;
            return this;
        }

        public Builder latency(Duration latency) {
            this.latency = latency;
            return this;
        }

        /** The server's own rate limit; requests beyond it get 429 with {@code Retry-After}. 0 = none. */
        public Builder rateLimit(double requestsPerSecond) {
            this.requestsPerSecond = requestsPerSecond;
            return this;
        }

        public Builder replyWith(Function<RecordedChatRequest, String> replier) {
            this.replier = replier;
            return this;
        }

        /** Replies with this content to every well-formed request. */
        public Builder replyWith(String content) {
            Objects.requireNonNull(content, "content");
            this.replier = request -> content;
            return this;
        }

        public FakeMistralServer build() {
            if (apiKey == null || apiKey.isBlank()) {
                throw new IllegalArgumentException("apiKey must not be blank");
            }
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be within 0..65535, was " + port);
            }
            if (threads < 1) {
                throw new IllegalArgumentException("threads must be at least 1, was " + threads);
            }
            Objects.requireNonNull(latency, "latency");
            if (latency.isNegative()) {
                throw new IllegalArgumentException("latency must not be negative, was " + latency);
            }
            if (!(requestsPerSecond >= 0)) {
                throw new IllegalArgumentException("rateLimit must be at least 0, was " + requestsPerSecond);
            }
            Objects.requireNonNull(replier, "replier");
            try {
                return new FakeMistralServer(this);
            } catch (IOException e) {
                throw new IllegalStateException("cannot start the fake Mistral server: " + e.getMessage(), e);
            }
        }
    }
}
