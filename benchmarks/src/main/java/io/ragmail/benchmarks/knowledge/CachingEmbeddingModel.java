package io.ragmail.benchmarks.knowledge;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.output.Response;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers the vector of every text it has embedded, so that several store configurations built
 * from the same corpus embed it only once. Changes no result, only the time to get it.
 *
 * <pre>{@code
 * EmbeddingModel shared = new CachingEmbeddingModel(new BgeSmallEnV15QuantizedEmbeddingModel());
 * }</pre>
 */
public final class CachingEmbeddingModel implements EmbeddingModel {

    private final EmbeddingModel delegate;
    private final Map<String, Embedding> cache = new ConcurrentHashMap<>();

    public CachingEmbeddingModel(EmbeddingModel delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    @Override
    public Response<List<Embedding>> embedAll(List<TextSegment> segments) {
        List<TextSegment> missing = new ArrayList<>();
        for (TextSegment s : segments) {
            if (!cache.containsKey(s.text())) {
                missing.add(s);
            }
        }
        if (!missing.isEmpty()) {
            List<Embedding> computed = delegate.embedAll(missing).content();
            for (int i = 0; i < missing.size(); i++) {
                cache.put(missing.get(i).text(), computed.get(i));
            }
        }
        List<Embedding> out = new ArrayList<>(segments.size());
        for (TextSegment s : segments) {
            out.add(cache.get(s.text()));
        }
        return Response.from(out);
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
