package io.ragmail.benchmarks.knowledge;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.output.Response;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An {@link EmbeddingModel} that costs (almost) nothing, for measuring search and indexing without the
 * model: texts found in the given map get their precomputed vector; any other text gets a random unit
 * vector derived from the text's hash (the same text always gets the same vector). Random vectors
 * measure speed, not quality.
 *
 * <pre>{@code
 * EmbeddingModel model = new PrecomputedEmbeddingModel(384, Map.of("how flammable?", vector));
 * }</pre>
 */
public final class PrecomputedEmbeddingModel implements EmbeddingModel {

    private final int dimension;
    private final Map<String, float[]> known;
    private final AtomicLong misses = new AtomicLong();

    public PrecomputedEmbeddingModel(int dimension, Map<String, float[]> known) {
        if (dimension < 1) {
            throw new IllegalArgumentException("dimension must be at least 1, was " + dimension);
        }
        this.dimension = dimension;
        this.known = Map.copyOf(known);
    }

    /** A random unit vector determined by {@code text}. */
    public static float[] randomUnitVector(String text, int dimension) {
        SplittableRandom random = new SplittableRandom(text.hashCode() * 0x9E3779B97F4A7C15L);
        float[] v = new float[dimension];
        double norm = 0;
        for (int i = 0; i < dimension; i++) {
            double x = random.nextDouble() * 2 - 1;
            v[i] = (float) x;
            norm += x * x;
        }
        float scale = (float) (1 / Math.sqrt(norm));
        for (int i = 0; i < dimension; i++) {
            v[i] *= scale;
        }
        return v;
    }

    @Override
    public Response<List<Embedding>> embedAll(List<TextSegment> segments) {
        List<Embedding> out = new ArrayList<>(segments.size());
        for (TextSegment s : segments) {
            float[] v = known.get(s.text());
            if (v == null) {
                misses.incrementAndGet();
                v = randomUnitVector(s.text(), dimension);
            }
            out.add(Embedding.from(v));
        }
        return Response.from(out);
    }

    /** How many texts were not in the map (and got a hash-derived vector). */
    public long misses() {
        return misses.get();
    }

    @Override
    public int dimension() {
        return dimension;
    }

    @Override
    public String modelName() {
        return "precomputed-random-" + dimension;
    }
}
