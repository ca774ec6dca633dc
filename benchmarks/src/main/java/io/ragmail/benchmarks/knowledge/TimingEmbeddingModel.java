package io.ragmail.benchmarks.knowledge;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.output.Response;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Wraps an {@link EmbeddingModel} and adds up the time spent inside it, so that ingestion time can be
 * split into embedding and indexing.
 *
 * <pre>{@code
 * TimingEmbeddingModel timed = new TimingEmbeddingModel(model);
 * store.upsert(documents);
 * Duration embedding = Duration.ofNanos(timed.nanos());
 * }</pre>
 */
public final class TimingEmbeddingModel implements EmbeddingModel {

    private final EmbeddingModel delegate;
    private final AtomicLong nanos = new AtomicLong();
    private final AtomicLong texts = new AtomicLong();

    public TimingEmbeddingModel(EmbeddingModel delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    @Override
    public Response<List<Embedding>> embedAll(List<TextSegment> segments) {
        long start = System.nanoTime();
        try {
            return delegate.embedAll(segments);
        } finally {
            nanos.addAndGet(System.nanoTime() - start);
            texts.addAndGet(segments.size());
        }
    }

    /** Nanoseconds spent embedding so far. */
    public long nanos() {
        return nanos.get();
    }

    /** Texts embedded so far. */
    public long texts() {
        return texts.get();
    }

    @Override
    public int dimension() {
        return delegate.dimension();
    }

    @Override
    public String modelName() {
        return delegate.modelName();
    }
}
