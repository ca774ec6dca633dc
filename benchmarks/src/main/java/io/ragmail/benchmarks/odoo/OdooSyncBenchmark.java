package io.ragmail.benchmarks.odoo;

import io.ragmail.core.KnowledgeDocument;
import io.ragmail.core.KnowledgeQuery;
import io.ragmail.core.KnowledgeStore;
import io.ragmail.core.Passage;
import io.ragmail.odoo.OdooClient;
import io.ragmail.odoo.OdooKnowledgeSync;
import io.ragmail.odoo.OdooSyncReport;
import io.ragmail.testkit.odoo.FakeOdooServer;
import io.ragmail.testkit.odoo.SettableClock;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Measures {@link OdooKnowledgeSync} against {@link FakeOdooServer} over real HTTP/XML-RPC:
 * the initial sync of N product templates (records/s, XML-RPC calls, time spent inside the
 * knowledge store) and an incremental run with nothing changed (calls the server received, time).
 *
 * <p>The store is a parameter ({@link #run(int, int, Supplier, PrintStream)}): with the default
 * {@link CountingStore} the store time is ~0, so the numbers are the Odoo side alone; pass the Lucene
 * store with the real embedding model to see how much of the time is embedding.
 *
 * <pre>{@code
 * java -cp ... io.ragmail.benchmarks.odoo.OdooSyncBenchmark 10000 3          # the fake's own speed
 * java -cp ... io.ragmail.benchmarks.odoo.OdooSyncBenchmark 2000 3 odoo16    # plus Odoo 16's measured answer times
 * }</pre>
 */
public final class OdooSyncBenchmark {

    private OdooSyncBenchmark() {
    }

    /** A store that drops every document and finds nothing (the time spent in it is measured by {@link TimedStore}). */
    public static final class CountingStore implements KnowledgeStore {
        @Override
        public List<Passage> search(KnowledgeQuery query) {
            return List.of();
        }

        @Override
        public void upsert(List<KnowledgeDocument> documents) {
        }

        @Override
        public void delete(Collection<String> sourceIds) {
        }
    }

    /** Wraps a store and adds up the wall time spent inside it. */
    static final class TimedStore implements KnowledgeStore {
        final KnowledgeStore delegate;
        long nanos;

        TimedStore(KnowledgeStore delegate) {
            this.delegate = delegate;
        }

        @Override
        public List<Passage> search(KnowledgeQuery query) {
            return delegate.search(query);
        }

        @Override
        public void upsert(List<KnowledgeDocument> documents) {
            long t = System.nanoTime();
            delegate.upsert(documents);
            nanos += System.nanoTime() - t;
        }

        @Override
        public void delete(Collection<String> sourceIds) {
            long t = System.nanoTime();
            delegate.delete(sourceIds);
            nanos += System.nanoTime() - t;
        }
    }

    public static void main(String[] args) throws Exception {
        int products = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        boolean odoo16 = args.length > 2 && args[2].equals("odoo16");
        run(products, rounds, CountingStore::new, odoo16 ? FakeOdooServer.Latency.ODOO_16_MEASURED : FakeOdooServer.Latency.NONE,
                true, System.out);
    }

    public static Map<String, Object> run(int products, int rounds, Supplier<KnowledgeStore> stores, PrintStream out)
            throws IOException {
        return run(products, rounds, stores, FakeOdooServer.Latency.NONE, false, out);
    }

    /**
     * As {@link #run(int, int, Supplier, PrintStream)}, with Odoo's own answer times added by the fake server,
     * and with {@code bulkChange} a rewrite of every product followed by runs inside the overlap (which
     * upserts every product once more: with a real store, one more embedding pass).
     */
    public static Map<String, Object> run(int products, int rounds, Supplier<KnowledgeStore> stores, FakeOdooServer.Latency latency,
            boolean bulkChange, PrintStream out) throws IOException {
        // products were last written an hour ago: a quiet catalogue, so the cursor settles after the first run
        SettableClock writes = new SettableClock(Instant.now().minus(Duration.ofHours(1)));
        Map<String, Object> results = new LinkedHashMap<>();
        try (FakeOdooServer odoo = FakeOdooServer.builder().clock(writes).latency(latency).build()) {
            int categ = odoo.create("product.category", Map.of("name", "Chemicals"));
            long seedStart = System.nanoTime();
            List<Integer> ids = new ArrayList<>();
            for (int i = 0; i < products; i++) {
                ids.add(odoo.create("product.template", Map.of("name", "Product " + i, "default_code", "SKU-" + i,
                        "list_price", 10.0 + (i % 500) / 10.0, "categ_id", categ,
                        "description_sale", "Sales description of product " + i + ": 1 l bottle, store below 25 °C.",
                        "description", "<p>Safety: keep away from heat. Batch " + (i % 97) + ".</p>")));
            }
            out.printf("seeded %d product.template records in FakeOdooServer in %.1f s%n", products, (System.nanoTime() - seedStart) / 1e9);

            List<Double> initialSeconds = new ArrayList<>();
            List<Double> storeSeconds = new ArrayList<>();
            long initialCalls = 0;
            long incrementalCalls = 0;
            long incrementalUpserts = 0;
            List<Double> incrementalMillis = new ArrayList<>();
            OdooKnowledgeSync last = null;
            for (int round = 0; round < rounds; round++) {
                Path dir = Files.createTempDirectory("odoo-sync-bench");
                OdooClient client = OdooClient.builder().url(odoo.url()).database(odoo.database()).username("admin").password("admin")
                        .build();
                TimedStore store = new TimedStore(stores.get());
                OdooKnowledgeSync sync = OdooKnowledgeSync.builder(client, store, dir).build();
                last = sync;

                odoo.resetCounts();
                long t0 = System.nanoTime();
                OdooSyncReport initial = sync.runOnce();
                double secs = (System.nanoTime() - t0) / 1e9;
                initialSeconds.add(secs);
                storeSeconds.add(store.nanos / 1e9);
                initialCalls = odoo.requestCount();
                out.printf("round %d: initial sync fetched %d, upserted %d in %.2f s (%.0f records/s), %d XML-RPC calls, %.3f s in the store%n",
                        round + 1, initial.fetched(), initial.upserted(), secs, initial.fetched() / secs, initialCalls, store.nanos / 1e9);

                for (int i = 0; i < 10; i++) {
                    odoo.resetCounts();
                    long t1 = System.nanoTime();
                    OdooSyncReport again = sync.runOnce();
                    incrementalMillis.add((System.nanoTime() - t1) / 1e6);
                    incrementalCalls = odoo.requestCount();
                    incrementalUpserts += again.upserted();
                }
            }
            if (bulkChange && last != null) {
                bulkChange(odoo, writes, ids, last, results, out);
            }
            double initialMedian = median(initialSeconds);

            results.put("products", products);
            results.put("initial_sync_median_s", initialMedian);
            results.put("initial_records_per_s", products / initialMedian);
            results.put("initial_calls", initialCalls);
            results.put("store_median_s", median(storeSeconds));
            results.put("incremental_nothing_changed_median_ms", median(incrementalMillis));
            results.put("incremental_calls", incrementalCalls);
            results.put("incremental_upserts_total", incrementalUpserts);
            out.printf("%nRESULT products=%d initial: median %.2f s = %.0f records/s, %d calls, store %.3f s; "
                    + "incremental with nothing changed: median %.1f ms, %d call(s), %d upserts (no embedding)%n",
                    products, initialMedian, products / initialMedian, initialCalls, median(storeSeconds),
                    median(incrementalMillis), incrementalCalls, incrementalUpserts);
        }
        return results;
    }

    /** A bulk change 15 s ago puts every product inside the 2-minute overlap of the next runs. */
    private static void bulkChange(FakeOdooServer odoo, SettableClock writes, List<Integer> ids, OdooKnowledgeSync last,
            Map<String, Object> results, PrintStream out) {
        writes.set(Instant.now().minusSeconds(15));
        int products = ids.size();
        ids.forEach(id -> odoo.write("product.template", id, Map.of("list_price", 99.0)));
        odoo.resetCounts();
        long t2 = System.nanoTime();
        OdooSyncReport bulk = last.runOnce();
        double bulkSecs = (System.nanoTime() - t2) / 1e9;
        long bulkCalls = odoo.requestCount();
        List<Double> overlapMillis = new ArrayList<>();
        long overlapCalls = 0;
        long overlapReads = 0;
        for (int i = 0; i < 10; i++) {
            odoo.resetCounts();
            long t3 = System.nanoTime();
            last.runOnce();
            overlapMillis.add((System.nanoTime() - t3) / 1e6);
            overlapCalls = odoo.requestCount();
            overlapReads += odoo.requestCount("read");
        }
        out.printf("after a bulk change of %d products: first run %d upserted in %.2f s, %d calls; the next 10 runs, inside the "
                + "overlap: median %.1f ms, %d call(s) each, %d reads in all%n", products, bulk.upserted(), bulkSecs, bulkCalls,
                median(overlapMillis), overlapCalls, overlapReads);
        results.put("overlap_after_bulk_change_median_ms", median(overlapMillis));
        results.put("overlap_after_bulk_change_calls", overlapCalls);
    }

    static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
