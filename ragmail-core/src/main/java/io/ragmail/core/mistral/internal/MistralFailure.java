package io.ragmail.core.mistral.internal;

import com.fasterxml.jackson.core.JsonProcessingException;

import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * One failed call to Mistral, classified by what the caller should do. Built from whatever
 * langchain4j threw by walking the cause chain; the message never holds the API key or the prompt.
 */
public final class MistralFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** What went wrong. */
    public enum Kind {
        /** 401/403: the key was rejected. Not retried. */
        AUTHENTICATION(false),
        /** 429. Retried, honouring Retry-After. */
        RATE_LIMITED(true),
        /** 5xx or 408. Retried. */
        SERVER_ERROR(true),
        /** No answer within the timeout. Retried. */
        TIMEOUT(true),
        /** Connection refused, reset, or a body cut short. Retried. */
        CONNECTION(true),
        /** A 2xx whose body is not a chat completion (a proxy's HTML page, say). Retried. */
        BAD_RESPONSE(true),
        /** 400: the prompt exceeds the model's context window. The drafter shrinks the passages. */
        CONTEXT_TOO_LONG(false),
        /** Another 4xx: the request itself is wrong (unknown model, invalid parameter). Not retried. */
        REJECTED(false),
        /** The calling thread was interrupted. */
        INTERRUPTED(false);

        private final boolean transientFault;

        Kind(boolean transientFault) {
            this.transientFault = transientFault;
        }

        public boolean isTransient() {
            return transientFault;
        }
    }

    private final Kind kind;
    private final int status;
    private final transient Duration retryAfter;

    public MistralFailure(Kind kind, int status, String message, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.status = status;
        this.retryAfter = retryAfter;
    }

    public Kind kind() {
        return kind;
    }

    /** The HTTP status, 0 when there was no answer. */
    public int status() {
        return status;
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    public boolean isTransient() {
        return kind.isTransient();
    }

    /** Classifies what a langchain4j call threw. */
    public static MistralFailure classify(Throwable thrown) {
        if (thrown instanceof MistralFailure f) {
            return f;
        }
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (t instanceof MistralHttpException http) {
                return fromStatus(http, thrown);
            }
            if (t instanceof HttpTimeoutException) {
                return new MistralFailure(Kind.TIMEOUT, 0, "Mistral did not answer within the timeout", null, thrown);
            }
            if (t instanceof InterruptedIOException || t instanceof InterruptedException) {
                return new MistralFailure(Kind.INTERRUPTED, 0, "interrupted while waiting for Mistral", null, thrown);
            }
            if (t instanceof ConnectException) {
                return new MistralFailure(Kind.CONNECTION, 0, "cannot connect to Mistral (" + (safe(t.getMessage()).isEmpty() ? "connection refused" : t.getMessage()) + ")", null, thrown);
            }
            if (t instanceof JsonProcessingException) {
                return new MistralFailure(Kind.BAD_RESPONSE, 200,
                        "Mistral answered with a body that is not a chat completion", null, thrown);
            }
            if (t instanceof java.io.IOException) {
                return new MistralFailure(Kind.CONNECTION, 0,
                        "the connection to Mistral failed: " + t.getClass().getSimpleName() + " " + safe(t.getMessage()),
                        null, thrown);
            }
        }
        return new MistralFailure(Kind.BAD_RESPONSE, 0,
                "unexpected answer from Mistral: " + thrown.getClass().getSimpleName(), null, thrown);
    }

    private static MistralFailure fromStatus(MistralHttpException http, Throwable thrown) {
        int status = http.statusCode();
        String body = safe(http.getMessage());
        Duration retryAfter = http.retryAfter().orElse(null);
        if (status == 401 || status == 403) {
            return new MistralFailure(Kind.AUTHENTICATION, status,
                    "Mistral rejected the API key (HTTP " + status + ")", null, null);
        }
        if (status == 429) {
            return new MistralFailure(Kind.RATE_LIMITED, status, "Mistral rate limit exceeded (HTTP 429)", retryAfter, thrown);
        }
        if (status == 408 || status >= 500) {
            return new MistralFailure(Kind.SERVER_ERROR, status, "Mistral failed (HTTP " + status + ")", retryAfter, thrown);
        }
        String lower = body.toLowerCase(Locale.ROOT);
        if (status == 400 && (lower.contains("context length") || lower.contains("too large for model")
                || lower.contains("context_length"))) {
            return new MistralFailure(Kind.CONTEXT_TOO_LONG, status,
                    "the prompt is too long for the model's context window (HTTP 400)", null, thrown);
        }
        return new MistralFailure(Kind.REJECTED, status, "Mistral rejected the request (HTTP " + status + "): "
                + shorten(body), null, thrown);
    }

    private static String safe(String s) {
        return s == null ? "" : s;
    }

    private static String shorten(String s) {
        return s.length() <= 300 ? s : s.substring(0, 300) + "...";
    }
}
