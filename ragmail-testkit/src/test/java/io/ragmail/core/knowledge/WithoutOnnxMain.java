package io.ragmail.core.knowledge;

import io.ragmail.core.KnowledgeDocument;
import io.ragmail.core.KnowledgeQuery;
import io.ragmail.core.RagmailException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Run by {@link WithoutOnnxModelTest} in a JVM whose class path lacks the ONNX model and runtime:
 * prints what a user who brings their own model would see.
 */
public final class WithoutOnnxMain {

    private WithoutOnnxMain() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        try (LuceneKnowledgeStore store = LuceneKnowledgeStore.builder()
                .directory(root.resolve("own-model")).embeddingModel(new HashingEmbeddingModel()).build()) {
            store.upsert(List.of(new KnowledgeDocument("sds:acetone", "Acetone", "Acetone, CAS 67-64-1, flammable.")));
            Files.writeString(Files.createDirectories(root.resolve("files")).resolve("faq.md"), "# FAQ\n\nWe ship fast.\n");
            FileKnowledgeIngester.builder().store(store).folder(root.resolve("files")).build().sync();
            System.out.println("found: " + store.search(KnowledgeQuery.of("67-64-1")).get(0).sourceId());
            System.out.println("found: " + store.search(KnowledgeQuery.of("ship")).get(0).sourceId());
        }
        try {
            LuceneKnowledgeStore.builder().directory(root.resolve("default-model")).build().close();
            System.out.println("default: built");
        } catch (RagmailException e) {
            System.out.println("default: " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }
}
