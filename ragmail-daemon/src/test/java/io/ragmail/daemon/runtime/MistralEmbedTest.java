package io.ragmail.daemon.runtime;

import io.ragmail.core.KnowledgeDocument;
import io.ragmail.core.KnowledgeQuery;
import io.ragmail.core.Passage;
import io.ragmail.core.knowledge.LuceneKnowledgeStore;
import io.ragmail.config.KnowledgeIndex;
import io.ragmail.config.RagmailConfig;
import io.ragmail.testkit.mistral.FakeMistralServer;
import io.ragmail.testkit.mistral.RecordedEmbeddingRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code ragmail.knowledge.embedding-model=mistral-embed}: langchain4j's real {@code MistralAiEmbeddingModel}
 * against {@link FakeMistralServer}'s {@code /v1/embeddings}. The fake's vectors are a hashed bag of
 * words, so these tests check the mechanics (batches, calls, re-embedding, failures), not retrieval
 * quality in any language.
 */
class MistralEmbedTest {

    private static final String KEY = "sk-embed-SECRET-0123456789";

    @TempDir
    Path dir;

    final FakeMistralServer mistral = FakeMistralServer.builder().apiKey(KEY).build();

    @AfterEach
    void stop() {
        mistral.close();
    }

    RagmailConfig config(String model, String key) {
        Map<String, String> settings = new HashMap<>();
        settings.put("ragmail.knowledge.embedding-model", model);
        if (key != null) {
            settings.put("ragmail.mistral.api-key", key);
        }
        settings.put("ragmail.mistral.base-url", mistral.baseUrl());
        settings.put("ragmail.mistral.requests-per-second", "1000");
        Map<String, String> copy = Map.copyOf(settings);
        return copy::get;
    }

