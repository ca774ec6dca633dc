package io.ragmail.benchmarks.knowledge;

import dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel;
import io.ragmail.benchmarks.odoo.OdooSyncBenchmark;
import io.ragmail.core.knowledge.LuceneKnowledgeStore;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The Odoo sync benchmark ({@link OdooSyncBenchmark}) with the real store: a {@link LuceneKnowledgeStore}
 * embedding with the in-process bge-small-en-v1.5 model, so the time inside the store is embedding
 * plus indexing, and the embedding share is measured by a {@link TimingEmbeddingModel}.
 *
 * <pre>{@code
 * java -cp benchmarks/target/benchmarks.jar io.ragmail.benchmarks.knowledge.OdooSyncWithLuceneStore 2000 1
 * }</pre>
 */
public final class OdooSyncWithLuceneStore {

    private OdooSyncWithLuceneStore() {
    }

    public static void main(String[] args) throws Exception {
        int products = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        PrintStream out = System.out;
        TimingEmbeddingModel model = new TimingEmbeddingModel(new BgeSmallEnV15QuantizedEmbeddingModel());
        List<LuceneKnowledgeStore> stores = new ArrayList<>();
        List<Path> dirs = new ArrayList<>();
        try {
            Map<String, Object> results = OdooSyncBenchmark.run(products, rounds, () -> {
                try {
                    Path dir = Files.createTempDirectory("odoo-sync-lucene");
                    dirs.add(dir);
                    LuceneKnowledgeStore store = LuceneKnowledgeStore.builder().directory(dir).embeddingModel(model)
                            .queryPrefix(LuceneKnowledgeStore.BGE_QUERY_INSTRUCTION).build();
                    stores.add(store);
                    return store;
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, out);
            double storeSeconds = ((Number) results.get("store_median_s")).doubleValue();
            double syncSeconds = ((Number) results.get("initial_sync_median_s")).doubleValue();
            double embeddingSeconds = model.nanos() / 1e9 / rounds;
            out.printf(Locale.ROOT, "%nLUCENE products=%d rounds=%d: initial sync %.1f s (%.1f products/s), in the store %.1f s "
                            + "(%.0f%% of the sync), embedding %.1f s per round (%.0f%% of the sync, %.0f%% of the store time), "
                            + "%d texts embedded in all (incremental runs add none when nothing changed)%n",
                    products, rounds, syncSeconds, products / syncSeconds, storeSeconds, 100 * storeSeconds / syncSeconds,
                    embeddingSeconds, 100 * embeddingSeconds / syncSeconds, 100 * embeddingSeconds / storeSeconds, model.texts());
        } finally {
            for (LuceneKnowledgeStore store : stores) {
                store.close();
            }
            for (Path dir : dirs) {
                Measurements.deleteRecursively(dir);
            }
        }
    }
}
