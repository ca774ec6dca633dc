package io.ragmail.config;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.output.Response;
import io.ragmail.core.RetriableException;
import io.ragmail.core.Sleeper;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Paces calls to a remote embedding model to the plan's limits ({@code ragmail.mistral.requests-per-second}
 * and {@code tokens-per-minute}), so that re-embedding a whole index does not run into 429s that the
 * model's own few retries cannot absorb. Each {@code embedAll} call (one batch) waits for a request slot
 * and for its estimated tokens (4 characters a token); a batch larger than a minute's budget waits
 * for a full budget and then goes. The name and the dimension are the wrapped model's, so the index
 * records {@code mistral-embed/1024}, not this class.
 *
 * <pre>{@code
 * EmbeddingModel model = new PacedEmbeddingModel(mistralEmbed, 1.0, 500_000, System::nanoTime, Sleeper.SYSTEM);
 * }</pre>
 */
final class PacedEmbeddingModel implements EmbeddingModel {

    private final EmbeddingModel delegate;
    private final long requestGapNanos;
    private final long tokensPerMinute;
    private final LongSupplier nanoTime;
    private final Sleeper sleeper;
    private long nextRequestNanos;
    private double tokens;
    private long lastRefillNanos;

    PacedEmbeddingModel(EmbeddingModel delegate, double requestsPerSecond, long tokensPerMinute, LongSupplier nanoTime,
                        Sleeper sleeper) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        if (!(requestsPerSecond > 0)) {
            throw new IllegalArgumentException("requestsPerSecond must be above 0, was " + requestsPerSecond);
        }
        if (tokensPerMinute < 1) {
            throw new IllegalArgumentException("tokensPerMinute must be at least 1, was " + tokensPerMinute);
        }
        this.requestGapNanos = Math.max(1, Math.round(1_000_000_000L / requestsPerSecond));
        this.tokensPerMinute = tokensPerMinute;
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        long now = nanoTime.getAsLong();
        this.nextRequestNanos = now;
        this.lastRefillNanos = now;
        this.tokens = tokensPerMinute;
    }

    @Override
    public Response<List<Embedding>> embedAll(List<TextSegment> segments) {
        long estimate = 0;
        for (TextSegment segment : segments) {
            estimate += Math.max(1, segment.text().length() / 4);
        }
        try {
            awaitSlot(estimate);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RetriableException("knowledge", "interrupted while waiting for an embedding request slot", e);
        }
        return delegate.embedAll(segments);
    }

    @Override
    public int dimension() {
        return delegate.dimension();
    }

    @Override
    public String modelName() {
        return delegate.modelName();
    }

    private void awaitSlot(long estimate) throws InterruptedException {
        long need = Math.min(estimate, tokensPerMinute);
        while (true) {
            long waitNanos;
            synchronized (this) {
                long now = nanoTime.getAsLong();
                tokens = Math.min(tokensPerMinute, tokens + (now - lastRefillNanos) * tokensPerMinute / 60e9);
                lastRefillNanos = now;
                long requestWait = Math.max(0, nextRequestNanos - now);
                long tokenWait = tokens >= need ? 0 : (long) Math.ceil((need - tokens) * 60e9 / tokensPerMinute);
                waitNanos = Math.max(requestWait, tokenWait);
                if (waitNanos == 0) {
                    tokens -= need;
                    nextRequestNanos = now + requestGapNanos;
                    return;
                }
            }
            sleeper.sleep(Duration.ofNanos(Math.max(1_000_000, waitNanos)));
        }
    }
}
