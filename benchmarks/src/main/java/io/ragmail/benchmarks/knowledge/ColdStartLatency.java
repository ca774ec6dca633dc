package io.ragmail.benchmarks.knowledge;

import io.ragmail.core.KnowledgeQuery;
import io.ragmail.core.knowledge.LuceneKnowledgeStore;
import io.ragmail.testkit.knowledge.SampleKnowledge;
import io.ragmail.testkit.knowledge.SampleQuestion;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The first searches after a restart, as a daemon sees them: a fresh JVM opens an existing index with
 * the default in-process model and runs the first {@code --cold} sample questions, with
 * {@code --warm-up} warm-up searches at open ({@code LuceneKnowledgeStore.Builder#warmUpSearches}).
 * {@code --build} first writes the index (305 sample documents) and exits, so that measurements of
 * both settings run in their own JVMs over the same index.
 *
 * <pre>{@code
 * java -cp benchmarks/target/benchmarks.jar io.ragmail.benchmarks.knowledge.ColdStartLatency --build --index=/tmp/kb
 * java -cp benchmarks/target/benchmarks.jar io.ragmail.benchmarks.knowledge.ColdStartLatency --index=/tmp/kb --warm-up=0
 * java -cp benchmarks/target/benchmarks.jar io.ragmail.benchmarks.knowledge.ColdStartLatency --index=/tmp/kb --warm-up=5
 * }</pre>
 */
public final class ColdStartLatency {

    private ColdStartLatency() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        Path index = Path.of(options.getOrDefault("index", "/tmp/ragmail-cold-start-index"));
        if (options.containsKey("build")) {
            try (LuceneKnowledgeStore store = LuceneKnowledgeStore.builder().directory(index).warmUpSearches(0).build()) {
                store.upsert(SampleKnowledge.documents());
                store.optimize();
            }
            System.out.println("index written: " + index);
            return;
        }
        int warmUp = Integer.parseInt(options.getOrDefault("warm-up", String.valueOf(LuceneKnowledgeStore.DEFAULT_WARM_UP_SEARCHES)));
        int cold = Integer.parseInt(options.getOrDefault("cold", "50"));
        List<String> texts = new ArrayList<>();
        for (SampleQuestion q : SampleKnowledge.heldOutQuestions()) {
            texts.add(q.text());
        }
        long o0 = System.nanoTime();
        try (LuceneKnowledgeStore store = LuceneKnowledgeStore.builder().directory(index).warmUpSearches(warmUp).build()) {
            long opened = System.nanoTime() - o0;
            long[] nanos = new long[cold];
            for (int i = 0; i < cold; i++) {
                long t0 = System.nanoTime();
                store.search(new KnowledgeQuery(texts.get(i % texts.size()), 5, Map.of()));
                nanos[i] = System.nanoTime() - t0;
            }
            System.out.printf(Locale.ROOT, "| %d | %.0f | %.2f | %.2f | %.2f | %.2f | %.2f |%n", warmUp, opened / 1e6,
                    nanos[0] / 1e6, Measurements.percentileMillis(nanos, 50), Measurements.percentileMillis(nanos, 90),
                    Measurements.percentileMillis(nanos, 99), Measurements.percentileMillis(nanos, 100));
        }
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new java.util.LinkedHashMap<>();
        for (String a : args) {
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("options look like --name=value, was " + a);
            }
            int eq = a.indexOf('=');
            options.put(eq < 0 ? a.substring(2) : a.substring(2, eq), eq < 0 ? "" : a.substring(eq + 1));
        }
        return options;
    }
}
