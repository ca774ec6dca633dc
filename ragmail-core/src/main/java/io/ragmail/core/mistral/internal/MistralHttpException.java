package io.ragmail.core.mistral.internal;

import dev.langchain4j.exception.HttpException;

import java.time.Duration;
import java.util.Optional;

/**
 * A non-2xx answer from Mistral, thrown by {@link JdkMistralHttpClient} so that the status, the
 * {@code Retry-After} header and Mistral's error message survive langchain4j's exception mapping (its
 * own {@link HttpException} keeps only status and body).
 */
public final class MistralHttpException extends HttpException {

    private static final long serialVersionUID = 1L;

    private final transient Duration retryAfter;

    public MistralHttpException(int statusCode, String body, Duration retryAfter) {
        super(statusCode, body);
        this.retryAfter = retryAfter;
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
