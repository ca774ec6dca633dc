package io.ragmail.benchmarks.knowledge;

import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel;
import io.ragmail.core.KnowledgeQuery;
import io.ragmail.core.knowledge.LuceneKnowledgeStore;
import io.ragmail.core.knowledge.MailSearch;
import io.ragmail.testkit.knowledge.SampleKnowledge;
import io.ragmail.testkit.knowledge.SampleQuestion;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Search latency as a user sees it: query embedding with the real in-process model plus the Lucene
 * search, next to the Lucene search alone, over the sample corpus (real vectors). Measures the first
 * queries after start-up (cold JIT, cold ONNX session) apart from warm ones, and compares the ONNX
 * session as langchain4j builds it (intra-op threads = cores, spinning worker threads) with the store's
 * default, one intra-op thread without spinning, interleaved query by query so machine load hits both
 * alike.
 *
 * <pre>{@code
 * java -cp benchmarks/target/benchmarks.jar io.ragmail.benchmarks.knowledge.EmbeddedSearchLatency [--queries=1000] [--warmup=300] [--cold=50]
 * }</pre>
 */
public final class EmbeddedSearchLatency {

    private EmbeddedSearchLatency() {
    }

    public static void main(String[] args) throws Exception {
        int queries = intOption(args, "queries", 1000);
        int warmup = intOption(args, "warmup", 300);
        int cold = intOption(args, "cold", 50);
        List<String> texts = new ArrayList<>();
        for (SampleQuestion q : SampleKnowledge.questions()) {
            texts.add(q.text());
        }
        for (SampleQuestion q : SampleKnowledge.heldOutQuestions()) {
            texts.add(q.text());
        }
        EmbeddingModel langchain = new BgeSmallEnV15QuantizedEmbeddingModel();
        // the store's default model since issue 13: bge in a one-thread ONNX session
        EmbeddingModel oneThread = LuceneKnowledgeStore.defaultEmbeddingModel();
        Path dir = Files.createTempDirectory("ragmail-embedded-latency");
        try (LuceneKnowledgeStore store = LuceneKnowledgeStore.builder().directory(dir.resolve("langchain4j"))
                .embeddingModel(langchain).build();
             LuceneKnowledgeStore storeOneThread = LuceneKnowledgeStore.builder().directory(dir.resolve("one")).build()) {
            long l0 = System.nanoTime();
            store.upsert(SampleKnowledge.documents());
            long l1 = System.nanoTime();
            storeOneThread.upsert(SampleKnowledge.documents());
            long l2 = System.nanoTime();
            store.optimize();
            storeOneThread.optimize();
            System.out.printf(Locale.ROOT, "ingest with embedding: langchain4j session %.1f s, one-thread session %.1f s%n",
                    (l1 - l0) / 1e9, (l2 - l1) / 1e9);
            System.out.printf(Locale.ROOT, "corpus: %d documents, %d chunks, %d segment(s); %d cores; %s%n",
                    SampleKnowledge.documents().size(), store.chunkCount(), store.segmentCount(),
                    Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.version"));

            long[] coldTotal = new long[cold];
            for (int i = 0; i < cold; i++) {
                long t0 = System.nanoTime();
                store.search(new KnowledgeQuery(texts.get(i % texts.size()), 5, Map.of()));
                coldTotal[i] = System.nanoTime() - t0;
            }
            for (int i = 0; i < warmup; i++) {
                String text = texts.get((cold + i) % texts.size());
                store.search(new KnowledgeQuery(text, 5, Map.of()));
                storeOneThread.search(new KnowledgeQuery(text, 5, Map.of()));
            }
            MailSearch mail = MailSearch.builder().store(store).build();
            long[][] t = new long[6][queries];
            for (int i = 0; i < queries; i++) {
                String text = texts.get((cold + warmup + i) % texts.size());
                KnowledgeQuery query = new KnowledgeQuery(text, 5, Map.of());
                long t0 = System.nanoTime();
                float[] vector = langchain.embed(LuceneKnowledgeStore.BGE_QUERY_INSTRUCTION + text).content().vector();
                long t1 = System.nanoTime();
                store.search(query, vector);
                long t2 = System.nanoTime();
                storeOneThread.search(query);
                long t3 = System.nanoTime();
                oneThread.embed(LuceneKnowledgeStore.BGE_QUERY_INSTRUCTION + text);
                long t4 = System.nanoTime();
                mail.search("", text);
                long t5 = System.nanoTime();
                t[0][i] = t1 - t0; // embedding, langchain4j session
                t[1][i] = t2 - t1; // Lucene only
                t[2][i] = t2 - t0; // embedding + Lucene
                t[3][i] = t3 - t2; // embedding + Lucene, one-thread session
                t[4][i] = t4 - t3; // embedding, one-thread session
                t[5][i] = t5 - t4; // MailSearch (bounded query, per-question searches, evidence)
            }
            System.out.println();
            System.out.println("| measurement | p50 ms | p90 ms | p99 ms | max ms |");
            System.out.println("| --- | ---: | ---: | ---: | ---: |");
            row("first " + cold + " searches after start-up (embedding + Lucene, cold JIT)", coldTotal);
            row("Lucene only (query vector given)", t[1]);
            row("query embedding only (langchain4j session)", t[0]);
            row("search with embedding (langchain4j session)", t[2]);
            row("query embedding only (1 intra-op thread, no spinning)", t[4]);
            row("search with embedding (1 intra-op thread, no spinning)", t[3]);
            row("MailSearch of the question as a mail", t[5]);
        } finally {
            Measurements.deleteRecursively(dir);
        }
    }

    private static void row(String name, long[] nanos) {
        System.out.printf(Locale.ROOT, "| %s | %.2f | %.2f | %.2f | %.2f |%n", name, Measurements.percentileMillis(nanos, 50),
                Measurements.percentileMillis(nanos, 90), Measurements.percentileMillis(nanos, 99),
                Measurements.percentileMillis(nanos, 100));
    }

    private static int intOption(String[] args, String name, int fallback) {
        for (String a : args) {
            if (a.startsWith("--" + name + "=")) {
                return Integer.parseInt(a.substring(name.length() + 3));
            }
        }
        return fallback;
    }
}
