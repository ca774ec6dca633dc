package io.ragmail.benchmarks;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel;
import io.ragmail.benchmarks.knowledge.BaselineConfigurations;
import io.ragmail.benchmarks.knowledge.Chunks;
import io.ragmail.benchmarks.knowledge.LuceneStoreConfigurations;
import io.ragmail.benchmarks.knowledge.Measurements;
import io.ragmail.benchmarks.knowledge.PrecomputedEmbeddingModel;
import io.ragmail.benchmarks.knowledge.StoreConfiguration;
import io.ragmail.benchmarks.knowledge.SyntheticChunks;
import io.ragmail.benchmarks.knowledge.TimingEmbeddingModel;
import io.ragmail.core.KnowledgeDocument;
import io.ragmail.core.KnowledgeQuery;
import io.ragmail.core.KnowledgeStore;
import io.ragmail.testkit.knowledge.SampleKnowledge;
import io.ragmail.testkit.knowledge.SampleQuestion;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Speed of the knowledge stores side by side, in one run: for each size (default 10k and 100k chunks)
 * and each store (Lucene hybrid, langchain4j's brute-force
 * {@code InMemoryEmbeddingStore}, the JSON-file brute-force store) it reports ingestion time
 * (without embedding), search latency p50/p99 excluding query embedding, re-open time, size on disk
 * and heap used; then ingestion throughput with the real bge-small-en-v1.5 model and the share of it
 * spent embedding.
 *
 * <p>Chunks are synthetic (derived from the sample corpus, see {@link SyntheticChunks}) and their
 * vectors are random unit vectors from {@link PrecomputedEmbeddingModel}, so that building 100k chunks
 * does not take an hour of embedding; query vectors are precomputed the same way. Random vectors are a
 * hard case for HNSW (no cluster structure), so vector latencies are if anything pessimistic.
 *
 * <pre>{@code
 * mvn -B -q -pl benchmarks -am package -DskipTests
 * java -Xmx6g -cp benchmarks/target/benchmarks.jar io.ragmail.benchmarks.SearchSpeed [--sizes=10000,100000]
 *      [--queries=1000] [--warmup=200] [--real-model-chunks=500] [--configs=lucene-hybrid,...]
 * }</pre>
 */
public final class SearchSpeed {

    /** bge-small-en-v1.5 vector size. */
    public static final int DIMENSION = 384;
    /** Documents per upsert call while ingesting. */
    public static final int DEFAULT_UPSERT_BATCH = 1000;
    /** Seed of the synthetic chunks, so that every program measures the same index. */
    static final long SEED = 20261129L;

