package io.ragmail.core.knowledge;

import io.ragmail.core.KnowledgeDocument;
import io.ragmail.testkit.knowledge.SampleKnowledge;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The index the mail-search tests share: the acetone family (six near-identical product pages, SDS,
 * FAQ) and the shop's FAQ pages, in a real Lucene store with the in-process model, in its own folder.
 */
final class AcetoneIndex implements AutoCloseable {

    private final Path dir;
    private final LuceneKnowledgeStore store;

    AcetoneIndex(String name) throws IOException {
        dir = Files.createTempDirectory(name);
        store = LuceneKnowledgeStore.builder().directory(dir).embeddingModel(TestModels.bge())
                .queryPrefix(LuceneKnowledgeStore.BGE_QUERY_INSTRUCTION).build();
        List<KnowledgeDocument> docs = SampleKnowledge.documents().stream()
                .filter(d -> d.sourceId().startsWith("product:ACE-") || d.sourceId().contains("acetone")
                        || (d.sourceId().startsWith("faq:") && !d.sourceId().startsWith("faq:substance-")))
                .toList();
        store.upsert(docs);
    }

    LuceneKnowledgeStore store() {
        return store;
    }

    /** Closes the store and deletes its folder. */
    @Override
    public void close() throws IOException {
        store.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
