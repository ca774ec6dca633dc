package io.ragmail.testkit.mistral;

import java.time.Duration;
import java.util.Objects;

/**
 * A scripted misbehaviour of {@link FakeMistralServer} for one request, queued with
 * {@link FakeMistralServer#enqueue(MistralFault...)}. Each fault answers exactly one request, in order.
 *
 * <pre>{@code
 * server.enqueue(MistralFault.rateLimited(Duration.ofSeconds(1)), MistralFault.serverError(503));
 * }</pre>
 */
public sealed interface MistralFault {

    /** 429 with {@code Retry-After} (whole seconds, rounded up) and Mistral's error JSON. */
    static MistralFault rateLimited(Duration retryAfter) {
        return new RateLimited(retryAfter);
    }

    /** 401 with Mistral's error JSON, whatever key was sent. */
    static MistralFault unauthorized() {
        return new Status(401, "{\"message\":\"Unauthorized\",\"request_id\":\"fake\"}");
    }

    /** 403 with Mistral's error JSON. */
    static MistralFault forbidden() {
        return new Status(403, "{\"message\":\"Forbidden\",\"request_id\":\"fake\"}");
    }

    /** 400: the prompt is longer than the model's context window. */
    static MistralFault contextTooLong() {
        return new Status(400, "{\"object\":\"error\",\"message\":\"Prompt contains 40960 tokens and 0 draft tokens, "
                + "too large for model with 32768 maximum context length\",\"type\":\"invalid_request_error\","
                + "\"param\":null,\"code\":\"3051\"}");
    }

    /** A 5xx (500, 502, 503, 504) with an error JSON body. */
    static MistralFault serverError(int status) {
        if (status < 500 || status > 599) {
            throw new IllegalArgumentException("status must be 5xx, was " + status);
        }
        return new Status(status, "{\"object\":\"error\",\"message\":\"Service unavailable\",\"type\":\"internal_server_error\","
                + "\"param\":null,\"code\":null}");
    }

    /** Accepts the request and answers nothing for this long (longer than the client's timeout). */
    static MistralFault hang(Duration duration) {
        return new Hang(duration);
    }

    /**
     * 200 with its headers and the first half of a completion at once, then nothing for this long
     * before the rest: a timeout that covers only the response headers never fires.
     */
    static MistralFault stallAfterHeaders(Duration duration) {
        return new StallAfterHeaders(duration);
    }

    /** 200 with the usual completion followed by JSON whitespace up to this many bytes, sent in chunks. */
    static MistralFault oversizedBody(long bytes) {
        return new OversizedBody(bytes);
    }

    /** 200 with a {@code Content-Length} larger than the bytes sent before the connection closes. */
    static MistralFault truncatedBody() {
        return new Truncated();
    }

    /** 200 with an HTML body instead of JSON, as a misconfigured proxy would send. */
    static MistralFault nonJsonBody() {
        return new NonJsonBody();
    }

    /** A well-formed completion whose message content is exactly this text (for example, not JSON). */
    static MistralFault content(String content) {
        return new Content(content);
    }

    record RateLimited(Duration retryAfter) implements MistralFault {
        public RateLimited {
            Objects.requireNonNull(retryAfter, "retryAfter");
        }
    }

    record Status(int status, String body) implements MistralFault {
    }

    record Hang(Duration duration) implements MistralFault {
        public Hang {
            Objects.requireNonNull(duration, "duration");
        }
    }

    record StallAfterHeaders(Duration duration) implements MistralFault {
        public StallAfterHeaders {
            Objects.requireNonNull(duration, "duration");
        }
    }

    record OversizedBody(long bytes) implements MistralFault {
        public OversizedBody {
            if (bytes <= 0) {
                throw new IllegalArgumentException("bytes must be positive, was " + bytes);
            }
        }
    }

    record Truncated() implements MistralFault {
    }

    record NonJsonBody() implements MistralFault {
    }

    record Content(String content) implements MistralFault {
        public Content {
            Objects.requireNonNull(content, "content");
        }
    }
}
