package io.ragmail.testkit.mistral;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The fake speaks Mistral's wire format to a plain HTTP client. */
class FakeMistralServerTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String CHAT = "{\"model\":\"mistral-small-latest\",\"messages\":[{\"role\":\"system\",\"content\":\"be brief\"},"
            + "{\"role\":\"user\",\"content\":\"Is ACE-1 in stock?\"}],\"response_format\":{\"type\":\"json_object\"},"
            + "\"temperature\":0.2,\"max_tokens\":100}";

    final FakeMistralServer server = FakeMistralServer.builder().apiKey("key-1").build();
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @AfterEach
    void stop() {
        server.close();
    }

    HttpResponse<String> post(String key, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getPort() + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void answers_a_chat_completion_shaped_like_mistrals() throws Exception {
        server.replyWith(r -> "{\"answer\":\"" + r.lastUser() + "\"}");

        HttpResponse<String> response = post("key-1", "/v1/chat/completions", CHAT);

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode root = JSON.readTree(response.body());
        assertThat(root.path("id").asText()).startsWith("cmpl-");
        assertThat(root.path("object").asText()).isEqualTo("chat.completion");
        assertThat(root.path("created").asLong()).isPositive();
        assertThat(root.path("model").asText()).isEqualTo("mistral-small-latest");
        JsonNode choice = root.path("choices").get(0);
        assertThat(choice.path("message").path("role").asText()).isEqualTo("assistant");
        assertThat(choice.path("message").path("content").asText()).isEqualTo("{\"answer\":\"Is ACE-1 in stock?\"}");
        assertThat(choice.path("finish_reason").asText()).isEqualTo("stop");
        JsonNode usage = root.path("usage");
        assertThat(usage.path("total_tokens").asLong())
                .isEqualTo(usage.path("prompt_tokens").asLong() + usage.path("completion_tokens").asLong());

        RecordedChatRequest recorded = server.requests().get(0);
        assertThat(recorded.jsonMode()).isTrue();
        assertThat(recorded.system()).isEqualTo("be brief");
        assertThat(recorded.temperature()).contains(0.2);
        assertThat(recorded.maxTokens()).contains(100);
        assertThat(recorded.status()).isEqualTo(200);
    }

    @Test
    void the_default_reply_is_a_json_object_in_json_mode_and_text_otherwise() throws Exception {
        JsonNode json = JSON.readTree(post("key-1", "/v1/chat/completions", CHAT).body());
        assertThat(JSON.readTree(json.at("/choices/0/message/content").asText()).path("echo").asText())
                .isEqualTo("Is ACE-1 in stock?");

        JsonNode text = JSON.readTree(post("key-1", "/v1/chat/completions", CHAT.replace("json_object", "text")).body());
        assertThat(text.at("/choices/0/message/content").asText()).isEqualTo("Echo: Is ACE-1 in stock?");
    }

    @Test
    void rejects_a_wrong_or_missing_key_with_401_and_records_no_key() throws Exception {
        HttpResponse<String> wrong = post("other", "/v1/chat/completions", CHAT);
        HttpResponse<String> missing = post(null, "/v1/chat/completions", CHAT);

        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(JSON.readTree(wrong.body()).path("message").asText()).isEqualTo("Unauthorized");
        assertThat(server.requests()).extracting(RecordedChatRequest::authorized).containsExactly(false, false);
        assertThat(server.requests().toString()).doesNotContain("key-1");
    }

    @Test
    void rejects_requests_without_model_or_messages_with_422() throws Exception {
        assertThat(post("key-1", "/v1/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .statusCode()).isEqualTo(422);
        assertThat(post("key-1", "/v1/chat/completions", "{\"model\":\"m\",\"messages\":[]}").statusCode()).isEqualTo(422);
        assertThat(post("key-1", "/v1/chat/completions", "{\"model\":\"m\",\"messages\":[{\"role\":\"wizard\",\"content\":\"x\"}]}")
                .statusCode()).isEqualTo(422);
        assertThat(post("key-1", "/v1/chat/completions", "not json").statusCode()).isEqualTo(422);
        assertThat(post("key-1", "/v1/models", CHAT).statusCode()).isEqualTo(404);
    }

    @Test
    void scripted_faults_answer_one_request_each_in_order() throws Exception {
        server.enqueue(MistralFault.rateLimited(Duration.ofSeconds(2)), MistralFault.contextTooLong(),
                MistralFault.serverError(503));

        HttpResponse<String> limited = post("key-1", "/v1/chat/completions", CHAT);
        HttpResponse<String> tooLong = post("key-1", "/v1/chat/completions", CHAT);
        HttpResponse<String> down = post("key-1", "/v1/chat/completions", CHAT);
        HttpResponse<String> fine = post("key-1", "/v1/chat/completions", CHAT);

        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).contains("2");
        assertThat(tooLong.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(tooLong.body()).path("message").asText()).contains("too large for model with", "maximum context length");
        assertThat(down.statusCode()).isEqualTo(503);
        assertThat(fine.statusCode()).isEqualTo(200);
    }

    @Test
    void a_truncated_body_fails_the_client_read() {
        server.enqueue(MistralFault.truncatedBody());

        assertThatThrownBy(() -> post("key-1", "/v1/chat/completions", CHAT)).isInstanceOf(java.io.IOException.class);
    }

    @Test
    void its_own_rate_limit_answers_429_with_retry_after_when_a_burst_exceeds_it() throws Exception {
        try (FakeMistralServer limited = FakeMistralServer.builder().apiKey("k").rateLimit(5).build()) {
            int tooMany = 0;
            String retryAfter = null;
            for (int i = 0; i < 12; i++) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(limited.baseUrl() + "/chat/completions"))
                        .header("Authorization", "Bearer k")
                        .POST(HttpRequest.BodyPublishers.ofString(CHAT)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 429) {
                    tooMany++;
                    retryAfter = r.headers().firstValue("Retry-After").orElse(null);
                }
            }
            assertThat(tooMany).isPositive();
            assertThat(limited.rateLimitedCount()).isEqualTo(tooMany);
            assertThat(retryAfter).isEqualTo("1");
        }
    }

    @Test
    void answers_embeddings_shaped_like_mistrals_and_records_each_batch() throws Exception {
        HttpResponse<String> response = post("key-1", "/v1/embeddings",
                "{\"model\":\"mistral-embed\",\"input\":[\"acetone in stock\",\"Lieferzeit\"],\"encoding_format\":\"float\"}");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode root = JSON.readTree(response.body());
        assertThat(root.path("id").asText()).isNotBlank();
        assertThat(root.path("object").asText()).isEqualTo("list");
        assertThat(root.path("model").asText()).isEqualTo("mistral-embed");
        assertThat(root.path("data")).hasSize(2);
        assertThat(root.path("data").get(1).path("object").asText()).isEqualTo("embedding");
        assertThat(root.path("data").get(1).path("index").asInt()).isEqualTo(1);
        assertThat(root.path("data").get(0).path("embedding")).hasSize(FakeMistralServer.EMBEDDING_DIMENSION);
        assertThat(root.path("usage").path("prompt_tokens").asLong()).isPositive();
        assertThat(root.path("usage").path("total_tokens").asLong()).isEqualTo(root.path("usage").path("prompt_tokens").asLong());
        assertThat(server.embeddingBatchSizes()).containsExactly(2);
        assertThat(server.embeddingRequests().get(0).inputs()).containsExactly("acetone in stock", "Lieferzeit");
        assertThat(server.requestCount()).as("chat requests").isZero();
    }

    @Test
    void embeddings_reject_a_wrong_key_with_401_and_honour_scripted_faults() throws Exception {
        String body = "{\"model\":\"mistral-embed\",\"input\":[\"x\"]}";
        assertThat(post("wrong", "/v1/embeddings", body).statusCode()).isEqualTo(401);
        assertThat(server.embeddingRequests().get(0).toString()).doesNotContain("wrong");

        server.enqueue(MistralFault.serverError(503));
        assertThat(post("key-1", "/v1/embeddings", body).statusCode()).isEqualTo(503);
        assertThat(post("key-1", "/v1/embeddings", body).statusCode()).isEqualTo(200);
        assertThat(post("key-1", "/v1/embeddings", "{\"input\":[\"x\"]}").statusCode()).isEqualTo(422);
        assertThat(server.embeddingRequests()).extracting(RecordedEmbeddingRequest::status).containsExactly(401, 503, 200, 422);
        assertThat(server.embeddingBatchSizes()).containsExactly(1);
    }

    @Test
    void fake_vectors_are_deterministic_unit_length_and_similar_only_for_shared_words() {
        float[] a = FakeMistralServer.fakeEmbedding("Acetone delivery time");
        assertThat(FakeMistralServer.fakeEmbedding("Acetone delivery time")).containsExactly(a);
        assertThat(dot(a, a)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
        assertThat(dot(a, FakeMistralServer.fakeEmbedding("delivery time of acetone"))).isGreaterThan(0.5);
        // no meaning: the German question shares no word with the English text
        assertThat(Math.abs(dot(a, FakeMistralServer.fakeEmbedding("Lieferzeit für Aceton")))).isLessThan(0.2);
        assertThat(dot(FakeMistralServer.fakeEmbedding(""), FakeMistralServer.fakeEmbedding(" - "))).isEqualTo(1.0);
    }

    private static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    @Test
    void builder_rejects_bad_settings_naming_them() {
        assertThatThrownBy(() -> FakeMistralServer.builder().apiKey(" ").build()).hasMessageContaining("apiKey");
        assertThatThrownBy(() -> FakeMistralServer.builder().threads(0).build()).hasMessageContaining("threads");
        assertThatThrownBy(() -> FakeMistralServer.builder().rateLimit(-1).build()).hasMessageContaining("rateLimit");
    }
}
