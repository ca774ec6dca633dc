package io.ragmail.core;

import java.time.Duration;
import java.util.Optional;

/**
 * A fault that may pass if the same work is tried again later: a timeout, a dropped connection, a
 * server that answered 429 or 5xx, a dependency that is down. The pipeline schedules the mail for a
 * later attempt; nothing is lost.
 */
public class RetriableException extends RagmailException {

    private static final long serialVersionUID = 1L;

    private final Duration retryAfter;

    public RetriableException(String component, String message) {
        this(component, message, null, null);
    }

    public RetriableException(String component, String message, Throwable cause) {
        this(component, message, cause, null);
    }

    public RetriableException(String component, String message, Throwable cause, Duration retryAfter) {
        super(component, message, cause);
        this.retryAfter = retryAfter;
    }

    /** How long the failing service asked us to wait ({@code Retry-After}), when it said so. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
