package io.ragmail.benchmarks.knowledge;

import dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel;
import io.ragmail.benchmarks.RetrievalQuality;
import io.ragmail.benchmarks.SearchSpeed;
import io.ragmail.core.KnowledgeDocument;
import io.ragmail.core.KnowledgeQuery;
import io.ragmail.core.KnowledgeStore;
import io.ragmail.core.Passage;
import io.ragmail.core.knowledge.QueryRewriter;
import io.ragmail.testkit.knowledge.QuestionCategory;
import io.ragmail.testkit.knowledge.SampleKnowledge;
import io.ragmail.testkit.knowledge.SampleQuestion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The benchmark programs on a reduced size (seconds), so that they keep working between runs. */
class HarnessSmokeTest {

    @Test
    void retrieval_quality_answers_most_faq_questions_from_the_faq_pages_with_the_real_model() throws Exception {
        List<KnowledgeDocument> faqs = SampleKnowledge.documents().stream()
                .filter(d -> d.sourceId().startsWith("faq:") && !d.sourceId().startsWith("faq:substance-")).toList();
        Set<String> ids = faqs.stream().map(KnowledgeDocument::sourceId).collect(Collectors.toSet());
        List<SampleQuestion> questions = SampleKnowledge.questions().stream()
                .filter(q -> ids.containsAll(q.expectedSourceIds())).toList();
        assertThat(questions).hasSizeGreaterThan(40);

        var reports = RetrievalQuality.run(List.of(BaselineConfigurations.inMemoryBruteForce()), faqs, questions,
                new BgeSmallEnV15QuantizedEmbeddingModel());

        var report = reports.get("inmemory-bruteforce");
        assertThat(report.outcomes()).hasSize(questions.size());
        assertThat(report.overall().recallAt5()).isGreaterThan(0.8);
        assertThat(report.byCategory()).containsKey(QuestionCategory.ORDER);

        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        RetrievalQuality.print(reports, new PrintStream(printed, true, StandardCharsets.UTF_8), true);
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("| inmemory-bruteforce |", "| order (");
    }

    @Test
    void retrieval_quality_runs_with_mistral_embed_through_the_embeddings_api() throws Exception {
        List<SampleQuestion> questions = SampleKnowledge.questions().stream()
                .filter(q -> q.category() == QuestionCategory.FAQ).limit(5).toList();
        Set<String> expected = questions.stream().flatMap(q -> q.expectedSourceIds().stream()).collect(Collectors.toSet());
        List<KnowledgeDocument> faqs = SampleKnowledge.documents().stream()
                .filter(d -> d.sourceId().startsWith("faq:") || expected.contains(d.sourceId())).limit(60).toList();
        try (io.ragmail.testkit.mistral.FakeMistralServer mistral = io.ragmail.testkit.mistral.FakeMistralServer.start()) {
            var model = new CachingEmbeddingModel(RetrievalQuality.embeddingModel(RetrievalQuality.MISTRAL_EMBED, mistral.apiKey(),
                    mistral.baseUrl()));

            var reports = RetrievalQuality.run(RetrievalQuality.configurations("lucene-hybrid", false), faqs, questions, model);

            // the fake's vectors mean nothing: only that the run goes through the API is checked, not the numbers
            assertThat(questions).hasSize(5);
            assertThat(reports.get("lucene-hybrid").outcomes()).hasSize(questions.size());
            assertThat(mistral.embeddingRequestCount()).isPositive();
            assertThat(mistral.embeddingBatchSizes()).allSatisfy(size -> assertThat(size).isBetween(1, 32));
            assertThat(mistral.embeddingRequests()).allSatisfy(r -> assertThat(r.inputs()).noneMatch(
                    t -> t.startsWith(io.ragmail.core.knowledge.LuceneKnowledgeStore.BGE_QUERY_INSTRUCTION)));
        }
    }

