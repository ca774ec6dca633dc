package io.ragmail.core.knowledge;

import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.store.embedding.inmemory.InMemoryEmbeddingStore;
import io.ragmail.core.KnowledgeQuery;
import io.ragmail.core.KnowledgeStore;
import io.ragmail.core.NonRetriableException;
import io.ragmail.core.Passage;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.encryption.AccessPermission;
import org.apache.pdfbox.pdmodel.encryption.StandardProtectionPolicy;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FileKnowledgeIngesterTest {

    @TempDir
    Path tmp;

    private Path folder;
    private CountingEmbeddingModel model;
    private LuceneKnowledgeStore store;

    @BeforeEach
    void setUp() throws IOException {
        folder = Files.createDirectories(tmp.resolve("knowledge"));
        model = new CountingEmbeddingModel(TestModels.bge());
        store = LuceneKnowledgeStore.builder().directory(tmp.resolve("index")).embeddingModel(model).build();
    }

    @AfterEach
    void tearDown() throws IOException {
        store.close();
    }

    private FileKnowledgeIngester ingester(KnowledgeStore target) {
        return FileKnowledgeIngester.builder().store(target).folder(folder).maxFileSize(64 * 1024).build();
    }

    private List<String> find(KnowledgeStore target, String question) {
        return target.search(new KnowledgeQuery(question, 3, Map.of())).stream().map(Passage::sourceId).toList();
    }

    private void writeGoodFiles() throws IOException {
        Files.writeString(folder.resolve("shipping.md"), "# Shipping times\n\nWe ship every order within two working days.\n");
        Files.writeString(folder.resolve("returns.txt"), "Unopened products can be returned within 30 days for a refund.\n");
        Files.writeString(folder.resolve("gloves.html"), "<html><head><title>Nitrile gloves</title>"
                + "<script>var tracking = 'ignore me';</script></head><body><h1>Nitrile gloves</h1>"
                + "<p>Powder free nitrile gloves, product code GLV-200, boxes of 100.</p></body></html>");
        Files.createDirectories(folder.resolve("sds"));
        pdf(folder.resolve("sds/acetone.pdf"), "Acetone safety data sheet", null,
                "Acetone, CAS 67-64-1.", "Highly flammable liquid and vapour.", "Flash point -20 C.");
    }

    @Test
    void a_first_sync_ingests_markdown_text_html_and_pdf_with_file_source_ids() throws IOException {
        writeGoodFiles();

        IngestReport report = ingester(store).sync();

        assertThat(report.added()).containsExactlyInAnyOrder(
                "file:shipping.md", "file:returns.txt", "file:gloves.html", "file:sds/acetone.pdf");
        assertThat(report.skipped()).isEmpty();
        assertThat(find(store, "67-64-1")).first().isEqualTo("file:sds/acetone.pdf");
        assertThat(find(store, "GLV-200")).first().isEqualTo("file:gloves.html");
        List<Passage> shipping = store.search(new KnowledgeQuery("how fast do you ship", 1, Map.of()));
        assertThat(shipping).singleElement().satisfies(p -> {
            assertThat(p.sourceId()).isEqualTo("file:shipping.md");
            assertThat(p.title()).isEqualTo("Shipping times");
        });
        List<Passage> pdf = store.search(new KnowledgeQuery("67-64-1", 1, Map.of("format", "pdf")));
        assertThat(pdf).singleElement().satisfies(p -> assertThat(p.title()).isEqualTo("Acetone safety data sheet"));
        assertThat(store.search(new KnowledgeQuery("tracking", 5, Map.of("format", "html")))).noneSatisfy(p ->
                assertThat(p.text()).contains("ignore me"));
    }

    @Test
    void a_second_sync_of_an_unchanged_folder_changes_nothing_and_embeds_nothing() throws IOException {
        writeGoodFiles();
        ingester(store).sync();
        model.reset();

        IngestReport again = ingester(store).sync();

        assertThat(again.noChanges()).isTrue();
        assertThat(again.unchanged()).hasSize(4);
        assertThat(model.calls.get()).isZero();
    }

    @Test
    void the_sync_follows_added_changed_and_removed_files() throws IOException {
        writeGoodFiles();
        FileKnowledgeIngester ingester = ingester(store);
        ingester.sync();

        Files.writeString(folder.resolve("returns.txt"), "Returns are no longer accepted after 14 days.\n");
        Files.delete(folder.resolve("shipping.md"));
        Files.writeString(folder.resolve("opening-hours.md"), "# Opening hours\n\nOur office is open 8 to 17 on weekdays.\n");
        IngestReport report = ingester.sync();

        assertThat(report.added()).containsExactly("file:opening-hours.md");
        assertThat(report.updated()).containsExactly("file:returns.txt");
        assertThat(report.removed()).containsExactly("file:shipping.md");
        assertThat(report.unchanged()).containsExactlyInAnyOrder("file:gloves.html", "file:sds/acetone.pdf");
        assertThat(store.sourceVersions("file:")).doesNotContainKey("file:shipping.md");
        assertThat(store.search(new KnowledgeQuery("can I return a product?", 5, Map.of())))
                .noneSatisfy(p -> assertThat(p.text()).contains("30 days"))
                .anySatisfy(p -> assertThat(p.text()).contains("14 days"));
    }

    @Test
    void a_fresh_ingester_finds_files_removed_while_the_application_was_down() throws IOException {
        writeGoodFiles();
        ingester(store).sync();
        Files.delete(folder.resolve("gloves.html"));

        IngestReport report = ingester(store).sync();

        assertThat(report.removed()).containsExactly("file:gloves.html");
        assertThat(find(store, "GLV-200")).doesNotContain("file:gloves.html");
    }

    @Test
    void bad_files_are_skipped_with_a_reason_and_the_rest_is_ingested() throws IOException {
        writeGoodFiles();
        Files.write(folder.resolve("empty.txt"), new byte[0]);
        Files.writeString(folder.resolve("huge.txt"), "x".repeat(65 * 1024));
        byte[] junk = new byte[4096];
        new Random(42).nextBytes(junk);
        Files.write(folder.resolve("junk.pdf"), junk);
        Files.write(folder.resolve("binary.txt"), new byte[] {'a', 0, 'b', 0, 'c'});
        pdf(folder.resolve("secret.pdf"), "Price list", "user-password", "Confidential prices.");
        Files.writeString(folder.resolve("catalogue.docx"), "not really a docx");
        Files.writeString(folder.resolve("blank.md"), "   \n\n  ");

        IngestReport report = ingester(store).sync();

        assertThat(report.added()).containsExactlyInAnyOrder(
                "file:shipping.md", "file:returns.txt", "file:gloves.html", "file:sds/acetone.pdf");
        assertThat(report.skipped()).extracting(IngestReport.Skipped::path, IngestReport.Skipped::reason)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("empty.txt", "empty file"),
                        org.assertj.core.groups.Tuple.tuple("huge.txt", "too large: 66560 bytes, maxFileSize is 65536"),
                        org.assertj.core.groups.Tuple.tuple("junk.pdf", report.skipped().stream()
                                .filter(s -> s.path().equals("junk.pdf")).findFirst().orElseThrow().reason()),
                        org.assertj.core.groups.Tuple.tuple("binary.txt", "binary content in a text file"),
                        org.assertj.core.groups.Tuple.tuple("secret.pdf", "encrypted PDF (needs a password)"),
                        org.assertj.core.groups.Tuple.tuple("catalogue.docx",
                                "unsupported file type .docx (supported: .md, .txt, .html, .pdf)"),
                        org.assertj.core.groups.Tuple.tuple("blank.md", "no text"));
        assertThat(report.skipped()).filteredOn(s -> s.path().equals("junk.pdf"))
                .singleElement().satisfies(s -> assertThat(s.reason()).startsWith("not a readable PDF"));
        assertThat(store.sourceVersions("file:")).hasSize(4);
    }

    @Test
    void a_file_that_turns_bad_keeps_its_previous_version() throws IOException {
        writeGoodFiles();
        FileKnowledgeIngester ingester = ingester(store);
        ingester.sync();

        Files.write(folder.resolve("returns.txt"), new byte[] {0, 1, 2, 3});
        IngestReport report = ingester.sync();

        assertThat(report.removed()).isEmpty();
        assertThat(report.skipped()).singleElement().satisfies(s -> {
            assertThat(s.path()).isEqualTo("returns.txt");
            assertThat(s.reason()).isEqualTo("binary content in a text file; previous version kept");
        });
        assertThat(find(store, "can I return a product for a refund?")).contains("file:returns.txt");
    }

    @Test
    void a_missing_folder_is_a_clear_error() {
        FileKnowledgeIngester ingester = FileKnowledgeIngester.builder().store(store).folder(tmp.resolve("nope")).build();

        assertThatThrownBy(ingester::sync).isInstanceOf(NonRetriableException.class).hasMessageContaining("nope");
    }

    @Test
    void it_keeps_any_knowledge_store_in_sync_not_only_lucene() throws IOException {
        KnowledgeStore vectors = EmbeddingStoreKnowledgeStore.builder()
                .embeddingStore(new InMemoryEmbeddingStore<TextSegment>()).embeddingModel(TestModels.bge()).build();
        writeGoodFiles();
        FileKnowledgeIngester ingester = ingester(vectors);
        ingester.sync();

        Files.delete(folder.resolve("sds/acetone.pdf"));
        IngestReport report = ingester.sync();

        assertThat(report.removed()).containsExactly("file:sds/acetone.pdf");
        assertThat(report.unchanged()).hasSize(3);
        assertThat(find(vectors, "is acetone flammable?")).doesNotContain("file:sds/acetone.pdf");
    }

    private static void pdf(Path file, String title, String userPassword, String... lines) throws IOException {
        try (PDDocument document = new PDDocument()) {
            PDPage page = new PDPage();
            document.addPage(page);
            try (PDPageContentStream content = new PDPageContentStream(document, page)) {
                content.beginText();
                content.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), 12);
                content.newLineAtOffset(50, 700);
                for (String line : lines) {
                    content.showText(line);
                    content.newLineAtOffset(0, -16);
                }
                content.endText();
            }
            document.getDocumentInformation().setTitle(title);
            if (userPassword != null) {
                StandardProtectionPolicy policy = new StandardProtectionPolicy("owner-password", userPassword,
                        new AccessPermission());
                policy.setEncryptionKeyLength(128);
                document.protect(policy);
            }
            document.save(file.toFile());
        }
    }
}
