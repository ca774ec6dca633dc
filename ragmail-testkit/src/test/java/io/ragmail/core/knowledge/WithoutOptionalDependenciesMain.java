package io.ragmail.core.knowledge;

import io.ragmail.core.EmailAddress;
import io.ragmail.core.KnowledgeDocument;
import io.ragmail.core.KnowledgeQuery;
import io.ragmail.core.Pipeline;
import io.ragmail.core.RagmailException;
import io.ragmail.core.imap.ImapMailSource;
import io.ragmail.core.ledger.MailState;
import io.ragmail.core.ledger.SqliteLedger;
import io.ragmail.core.mistral.MistralDrafter;
import io.ragmail.core.smtp.SmtpMailSink;
import io.ragmail.core.template.TemplateDrafter;
import io.ragmail.testkit.TestMailServer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Run by {@link OptionalDependenciesTest} in a JVM whose class path holds ragmail-core's mandatory
 * dependencies only (no ONNX model and runtime, no PDFBox, no Mistral client): prints what a user
 * who added {@code ragmail-core} alone would see.
 */
public final class WithoutOptionalDependenciesMain {

    private WithoutOptionalDependenciesMain() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        try (LuceneKnowledgeStore store = LuceneKnowledgeStore.builder()
                .directory(root.resolve("own-model")).embeddingModel(new HashingEmbeddingModel()).build()) {
            store.upsert(List.of(new KnowledgeDocument("sds:acetone", "Acetone", "Acetone, CAS 67-64-1, flammable.")));
            Path files = Files.createDirectories(root.resolve("files"));
            Files.writeString(files.resolve("faq.md"), "# FAQ\n\nWe ship fast.\n");
            Files.writeString(files.resolve("datasheet.pdf"), "%PDF-1.4\n%%EOF\n");
            IngestReport report = FileKnowledgeIngester.builder().store(store).folder(files).build().sync();
            System.out.println("found: " + store.search(KnowledgeQuery.of("67-64-1")).get(0).sourceId());
            System.out.println("found: " + store.search(KnowledgeQuery.of("ship")).get(0).sourceId());
            report.skipped().forEach(s -> System.out.println("skipped: " + s.path() + ": " + s.reason()));
        }
        try {
            LuceneKnowledgeStore.builder().directory(root.resolve("default-model")).build().close();
            System.out.println("default: built");
        } catch (RagmailException e) {
            System.out.println("default: " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        try {
            MistralDrafter.builder().apiKey("sk-test").baseUrl("http://127.0.0.1:9").build();
            System.out.println("mistral: built");
        } catch (RagmailException e) {
            System.out.println("mistral: " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        answerOneMail(root);
    }

    /** The pipeline with IMAP, SMTP, the SQLite ledger and the template drafter answers a mail. */
    private static void answerOneMail(Path root) throws InterruptedException {
        try (TestMailServer server = new TestMailServer().start()) {
            server.createUser("support@shop.example", "secret");
            server.deliver("ada@customers.example", "support@shop.example", "Opening hours?",
                    "Hello, when are you open?", Map.of());
            try (SqliteLedger ledger = SqliteLedger.open(root.resolve("ledger.db"));
                 ImapMailSource source = ImapMailSource.builder()
                         .account(server.imapAccount("support@shop.example", "secret")).build();
                 SmtpMailSink sink = SmtpMailSink.builder().account(server.smtpAccount()).build();
                 Pipeline pipeline = Pipeline.builder()
                         .source(source).sink(sink).reviewSink(sink).ledger(ledger)
                         .withoutKnowledge()
                         .drafter(TemplateDrafter.builder().autoSend(true).build())
                         .from(EmailAddress.of("support@shop.example"))
                         .pollWait(Duration.ofMillis(200))
                         .build()) {
                pipeline.start();
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (ledger.countByState().getOrDefault(MailState.SENT, 0L) == 0 && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                System.out.println("pipeline: " + ledger.countByState());
                System.out.println("replies: " + server.received("ada@customers.example").size());
            }
        }
    }
}
