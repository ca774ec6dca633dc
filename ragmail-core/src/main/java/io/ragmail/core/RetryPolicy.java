package io.ragmail.core;

import io.github.resilience4j.core.IntervalFunction;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * When a mail whose processing failed with a passing fault is tried again: exponential backoff with
 * jitter (resilience4j's {@link IntervalFunction}), honouring a server's {@code Retry-After} when it
 * asks for longer, and at most {@code maxAttempts} attempts before the mail goes to the failed-mail
 * queue (DEAD).
 *
 * <pre>{@code
 * RetryPolicy policy = RetryPolicy.builder().maxAttempts(6).initialDelay(Duration.ofMinutes(1)).build();
 * }</pre>
 */
public final class RetryPolicy {

    public static final int DEFAULT_MAX_ATTEMPTS = 8;
    public static final Duration DEFAULT_INITIAL_DELAY = Duration.ofSeconds(30);
    public static final double DEFAULT_MULTIPLIER = 2.0;
    public static final double DEFAULT_JITTER = 0.25;
    public static final Duration DEFAULT_MAX_DELAY = Duration.ofHours(1);

    private final int maxAttempts;
    private final Duration maxDelay;
    private final IntervalFunction interval;

    private RetryPolicy(Builder b) {
        this.maxAttempts = b.maxAttempts;
        this.maxDelay = b.maxDelay;
        this.interval = IntervalFunction.ofExponentialRandomBackoff(b.initialDelay, b.multiplier, b.jitter, b.maxDelay);
    }

    public static RetryPolicy ofDefaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    /** Whether a mail that has failed {@code failedAttempts} times may be tried again. */
    public boolean allowsAnother(int failedAttempts) {
        return failedAttempts < maxAttempts;
    }

    /** When the next attempt is due after the given number of failures. */
    public Instant nextAttemptAt(int failedAttempts, Instant now, Optional<Duration> retryAfter) {
        Duration backoff = Duration.ofMillis(interval.apply(Math.max(1, failedAttempts)));
        Duration wait = retryAfter.filter(asked -> asked.compareTo(backoff) > 0)
                .map(asked -> asked.compareTo(maxDelay) > 0 ? maxDelay : asked)
                .orElse(backoff);
        return now.plus(wait);
    }

    /** Settings of a {@link RetryPolicy}, validated by {@link #build()}. */
    public static final class Builder {
        private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
        private Duration initialDelay = DEFAULT_INITIAL_DELAY;
        private double multiplier = DEFAULT_MULTIPLIER;
        private double jitter = DEFAULT_JITTER;
        private Duration maxDelay = DEFAULT_MAX_DELAY;

        public Builder maxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
            return this;
        }

        public Builder initialDelay(Duration initialDelay) {
            this.initialDelay = initialDelay;
            return this;
        }

        public Builder multiplier(double multiplier) {
            this.multiplier = multiplier;
            return this;
        }

        /** Randomization factor, 0 (none) to below 1. */
        public Builder jitter(double jitter) {
            this.jitter = jitter;
            return this;
        }

        public Builder maxDelay(Duration maxDelay) {
            this.maxDelay = maxDelay;
            return this;
        }

        public RetryPolicy build() {
            if (maxAttempts < 1) {
                throw new IllegalArgumentException("maxAttempts must be at least 1, was " + maxAttempts);
            }
            if (initialDelay == null || initialDelay.toMillis() < 1) {
                throw new IllegalArgumentException("initialDelay must be at least 1ms, was " + initialDelay);
            }
            if (multiplier < 1.0) {
                throw new IllegalArgumentException("multiplier must be at least 1, was " + multiplier);
            }
            if (jitter < 0.0 || jitter >= 1.0) {
                throw new IllegalArgumentException("jitter must be within [0, 1), was " + jitter);
            }
            if (maxDelay == null || maxDelay.compareTo(initialDelay) < 0) {
                throw new IllegalArgumentException("maxDelay must be at least initialDelay, was " + maxDelay);
            }
            return new RetryPolicy(this);
        }
    }
}
