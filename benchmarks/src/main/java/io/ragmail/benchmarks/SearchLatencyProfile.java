package io.ragmail.benchmarks;

import io.ragmail.benchmarks.knowledge.Measurements;
import io.ragmail.benchmarks.knowledge.PrecomputedEmbeddingModel;
import io.ragmail.benchmarks.knowledge.SyntheticChunks;
import io.ragmail.core.KnowledgeDocument;
import io.ragmail.core.knowledge.LuceneKnowledgeStore;
import io.ragmail.testkit.knowledge.SampleKnowledge;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;

import static io.ragmail.benchmarks.knowledge.Measurements.percentileMillis;

/**
 * Where the time of a hybrid search goes, on one large index built once and kept: every query-side
 * configuration (all rankings, each ranking alone, fewer candidates, no typo tolerance) is measured
 * over the same queries, in several interleaved rounds so that a stall of the shared machine hits
 * all of them alike, with the garbage collections seen during each round and the slowest queries.
 *
 * <p>The first run builds the index (synthetic chunks, random vectors, as in
 * {@link io.ragmail.benchmarks.SearchSpeed}) into {@code --index}; later runs reuse it, so that a
 * question about the query side costs seconds, not the five minutes of building 100k chunks.
 *
 * <pre>{@code
 * java -Xmx4g -cp benchmarks/target/benchmarks.jar io.ragmail.benchmarks.SearchLatencyProfile \
 *      --index=/tmp/ragmail-profile-100k --size=100000 --queries=1000 --warmup=200 --rounds=3
 * }</pre>
 */
public final class SearchLatencyProfile {

    private SearchLatencyProfile() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = RetrievalQuality.options(args);
        Path index = Path.of(o.getOrDefault("index", "/tmp/ragmail-profile-100k"));
        int size = Integer.parseInt(o.getOrDefault("size", "100000"));
        int queries = Integer.parseInt(o.getOrDefault("queries", "1000"));
        int warmup = Integer.parseInt(o.getOrDefault("warmup", "200"));
        int rounds = Integer.parseInt(o.getOrDefault("rounds", "3"));
        List<String> texts = SearchSpeed.queryTexts(queries + warmup);
        PrecomputedEmbeddingModel model = SearchSpeed.queryModel(texts);

        if (!Files.isDirectory(index)) {
            long start = System.nanoTime();
            List<KnowledgeDocument> docs = SyntheticChunks.generate(SampleKnowledge.documents(), size, SearchSpeed.SEED);
            try (LuceneKnowledgeStore store = LuceneKnowledgeStore.builder().directory(index).embeddingModel(model).build()) {
                SearchSpeed.ingest(store, docs);
                store.optimize();
            }
            System.out.printf(Locale.ROOT, "built %d chunks in %.1f s into %s%n", size, (System.nanoTime() - start) / 1e9, index);
        }

        Map<String, UnaryOperator<LuceneKnowledgeStore.Builder>> configs = configurations(o.get("configs"));
        Map<String, List<long[]>> results = new LinkedHashMap<>();
        Map<String, long[]> slowest = new HashMap<>();
        for (int round = 1; round <= rounds; round++) {
            for (Map.Entry<String, UnaryOperator<LuceneKnowledgeStore.Builder>> c : configs.entrySet()) {
                try (LuceneKnowledgeStore store = c.getValue()
                        .apply(LuceneKnowledgeStore.builder().directory(index).embeddingModel(model)).build()) {
                    long gcBefore = Measurements.gcMillis();
                    long[] latencies = SearchSpeed.searchLatencies(store, texts, warmup);
                    long gc = Measurements.gcMillis() - gcBefore;
                    results.computeIfAbsent(c.getKey(), k -> new ArrayList<>()).add(latencies);
                    System.out.printf(Locale.ROOT, "round %d %-22s p50 %6.2f  p90 %6.2f  p99 %6.2f  max %7.2f ms  (gc %d ms)%n",
                            round, c.getKey(), percentileMillis(latencies, 50), percentileMillis(latencies, 90),
                            percentileMillis(latencies, 99), percentileMillis(latencies, 100), gc);
                    slowest.merge(c.getKey(), latencies, (a, b) -> max(a, b));
                }
            }
        }
        System.out.println();
        System.out.println("| configuration | search p50 ms | p90 ms | search p99 ms | max ms |");
        System.out.println("| --- | ---: | ---: | ---: | ---: |");
        for (Map.Entry<String, List<long[]>> r : results.entrySet()) {
            long[] all = r.getValue().stream().flatMapToLong(Arrays::stream).toArray();
            System.out.printf(Locale.ROOT, "| %s | %.2f | %.2f | %.2f | %.2f |%n", r.getKey(), percentileMillis(all, 50),
                    percentileMillis(all, 90), percentileMillis(all, 99), percentileMillis(all, 100));
        }
        if (o.containsKey("slowest")) {
            for (String name : configs.keySet()) {
                long[] worst = slowest.get(name);
                Integer[] order = new Integer[worst.length];
                Arrays.setAll(order, i -> i);
                Arrays.sort(order, (a, b) -> Long.compare(worst[b], worst[a]));
                System.out.println();
                System.out.println("slowest queries (best of the rounds' worst) for " + name + ":");
                long[] best = bestOf(results.get(name));
                for (int i = 0; i < 8; i++) {
                    int q = order[i];
                    System.out.printf(Locale.ROOT, "  %6.2f ms worst / %6.2f ms best  %s%n", worst[q] / 1e6, best[q] / 1e6,
                            texts.get(q + warmup));
                }
            }
        }
    }

    private static Map<String, UnaryOperator<LuceneKnowledgeStore.Builder>> configurations(String names) {
        Map<String, UnaryOperator<LuceneKnowledgeStore.Builder>> all = new LinkedHashMap<>();
        all.put("hybrid", UnaryOperator.identity());
        all.put("keyword-only", b -> b.vectorWeight(0).identifierWeight(0));
        all.put("vector-only", b -> b.keywordWeight(0).identifierWeight(0));
        all.put("hybrid-no-fuzzy", b -> b.fuzzyTypos(false));
        all.put("hybrid-candidates-20", b -> b.candidates(20));
        if (names == null) {
            return all;
        }
        Map<String, UnaryOperator<LuceneKnowledgeStore.Builder>> wanted = new LinkedHashMap<>();
        for (String name : names.split(",")) {
            if (!all.containsKey(name)) {
                throw new IllegalArgumentException("--configs: unknown configuration " + name + "; known: " + all.keySet());
            }
            wanted.put(name, all.get(name));
        }
        return wanted;
    }

    private static long[] max(long[] a, long[] b) {
        long[] m = new long[a.length];
        Arrays.setAll(m, i -> Math.max(a[i], b[i]));
        return m;
    }

    private static long[] bestOf(List<long[]> rounds) {
        long[] best = rounds.get(0).clone();
        for (long[] r : rounds) {
            Arrays.setAll(best, i -> Math.min(best[i], r[i]));
        }
        return best;
    }
}