    static List<KnowledgeDocument> products(int count) {
        List<KnowledgeDocument> documents = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            documents.add(new KnowledgeDocument("product:" + i, "Product " + i,
                    "Solvent number " + i + " ships in drums of " + (i + 1) * 10 + " litres.", Map.of()));
        }
        documents.add(new KnowledgeDocument("faq:returns", "Returns", "Unopened goods can be returned within 30 days.", Map.of()));
        return documents;
    }

    @Test
    void documents_are_embedded_through_mistral_in_batches_of_32_and_each_query_costs_one_call() {
        try (LuceneKnowledgeStore store = KnowledgeIndex.open(config("mistral-embed", KEY), dir.resolve("index"), Clock.systemUTC(), true)) {
            assertThat(store.embeddingModelDescription()).isEqualTo("mistral-embed/1024");
            assertThat(mistral.embeddingBatchSizes()).as("opening asks for the dimension once").containsExactly(1);
            mistral.reset();

            store.upsert(products(40)); // 41 one-chunk documents

            assertThat(mistral.embeddingBatchSizes()).containsExactly(32, 9);
            assertThat(mistral.embeddingRequests()).allSatisfy(r -> {
                assertThat(r.model()).isEqualTo("mistral-embed");
                assertThat(r.authorized()).isTrue();
            });
            assertThat(mistral.requestCount()).as("no chat call").isZero();
            mistral.reset();

            List<Passage> found = store.search(new KnowledgeQuery("can unopened goods be returned", 5, Map.of()));

            assertThat(found).isNotEmpty();
            assertThat(found.get(0).sourceId()).isEqualTo("faq:returns");
            assertThat(mistral.embeddingRequests()).extracting(RecordedEmbeddingRequest::inputs)
                    .as("one call, the query without bge's instruction").containsExactly(List.of("can unopened goods be returned"));
        }
    }

    @Test
    void a_5xx_is_retried_by_the_model_and_a_key_revoked_later_fails_searches_as_an_authentication_problem() {
        try (LuceneKnowledgeStore store = KnowledgeIndex.open(config("mistral-embed", KEY), dir.resolve("index"), Clock.systemUTC(), true)) {
            store.upsert(products(2));
            mistral.reset();

            mistral.enqueue(io.ragmail.testkit.mistral.MistralFault.serverError(503));
            assertThat(store.search(new KnowledgeQuery("unopened goods", 3, Map.of()))).isNotEmpty();
            assertThat(mistral.embeddingRequests()).extracting(RecordedEmbeddingRequest::status).containsExactly(503, 200);

            mistral.enqueue(io.ragmail.testkit.mistral.MistralFault.unauthorized());
            assertThatThrownBy(() -> store.search(new KnowledgeQuery("unopened goods", 3, Map.of())))
                    .isInstanceOf(io.ragmail.core.AuthenticationException.class)
                    .satisfies(e -> assertThat(((io.ragmail.core.AuthenticationException) e).component()).isEqualTo("knowledge"));
        }
    }

    @Test
    void switching_from_bge_to_mistral_embed_re_embeds_every_chunk_once_and_the_next_start_nothing() {
        Path index = dir.resolve("index");
        try (LuceneKnowledgeStore bge = KnowledgeIndex.open(config("bge-small-en", null), index, Clock.systemUTC(), true)) {
            bge.upsert(products(40));
            assertThat(bge.embeddingModelDescription()).isEqualTo("bge-small-en-v1.5-q/384");
        }
        assertThat(mistral.embeddingRequestCount()).as("bge is in-process").isZero();

        try (LuceneKnowledgeStore switched = KnowledgeIndex.open(config("mistral-embed", KEY), index, Clock.systemUTC(), true)) {
            assertThat(switched.openOutcome()).isEqualTo(LuceneKnowledgeStore.OpenOutcome.REBUILT_FOR_NEW_MODEL);
            assertThat(switched.embeddingModelDescription()).isEqualTo("mistral-embed/1024");
            // the dimension probe, then the 41 chunks in batches
            assertThat(mistral.embeddingBatchSizes()).containsExactly(1, 32, 9);
            List<String> embedded = mistral.embeddingRequests().stream().skip(1).flatMap(r -> r.inputs().stream()).toList();
            assertThat(embedded).hasSize(41).doesNotHaveDuplicates();
            assertThat(embedded).anySatisfy(text -> assertThat(text).startsWith("Returns").contains("within 30 days"));
            assertThat(switched.search(new KnowledgeQuery("unopened goods returned", 3, Map.of())).get(0).sourceId())
                    .isEqualTo("faq:returns");
        }
        mistral.reset();

        try (LuceneKnowledgeStore again = KnowledgeIndex.open(config("mistral-embed", KEY), index, Clock.systemUTC(), true)) {
            assertThat(again.openOutcome()).isEqualTo(LuceneKnowledgeStore.OpenOutcome.OPENED);
            assertThat(mistral.embeddingBatchSizes()).as("only the dimension probe").containsExactly(1);
        }
    }

    @Test
    void a_refused_key_fails_the_open_clearly_without_the_key_and_leaves_the_index_as_it_was() {
        Path index = dir.resolve("index");
        try (LuceneKnowledgeStore bge = KnowledgeIndex.open(config("bge-small-en", null), index, Clock.systemUTC(), true)) {
            bge.upsert(products(3));
        }
        String wrongKey = "sk-WRONG-key-987654321";

        assertThatThrownBy(() -> KnowledgeIndex.open(config("mistral-embed", wrongKey), index, Clock.systemUTC(), true))
                .isInstanceOf(io.ragmail.core.AuthenticationException.class)
                .hasMessageContaining("refused the credentials")
                .satisfies(e -> {
                    for (Throwable t = e; t != null; t = t.getCause()) {
                        assertThat(String.valueOf(t.getMessage())).doesNotContain(wrongKey).doesNotContain(KEY);
                    }
                });
        assertThat(mistral.embeddingRequests()).extracting(RecordedEmbeddingRequest::status).as("not retried").containsExactly(401);

        try (LuceneKnowledgeStore bge = KnowledgeIndex.open(config("bge-small-en", null), index, Clock.systemUTC(), true)) {
            assertThat(bge.openOutcome()).isEqualTo(LuceneKnowledgeStore.OpenOutcome.OPENED);
            assertThat(bge.sourceVersions("product:")).hasSize(3);
        }
    }

    @Test
    void a_daemon_restarted_with_mistral_embed_re_embeds_its_bge_index_once_and_the_folder_sync_adds_nothing() throws Exception {
        Path kb = Files.createDirectories(dir.resolve("kb"));
        Files.writeString(kb.resolve("shipping.md"), "# Shipping\nWe ship within 2 days.");
        Files.writeString(kb.resolve("returns.md"), "# Returns\nReturns within 30 days.");
        try (DaemonFixture fx = new DaemonFixture(dir.resolve("data"))) {
            fx.settings.put("ragmail.knowledge.dir", kb.toString());
            try (Daemon daemon = fx.daemon()) {
                daemon.start();
                assertThat(daemon.store().embeddingModelDescription()).isEqualTo("bge-small-en-v1.5-q/384");
            }
            assertThat(fx.mistral.embeddingRequestCount()).isZero();

            fx.settings.put("ragmail.knowledge.embedding-model", "mistral-embed");
            try (Daemon daemon = fx.daemon()) {
                daemon.start();

                assertThat(daemon.store().openOutcome()).isEqualTo(LuceneKnowledgeStore.OpenOutcome.REBUILT_FOR_NEW_MODEL);
                assertThat(daemon.store().sourceVersions("file:")).containsOnlyKeys("file:shipping.md", "file:returns.md");
                // the dimension, then both sources in one batch; the folder sync after it finds nothing changed
                assertThat(fx.mistral.embeddingBatchSizes()).containsExactly(1, 2);
            }
        }
    }

    @Test
    void the_daemon_refuses_to_start_when_mistral_refuses_the_key_saying_why_without_the_key() throws Exception {
        String wrongKey = "sk-WRONG-daemon-key-55555";
        try (DaemonFixture fx = new DaemonFixture(dir.resolve("data"))) {
            fx.settings.put("ragmail.knowledge.embedding-model", "mistral-embed");
            fx.settings.put("ragmail.mistral.api-key", wrongKey);
            try (Daemon daemon = fx.daemon()) {
                assertThatThrownBy(daemon::start)
                        .isInstanceOf(DaemonStartException.class)
                        .hasMessageContaining("cannot be opened with mistral-embed")
                        .hasMessageContaining("refused the credentials")
                        .satisfies(e -> assertThat(((DaemonStartException) e).component()).isEqualTo("knowledge"))
                        .satisfies(e -> {
                            for (Throwable t = e; t != null; t = t.getCause()) {
                                assertThat(String.valueOf(t.getMessage())).doesNotContain(wrongKey);
                            }
                        });
            }
            assertThat(fx.mistral.embeddingRequests()).extracting(RecordedEmbeddingRequest::status).containsExactly(401);
        }
    }

    @Test
    void mistral_embed_without_an_api_key_is_a_configuration_problem() {
        assertThat(config("mistral-embed", null).problems())
                .contains("ragmail.knowledge.embedding-model: mistral-embed needs ragmail.mistral.api-key (or MISTRAL_API_KEY), is missing");
        assertThat(config("bge-small-en", null).problems()).noneMatch(p -> p.startsWith("ragmail.knowledge.embedding-model"));
        assertThat(config("mistral-embedding", KEY).problems())
                .anyMatch(p -> p.startsWith("ragmail.knowledge.embedding-model: expected one of bge-small-en, mistral-embed"));
    }

    @Test
    void the_daemon_ingests_its_knowledge_folder_through_mistral_embed() throws Exception {
        Path kb = Files.createDirectories(dir.resolve("kb"));
        Files.writeString(kb.resolve("shipping.md"), "# Shipping\nWe ship within 2 days.");
        Files.writeString(kb.resolve("returns.md"), "# Returns\nReturns within 30 days.");
        try (DaemonFixture fx = new DaemonFixture(dir.resolve("data"))) {
            fx.settings.put("ragmail.knowledge.dir", kb.toString());
            fx.settings.put("ragmail.knowledge.embedding-model", "mistral-embed");
            try (Daemon daemon = fx.daemon()) {
                daemon.start();

                assertThat(daemon.store().embeddingModelDescription()).isEqualTo("mistral-embed/1024");
                assertThat(fx.mistral.embeddingBatchSizes()).containsExactly(1, 2);
                assertThat(fx.mistral.embeddingRequests().get(1).inputs())
                        .anySatisfy(text -> assertThat(text).contains("We ship within 2 days."));
            }
        }
    }
}
