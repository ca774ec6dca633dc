package io.ragmail.core.knowledge;

import io.ragmail.core.KnowledgeDocument;
import io.ragmail.core.KnowledgeQuery;
import io.ragmail.core.Passage;
import io.ragmail.core.KnowledgeStore;
import io.ragmail.testkit.contract.KnowledgeStoreContract;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LuceneKnowledgeStoreTest {

    @TempDir
    Path dir;

    private static final List<KnowledgeDocument> SOLVENTS = List.of(
            new KnowledgeDocument("sds:acetone", "Acetone safety data sheet",
                    "Product ACE-500, acetone, CAS 67-64-1. Hazard statements: highly flammable liquid and vapour; "
                            + "causes serious eye irritation; may cause drowsiness or dizziness. Flash point -20 C. "
                            + "Keep away from heat, hot surfaces, sparks, open flames and other ignition sources.",
                    Map.of("type", "sds")),
            new KnowledgeDocument("sds:isopropanol", "Isopropanol safety data sheet",
                    "Product IPA-500, isopropyl alcohol, CAS 67-63-0. Highly flammable liquid and vapour. "
                            + "Flash point 12 C. Keep away from heat and open flames.",
                    Map.of("type", "sds")),
            new KnowledgeDocument("sds:ethanol", "Ethanol safety data sheet",
                    "Product ETH-500, ethanol 96 percent, CAS 64-17-5. Highly flammable liquid and vapour. "
                            + "Flash point 13 C. Keep container tightly closed.",
                    Map.of("type", "sds")),
            new KnowledgeDocument("product:ace-250", "Acetone 2.5 L bottle",
                    "Product ACE-250: acetone, technical grade, 2.5 litre glass bottle. Fast evaporating solvent "
                            + "for cleaning and degreasing.",
                    Map.of("type", "product")),
            new KnowledgeDocument("product:ace-1000", "Acetone 10 L canister",
                    "Product ACE-1000: acetone, technical grade, 10 litre canister. Fast evaporating solvent "
                            + "for cleaning and degreasing.",
                    Map.of("type", "product")),
            new KnowledgeDocument("product:ace-500", "Acetone 5 L canister",
                    "Product ACE-500 is our acetone in a 5 litre metal canister with a child-proof cap, "
                            + "shipped by road only as dangerous goods class 3.",
                    Map.of("type", "product")),
            new KnowledgeDocument("faq:shipping", "Shipping times",
                    "We ship every order within two working days. Dangerous goods travel by road.",
                    Map.of("type", "faq")));

    private LuceneKnowledgeStore.Builder builder() {
        return LuceneKnowledgeStore.builder().directory(dir.resolve("index")).embeddingModel(TestModels.bge());
    }

    /** The same kit as every other store. */
    @Nested
    class Contract extends KnowledgeStoreContract {
        @Override
        protected KnowledgeStore newStore() {
            return builder().build();
        }
    }

    private static List<String> ids(List<Passage> passages) {
        return passages.stream().map(Passage::sourceId).toList();
    }

    @Test
    void an_exact_cas_number_is_found_through_bm25_where_vectors_alone_miss_it() throws IOException {
        KnowledgeQuery ethanol = new KnowledgeQuery("SDS for 64-17-5 please", 3, Map.of());
        KnowledgeQuery isopropanol = new KnowledgeQuery("67-63-0", 3, Map.of());
        try (LuceneKnowledgeStore hybrid = builder().build()) {
            hybrid.upsert(SOLVENTS);

            assertThat(ids(hybrid.search(ethanol)).get(0)).isEqualTo("sds:ethanol");
            assertThat(ids(hybrid.search(isopropanol)).get(0)).isEqualTo("sds:isopropanol");
        }
        try (LuceneKnowledgeStore vectorsOnly = builder().keywordWeight(0).identifierWeight(0).build()) {
            assertThat(ids(vectorsOnly.search(ethanol)).get(0)).isNotEqualTo("sds:ethanol");
            assertThat(ids(vectorsOnly.search(isopropanol)).get(0)).isNotEqualTo("sds:isopropanol");
        }
    }

    @Test
    void an_exact_product_code_ranks_its_product_first() throws IOException {
        try (LuceneKnowledgeStore hybrid = builder().build()) {
            hybrid.upsert(SOLVENTS);
            KnowledgeQuery query = new KnowledgeQuery("Do you have ACE-1000 in stock?", 3, Map.of("type", "product"));

            assertThat(ids(hybrid.search(query)).get(0)).isEqualTo("product:ace-1000");
        }
    }

    @Test
    void a_paraphrase_is_found_through_vectors_where_keywords_alone_miss_it() throws IOException {
        // no word of the question is in the acetone data sheet: only the embedding knows the connection
        KnowledgeQuery query = new KnowledgeQuery("is your nail polish remover a fire risk?", 3, Map.of());
        try (LuceneKnowledgeStore hybrid = builder().build()) {
            hybrid.upsert(SOLVENTS);

            assertThat(ids(hybrid.search(query)).get(0)).isEqualTo("sds:acetone");
        }
        try (LuceneKnowledgeStore keywordsOnly = builder().vectorWeight(0).build()) {
            assertThat(keywordsOnly.search(query)).extracting(Passage::sourceId).doesNotContain("sds:acetone");
        }
    }

    @Test
    void identifiers_are_findable_whole_and_by_their_parts() throws IOException {
        try (LuceneKnowledgeStore keywordsOnly = builder().vectorWeight(0).build()) {
            keywordsOnly.upsert(SOLVENTS);

            assertThat(ids(keywordsOnly.search(new KnowledgeQuery("67-64-1", 1, Map.of())))).containsExactly("sds:acetone");
            assertThat(ids(keywordsOnly.search(new KnowledgeQuery("ace-1000", 1, Map.of()))))
                    .containsExactly("product:ace-1000");
            assertThat(ids(keywordsOnly.search(new KnowledgeQuery("canister 1000", 1, Map.of()))))
                    .containsExactly("product:ace-1000");
        }
    }

    @Test
    void the_index_survives_a_restart() throws IOException {
        try (LuceneKnowledgeStore store = builder().build()) {
            assertThat(store.openOutcome()).isEqualTo(LuceneKnowledgeStore.OpenOutcome.CREATED);
            store.upsert(SOLVENTS);
        }

        try (LuceneKnowledgeStore reopened = builder().build()) {
            assertThat(reopened.openOutcome()).isEqualTo(LuceneKnowledgeStore.OpenOutcome.OPENED);
            assertThat(reopened.chunkCount()).isEqualTo(SOLVENTS.size());
            assertThat(ids(reopened.search(KnowledgeQuery.of("how flammable is acetone?")))).contains("sds:acetone");
            assertThat(reopened.sourceVersions("sds:")).containsOnlyKeys("sds:acetone", "sds:isopropanol", "sds:ethanol");
        }
    }

    @Test
    void a_resync_of_unchanged_documents_makes_no_embedding_call_even_after_a_restart() throws IOException {
        CountingEmbeddingModel counting = new CountingEmbeddingModel(TestModels.bge());
        try (LuceneKnowledgeStore store = builder().embeddingModel(counting).build()) {
            store.upsert(SOLVENTS);
            assertThat(counting.texts.get()).isEqualTo(SOLVENTS.size());
            counting.reset();

            store.upsert(SOLVENTS);
            assertThat(counting.calls.get()).isZero();
        }
        try (LuceneKnowledgeStore store = builder().embeddingModel(counting).build()) {
            store.upsert(SOLVENTS);
            assertThat(counting.calls.get()).isZero();

            List<KnowledgeDocument> oneChanged = new ArrayList<>(SOLVENTS);
            oneChanged.set(6, new KnowledgeDocument("faq:shipping", "Shipping times", "We ship within three days."));
            store.upsert(oneChanged);
            assertThat(counting.texts.get()).isEqualTo(1);
            assertThat(store.search(KnowledgeQuery.of("shipping times"))).anySatisfy(p ->
                    assertThat(p.text()).isEqualTo("We ship within three days."));
        }
    }

    @Test
    void searches_running_during_a_sync_see_the_old_or_the_new_version_never_none() throws Exception {
        int products = 12;
        try (LuceneKnowledgeStore store = builder().build()) {
            store.upsert(versions(products, 1));
            AtomicBoolean writing = new AtomicBoolean(true);
            AtomicInteger searches = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(3);
            try {
                Future<?> writer = pool.submit(() -> {
                    try {
                        for (int version = 2; version <= 4; version++) {
                            for (KnowledgeDocument document : versions(products, version)) {
                                store.upsert(List.of(document));
                            }
                        }
                    } finally {
                        writing.set(false);
                    }
                    return null;
                });
                List<Future<?>> readers = new ArrayList<>();
                for (int r = 0; r < 2; r++) {
                    int offset = r;
                    readers.add(pool.submit(() -> {
                        int i = offset;
                        while (writing.get() || i < offset + products) {
                            int product = i++ % products;
                            List<Passage> passages = store.search(new KnowledgeQuery("spare part for model",
                                    5, Map.of("sku", "PRD-" + product)));
                            assertThat(passages).as("product %s during the sync", product).singleElement()
                                    .satisfies(p -> {
                                        assertThat(p.sourceId()).isEqualTo("product:" + product);
                                        assertThat(p.text()).containsPattern("Version [1-4] of");
                                    });
                            searches.incrementAndGet();
                        }
                        return null;
                    }));
                }
                writer.get(2, TimeUnit.MINUTES);
                for (Future<?> reader : readers) {
                    reader.get(2, TimeUnit.MINUTES);
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(searches.get()).isGreaterThanOrEqualTo(2 * products);
            assertThat(store.search(new KnowledgeQuery("spare part", 5, Map.of("sku", "PRD-3"))))
                    .singleElement().satisfies(p -> assertThat(p.text()).startsWith("Version 4 of"));
        }
    }

    private static List<KnowledgeDocument> versions(int products, int version) {
        List<KnowledgeDocument> documents = new ArrayList<>();
        for (int i = 0; i < products; i++) {
            documents.add(new KnowledgeDocument("product:" + i, "Spare part PRD-" + i,
                    "Version " + version + " of the data: spare part PRD-" + i + " fits model " + (100 + i) + ".",
                    Map.of("sku", "PRD-" + i)));
        }
        return documents;
    }

    @Test
    void opening_an_index_with_another_embedding_model_is_refused_with_a_clear_error() throws IOException {
        try (LuceneKnowledgeStore store = builder().build()) {
            store.upsert(SOLVENTS);
        }

        assertThatThrownBy(() -> builder().embeddingModel(new HashingEmbeddingModel()).build())
                .isInstanceOfSatisfying(EmbeddingModelMismatchException.class, e -> {
                    assertThat(e.indexedModel()).isEqualTo("bge-small-en-v1.5-q/384");
                    assertThat(e.requestedModel()).isEqualTo("hashing-64/64");
                    assertThat(e.getMessage()).contains("rebuildOnModelChange");
                });

        try (LuceneKnowledgeStore store = builder().build()) {
            assertThat(store.chunkCount()).as("a refused open leaves the index as it was").isEqualTo(SOLVENTS.size());
        }
    }

    @Test
    void a_changed_chunk_size_re_splits_every_source_on_open_not_only_the_ones_that_change_later() throws IOException {
        StringBuilder longText = new StringBuilder();
        for (KnowledgeDocument solvent : SOLVENTS) {
            longText.append(solvent.text()).append("\n\n");
        }
        KnowledgeDocument handbook = new KnowledgeDocument("faq:handbook", "Solvent handbook", longText.toString(), Map.of());
        try (LuceneKnowledgeStore store = builder().chunkSize(300).chunkOverlap(30).build()) {
            store.upsert(List.of(handbook));
            assertThat(store.chunkCount()).isGreaterThan(3);
        }

        CountingEmbeddingModel counting = new CountingEmbeddingModel(TestModels.bge());
        try (LuceneKnowledgeStore store = builder().embeddingModel(counting).build()) {
            assertThat(store.openOutcome()).isEqualTo(LuceneKnowledgeStore.OpenOutcome.REBUILT_FOR_NEW_CHUNKING);
            assertThat(store.chunkCount()).as("1500-character chunks").isEqualTo(1);
            assertThat(counting.texts.get()).as("the one new chunk").isEqualTo(1);
            assertThat(ids(store.search(KnowledgeQuery.of("child-proof cap")))).containsExactly("faq:handbook");
            counting.reset();
            store.upsert(List.of(handbook));
            assertThat(counting.texts.get()).as("the unchanged document is still skipped").isZero();
        }
        try (LuceneKnowledgeStore store = builder().embeddingModel(counting).build()) {
            assertThat(store.openOutcome()).isEqualTo(LuceneKnowledgeStore.OpenOutcome.OPENED);
            assertThat(counting.texts.get()).as("same settings: nothing re-embedded").isZero();
        }
    }

    @Test
    void asked_to_rebuild_the_store_re_embeds_every_source_from_the_index_itself() throws IOException {
        try (LuceneKnowledgeStore store = builder().build()) {
            store.upsert(SOLVENTS);
        }

        try (LuceneKnowledgeStore rebuilt = builder().embeddingModel(new HashingEmbeddingModel())
                .rebuildOnModelChange(true).build()) {
            assertThat(rebuilt.openOutcome()).isEqualTo(LuceneKnowledgeStore.OpenOutcome.REBUILT_FOR_NEW_MODEL);
            assertThat(rebuilt.embeddingModelDescription()).isEqualTo("hashing-64/64");
            assertThat(rebuilt.chunkCount()).isEqualTo(SOLVENTS.size());
            assertThat(rebuilt.search(new KnowledgeQuery("child-proof cap canister", 5, Map.of("type", "product"))))
                    .extracting(Passage::sourceId).first().isEqualTo("product:ace-500");
        }
        try (LuceneKnowledgeStore reopened = builder().embeddingModel(new HashingEmbeddingModel()).build()) {
            assertThat(reopened.openOutcome()).isEqualTo(LuceneKnowledgeStore.OpenOutcome.OPENED);
        }
    }

    @Test
    void a_torn_newest_commit_is_rolled_back_to_the_last_good_commit_not_emptied() throws IOException {
        try (LuceneKnowledgeStore store = builder().build()) {
            store.upsert(SOLVENTS.subList(0, 3));
            store.upsert(SOLVENTS.subList(3, 7));
        }
        Path newest = newestCommit();
        Files.write(newest, java.util.Arrays.copyOf(Files.readAllBytes(newest), (int) (Files.size(newest) / 2)));

        try (LuceneKnowledgeStore store = builder().build()) {
            assertThat(store.openOutcome()).isEqualTo(LuceneKnowledgeStore.OpenOutcome.ROLLED_BACK);
            assertThat(store.sourceVersions("")).containsOnlyKeys("sds:acetone", "sds:isopropanol", "sds:ethanol");

            store.upsert(SOLVENTS);
            assertThat(store.chunkCount()).isEqualTo(SOLVENTS.size());
        }
        try (LuceneKnowledgeStore store = builder().build()) {
            assertThat(store.openOutcome()).isEqualTo(LuceneKnowledgeStore.OpenOutcome.OPENED);
            assertThat(store.chunkCount()).isEqualTo(SOLVENTS.size());
        }
    }

    @Test
    void a_commit_interrupted_before_it_was_published_leaves_the_previous_commit_readable() throws IOException {
        try (LuceneKnowledgeStore store = builder().build()) {
            store.upsert(SOLVENTS);
        }
        long generation = org.apache.lucene.index.SegmentInfos.generationFromSegmentsFileName(
                newestCommit().getFileName().toString());
        // what a process killed in the middle of IndexWriter.commit() leaves behind
        Files.write(dir.resolve("index").resolve("pending_segments_" + Long.toString(generation + 1, Character.MAX_RADIX)),
                new byte[] {0x3f, (byte) 0xd7, 0x6c, 0x17, 1, 2, 3});
        Files.write(dir.resolve("index").resolve("_zz.si"), new byte[] {1, 2, 3});

        try (LuceneKnowledgeStore store = builder().build()) {
            assertThat(store.openOutcome()).isEqualTo(LuceneKnowledgeStore.OpenOutcome.OPENED);
            assertThat(store.chunkCount()).isEqualTo(SOLVENTS.size());
            assertThat(ids(store.search(KnowledgeQuery.of("67-64-1")))).first().isEqualTo("sds:acetone");
        }
    }

    @Test
    void an_index_with_no_readable_commit_is_reported_not_silently_emptied() throws IOException {
        try (LuceneKnowledgeStore store = builder().build()) {
            store.upsert(SOLVENTS);
        }
        try (Stream<Path> files = Files.list(dir.resolve("index"))) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith("segments_")).toList()) {
                Files.write(file, new byte[] {1, 2, 3, 4});
            }
        }

        assertThatThrownBy(() -> builder().build())
                .isInstanceOfSatisfying(KnowledgeIndexCorruptedException.class,
                        e -> assertThat(e.directory()).isEqualTo(dir.resolve("index")));

        try (LuceneKnowledgeStore store = builder().recreateIfUnrecoverable(true).build()) {
            assertThat(store.openOutcome()).isEqualTo(LuceneKnowledgeStore.OpenOutcome.RECREATED_EMPTY);
            assertThat(store.chunkCount()).isZero();
        }
        try (Stream<Path> siblings = Files.list(dir)) {
            assertThat(siblings.map(p -> p.getFileName().toString()))
                    .as("the broken index is kept aside for inspection")
                    .anyMatch(name -> name.startsWith("index.corrupt-"));
        }
    }

    private Path newestCommit() throws IOException {
        try (Stream<Path> files = Files.list(dir.resolve("index"))) {
            return files.filter(f -> f.getFileName().toString().startsWith("segments_"))
                    .max(Comparator.comparingLong(f -> org.apache.lucene.index.SegmentInfos
                            .generationFromSegmentsFileName(f.getFileName().toString())))
                    .orElseThrow();
        }
    }

    @Test
    void settings_are_validated_with_messages_that_name_them() {
        assertThatThrownBy(() -> LuceneKnowledgeStore.builder().build()).hasMessageContaining("directory");
        assertThatThrownBy(() -> builder().chunkSize(500).chunkOverlap(500).build()).hasMessageContaining("chunkOverlap");
        assertThatThrownBy(() -> builder().embeddingBatchSize(0).build()).hasMessageContaining("embeddingBatchSize");
        assertThatThrownBy(() -> builder().keywordWeight(0).vectorWeight(0).build()).hasMessageContaining("vectorWeight");
    }

    @Test
    void a_blank_query_finds_nothing_and_a_closed_store_says_so() throws IOException {
        LuceneKnowledgeStore store = builder().build();
        store.upsert(SOLVENTS);
        assertThat(store.search(KnowledgeQuery.of("  "))).isEmpty();
        store.close();

        assertThatThrownBy(() -> store.search(KnowledgeQuery.of("acetone"))).hasMessageContaining("closed");
    }
}