    @Test
    void retrieval_quality_with_a_query_rewriter_also_searches_a_german_mail_with_the_english_rewrite() throws Exception {
        SampleQuestion english = SampleKnowledge.questions().stream()
                .filter(q -> q.category() == QuestionCategory.FAQ).findFirst().orElseThrow();
        List<KnowledgeDocument> faqs = SampleKnowledge.documents().stream()
                .filter(d -> d.sourceId().startsWith("faq:") || english.expectedSourceIds().contains(d.sourceId())).toList();
        String german = "Guten Tag, ich habe eine Frage zu Ihrem Angebot und wäre Ihnen für eine kurze Antwort sehr dankbar.";
        SampleQuestion asked = new SampleQuestion("de-1", german, english.expectedSourceIds(), QuestionCategory.NON_ENGLISH);
        try (io.ragmail.testkit.mistral.FakeMistralServer mistral = io.ragmail.testkit.mistral.FakeMistralServer.start()) {
            mistral.replyWith(request -> english.text()); // the "translation" is the English question it stands for
            QueryRewriter rewriter = RetrievalQuality.queryRewriter("mistral", mistral.apiKey(), mistral.baseUrl());

            var reports = RetrievalQuality.run(RetrievalQuality.configurations("lucene-hybrid"), faqs, List.of(asked),
                    new CachingEmbeddingModel(RetrievalQuality.embeddingModel(RetrievalQuality.BGE, null, null)), rewriter);

            String plain = "lucene-hybrid" + RetrievalQuality.MAIL_SUFFIX;
            assertThat(reports).containsKeys(plain, plain + RetrievalQuality.REWRITE_SUFFIX);
            // the German words alone share nothing with the FAQ page; with the rewrite it is among the results
            // (merged in turns with the original's, which here are all wrong, so not necessarily first)
            assertThat(reports.get(plain).outcomes().get(0).rank()).isZero();
            assertThat(reports.get(plain + RetrievalQuality.REWRITE_SUFFIX).outcomes().get(0).rank()).isPositive();
            assertThat(mistral.requests()).singleElement().satisfies(r -> assertThat(r.lastUser()).contains("Frage zu Ihrem Angebot"));
        }
    }

    @Test
    void search_speed_measures_every_baseline_on_a_small_index() throws Exception {
        for (StoreConfiguration c : BaselineConfigurations.all()) {
            SearchSpeed.SearchResult r = SearchSpeed.measureSearch(c, 300, 20, 5);
            assertThat(r.store()).isEqualTo(c.name());
            assertThat(r.chunks()).isEqualTo(300);
            // the numbers a reader compares must have been measured, not left at a default
            assertThat(r.p50Millis()).as(c.name() + " p50").isPositive();
            assertThat(r.p50AfterLoadMillis()).as(c.name() + " p50 after load").isPositive();
            assertThat(r.ingestSeconds()).as(c.name() + " ingest").isPositive();
            assertThat(r.diskMegabytes()).as(c.name() + " disk").isPositive();
        }
    }

    /**
     * What the speed numbers are worth: every baseline, closed and opened again from its directory as
     * the benchmark does, still finds each stored chunk first when asked with that chunk's own text.
     * A store that lost its index or returned nothing would be fast, and the benchmark would say so.
     */
    @Test
    void every_baseline_reopened_from_disk_finds_what_was_stored(@TempDir Path tmp)
            throws Exception {
        List<KnowledgeDocument> docs = SyntheticChunks.generate(SampleKnowledge.documents(), 20, 7);
        var model = new BgeSmallEnV15QuantizedEmbeddingModel();
        for (StoreConfiguration c : BaselineConfigurations.all()) {
            Path dir = Files.createDirectories(tmp.resolve(c.name()));
            KnowledgeStore store = c.open(dir, model);
            store.upsert(docs);
            c.flush(store, dir);
            c.close(store);
            KnowledgeStore reopened = c.open(dir, model);
            try {
                for (KnowledgeDocument doc : docs.subList(0, 5)) {
                    List<Passage> hits = reopened.search(KnowledgeQuery.of(doc.text()));
                    assertThat(hits).as(c.name() + " " + doc.sourceId()).isNotEmpty();
                    assertThat(hits.get(0).sourceId()).as(c.name()).isEqualTo(doc.sourceId());
                }
            } finally {
                c.close(reopened);
            }
        }
    }

    @Test
    void synthetic_chunks_are_distinct_single_chunk_documents() {
        List<KnowledgeDocument> docs = SyntheticChunks.generate(SampleKnowledge.documents(), 500, 1);
        assertThat(docs).hasSize(500);
        assertThat(docs).extracting(KnowledgeDocument::sourceId).doesNotHaveDuplicates();
        assertThat(docs).allSatisfy(d -> {
            assertThat(d.text()).isNotBlank();
            assertThat(d.text().length()).isLessThanOrEqualTo(SyntheticChunks.MAX_CHARS);
            assertThat(Chunks.split(d)).hasSize(1);
        });
    }
}