    private SearchSpeed() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = RetrievalQuality.options(args);
        int[] sizes = Arrays.stream(o.getOrDefault("sizes", "10000,100000").split(",")).mapToInt(Integer::parseInt).toArray();
        int queries = Integer.parseInt(o.getOrDefault("queries", "1000"));
        int warmup = Integer.parseInt(o.getOrDefault("warmup", "200"));
        int realChunks = Integer.parseInt(o.getOrDefault("real-model-chunks", "500"));
        List<StoreConfiguration> configs = configurations(o.get("configs"));
        PrintStream out = System.out;
        out.printf(Locale.ROOT, "machine: %d cores, %s %s, max heap %d MB%n%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name"), System.getProperty("java.version"), Runtime.getRuntime().maxMemory() >> 20);
        out.println("| store | chunks | ingest s (no embedding) | search p50 ms | search p99 ms | right after the load: p50 / p99 ms | open s | disk MB | heap MB |");
        out.println("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        for (int size : sizes) {
            for (StoreConfiguration c : configs) {
                out.println(measureSearch(c, size, queries, warmup).row());
            }
        }
        if (realChunks > 0) {
            out.println();
            out.println("| store | chunks | ingest chunks/s (real model) | of which embedding | embedding-only chunks/s |");
            out.println("| --- | ---: | ---: | ---: | ---: |");
            EmbeddingModel real = new BgeSmallEnV15QuantizedEmbeddingModel();
            for (StoreConfiguration c : configs) {
                out.println(measureIngestion(c, real, realChunks).row());
            }
        }
    }

    static List<StoreConfiguration> configurations(String names) {
        List<StoreConfiguration> all = new ArrayList<>();
        all.add(LuceneStoreConfigurations.hybrid());
        all.addAll(BaselineConfigurations.all());
        if (names == null) {
            return all;
        }
        // the single Lucene rankings, to see where the hybrid's time goes (only when named)
        all.add(LuceneStoreConfigurations.bm25Only());
        all.add(LuceneStoreConfigurations.vectorOnly());
        all.add(LuceneStoreConfigurations.configuration("lucene-hybrid-unmerged", b -> b, false));
        List<String> wanted = Arrays.asList(names.split(","));
        return all.stream().filter(c -> wanted.contains(c.name())).toList();
    }

    /** Search-side numbers of one store at one size. */
    public record SearchResult(String store, int chunks, double ingestSeconds, double p50Millis, double p99Millis,
                               double p50AfterLoadMillis, double p99AfterLoadMillis, long gcMillisAfterLoad,
                               double openSeconds, double diskMegabytes, double heapMegabytes) {
        String row() {
            return String.format(Locale.ROOT, "| %s | %d | %.1f | %.2f | %.2f | %.2f / %.2f (gc %d ms) | %.2f | %.0f | %.0f |",
                    store, chunks, ingestSeconds, p50Millis, p99Millis, p50AfterLoadMillis, p99AfterLoadMillis,
                    gcMillisAfterLoad, openSeconds, diskMegabytes, heapMegabytes);
        }
    }

    /** Builds the store from {@code size} synthetic chunks with random vectors and measures it. */
    public static SearchResult measureSearch(StoreConfiguration c, int size, int queries, int warmup) throws Exception {
        List<KnowledgeDocument> docs = SyntheticChunks.generate(SampleKnowledge.documents(), size, SEED);
        List<String> queryTexts = queryTexts(queries + warmup);
        PrecomputedEmbeddingModel model = queryModel(queryTexts);
        Path dir = Files.createTempDirectory("ragmail-speed-" + c.name());
        try {
            long heapBefore = Measurements.usedHeapAfterGc();
            KnowledgeStore store = c.open(dir, model);
            long start = System.nanoTime();
            ingest(store, docs);
            c.flush(store, dir);
            double ingest = (System.nanoTime() - start) / 1e9;
            long heapAfter = Measurements.usedHeapAfterGc();
            // in the process that has just built the store: its garbage is still being collected
            long gcBefore = Measurements.gcMillis();
            long[] afterLoad = searchLatencies(store, queryTexts, warmup);
            long gcAfterLoad = Measurements.gcMillis() - gcBefore;
            c.close(store);
            store = null;
            double disk = Measurements.bytesOnDisk(dir) / 1e6;
            Measurements.usedHeapAfterGc();
            long openStart = System.nanoTime();
            KnowledgeStore reopened = c.open(dir, model);
            double open = (System.nanoTime() - openStart) / 1e9;
            // the steady state of a running daemon: the store opened from disk, searched
            long[] latencies = searchLatencies(reopened, queryTexts, warmup);
            c.close(reopened);
            return new SearchResult(c.name(), size, ingest, Measurements.percentileMillis(latencies, 50),
                    Measurements.percentileMillis(latencies, 99), Measurements.percentileMillis(afterLoad, 50),
                    Measurements.percentileMillis(afterLoad, 99), gcAfterLoad, open, disk, (heapAfter - heapBefore) / 1e6);
        } finally {
            Measurements.deleteRecursively(dir);
        }
    }

    /** A model with a precomputed random unit vector for each query text; other texts (the chunks) get random vectors too. */
    static PrecomputedEmbeddingModel queryModel(List<String> texts) {
        Map<String, float[]> vectors = new HashMap<>();
        texts.forEach(q -> vectors.put(q, PrecomputedEmbeddingModel.randomUnitVector(q, DIMENSION)));
        return new PrecomputedEmbeddingModel(DIMENSION, vectors);
    }

    /** Upserts the documents in batches of {@link #DEFAULT_UPSERT_BATCH}. */
    static void ingest(KnowledgeStore store, List<KnowledgeDocument> docs) {
        for (int from = 0; from < docs.size(); from += DEFAULT_UPSERT_BATCH) {
            store.upsert(docs.subList(from, Math.min(docs.size(), from + DEFAULT_UPSERT_BATCH)));
        }
    }

    static long[] searchLatencies(KnowledgeStore store, List<String> queryTexts, int warmup) {
        long[] latencies = new long[queryTexts.size() - warmup];
        for (int i = 0; i < queryTexts.size(); i++) {
            KnowledgeQuery q = KnowledgeQuery.of(queryTexts.get(i));
            long t = System.nanoTime();
            int found = store.search(q).size();
            long elapsed = System.nanoTime() - t;
            if (found == 0) {
                throw new IllegalStateException("search found nothing for " + q.text());
            }
            if (i >= warmup) {
                latencies[i - warmup] = elapsed;
            }
        }
        return latencies;
    }

    /** Customer questions from the sample set, numbered to make as many distinct texts as needed. */
    static List<String> queryTexts(int count) {
        List<SampleQuestion> questions = SampleKnowledge.questions();
        List<String> texts = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String q = questions.get(i % questions.size()).text();
            texts.add(i < questions.size() ? q : q + " (ref " + i + ")");
        }
        return texts;
    }

    /** Ingestion with the real model. */
    public record IngestionResult(String store, int chunks, double chunksPerSecond, double embeddingShare,
                                  double embeddingOnlyChunksPerSecond) {
        String row() {
            return String.format(Locale.ROOT, "| %s | %d | %.1f | %.0f%% | %.1f |", store, chunks, chunksPerSecond,
                    embeddingShare * 100, embeddingOnlyChunksPerSecond);
        }
    }

    /** Ingests {@code count} real-corpus chunks with the real model; also times the model alone. */
    public static IngestionResult measureIngestion(StoreConfiguration c, EmbeddingModel real, int count) throws Exception {
        List<KnowledgeDocument> docs = SyntheticChunks.generate(SampleKnowledge.documents(), count, SEED + 1);
        List<TextSegment> texts = docs.stream().flatMap(d -> Chunks.split(d).stream())
                .map(ch -> TextSegment.from(ch.embeddingText())).toList();
        long embedStart = System.nanoTime();
        for (int from = 0; from < texts.size(); from += Chunks.EMBEDDING_BATCH) {
            real.embedAll(texts.subList(from, Math.min(texts.size(), from + Chunks.EMBEDDING_BATCH)));
        }
        double embeddingOnly = texts.size() / ((System.nanoTime() - embedStart) / 1e9);
        TimingEmbeddingModel timed = new TimingEmbeddingModel(real);
        Path dir = Files.createTempDirectory("ragmail-ingest-" + c.name());
        try {
            KnowledgeStore store = c.open(dir, timed);
            long start = System.nanoTime();
            store.upsert(docs);
            c.flush(store, dir);
            long total = System.nanoTime() - start;
            c.close(store);
            return new IngestionResult(c.name(), docs.size(), docs.size() / (total / 1e9), (double) timed.nanos() / total, embeddingOnly);
        } finally {
            Measurements.deleteRecursively(dir);
        }
    }
}
