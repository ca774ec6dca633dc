package io.ragmail.examples.drafter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A small HTTP server on a free loopback port that speaks the OpenAI chat-completions API
 * ({@code POST /v1/chat/completions}) as OpenAI, Ollama and vLLM do: it checks the bearer key, answers
 * with a completion of the real shape (choices, message, finish_reason, usage) or with OpenAI's error
 * body, and records each request's JSON.
 */
final class FakeOpenAiServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final String apiKey;
    private final List<JsonNode> requests = new CopyOnWriteArrayList<>();
    private final Queue<Integer> failures = new ConcurrentLinkedQueue<>();
    private volatile Function<JsonNode, String> replier = request -> "{}";

    FakeOpenAiServer(String apiKey) throws IOException {
        this.apiKey = apiKey;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/chat/completions", this::handle);
        server.start();
    }

    /** What ends in {@code /v1}, as a user configures it. */
    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    /** The assistant message's content, from the request's JSON body. */
    FakeOpenAiServer replyWith(Function<JsonNode, String> replier) {
        this.replier = replier;
        return this;
    }

    /** The next request fails with this HTTP status and OpenAI's error body. */
    FakeOpenAiServer failNextWith(int status) {
        failures.add(status);
        return this;
    }

    List<JsonNode> requests() {
        return List.copyOf(requests);
    }

    /** The text of a request's user message: the passages, the facts and the mail. */
    static String userMessage(JsonNode request) {
        for (JsonNode message : request.path("messages")) {
            if ("user".equals(message.path("role").asText())) {
                return message.path("content").asText();
            }
        }
        return "";
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            JsonNode request = JSON.readTree(exchange.getRequestBody());
            requests.add(request);
            if (!"POST".equals(exchange.getRequestMethod())) {
                send(exchange, 405, error("method not allowed", "invalid_request_error", null));
            } else if (!("Bearer " + apiKey).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                send(exchange, 401, error("Incorrect API key provided.", "invalid_request_error", "invalid_api_key"));
            } else if (!failures.isEmpty()) {
                int status = failures.poll();
                send(exchange, status, error("The server had an error while processing your request.", "server_error", null));
            } else {
                send(exchange, 200, completion(request, replier.apply(request)));
            }
        }
    }

    private static String completion(JsonNode request, String content) {
        ObjectNode root = JSON.createObjectNode();
        root.put("id", "chatcmpl-" + UUID.randomUUID().toString().replace("-", ""));
        root.put("object", "chat.completion");
        root.put("created", System.currentTimeMillis() / 1000);
        root.put("model", request.path("model").asText());
        ObjectNode choice = root.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        message.put("content", content);
        message.putNull("refusal");
        choice.putNull("logprobs");
        choice.put("finish_reason", "stop");
        int prompt = request.path("messages").toString().length() / 4;
        int completion = Math.max(1, content.length() / 4);
        ObjectNode usage = root.putObject("usage");
        usage.put("prompt_tokens", prompt);
        usage.put("completion_tokens", completion);
        usage.put("total_tokens", prompt + completion);
        root.put("system_fingerprint", "fp_fake");
        return root.toString();
    }

    private static String error(String message, String type, String code) {
        ObjectNode error = JSON.createObjectNode();
        ObjectNode body = error.putObject("error");
        body.put("message", message);
        body.put("type", type);
        body.putNull("param");
        body.put("code", code);
        return error.toString();
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
