package io.ragmail.benchmarks.knowledge;

import dev.langchain4j.model.embedding.EmbeddingModel;
import io.ragmail.core.KnowledgeStore;
import io.ragmail.core.knowledge.LuceneKnowledgeStore;

import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The three configurations of {@link LuceneKnowledgeStore} that issue 3 compares: BM25 only, vector
 * only, and the hybrid (the store's defaults). All three use the same chunking, the same query
 * construction and the same one-passage-per-source collapsing, so the comparison is fair:
 *
 * <pre>{@code
 * LuceneKnowledgeStore.builder().directory(dir).embeddingModel(model).vectorWeight(0).build();   // lucene-bm25
 * LuceneKnowledgeStore.builder().directory(dir).embeddingModel(model)
 *         .keywordWeight(0).identifierWeight(0).build();                                          // lucene-vector
 * LuceneKnowledgeStore.builder().directory(dir).embeddingModel(model).build();                   // lucene-hybrid
 * }</pre>
 *
 * <p>"BM25 only" keeps the store's whole-identifier list (also a keyword ranking, over codes such as
 * {@code ACE-500}); "vector only" turns both keyword lists off. After a bulk load ({@link #flush}) the
 * harness calls {@link LuceneKnowledgeStore#optimize()}, as a user would after a full sync.
 */
public final class LuceneStoreConfigurations {

    private LuceneStoreConfigurations() {
    }

    /** BM25 only, vector only and hybrid. */
    public static List<StoreConfiguration> all() {
        return List.of(bm25Only(), vectorOnly(), hybrid());
    }

    /**
     * The three configurations for a (wrapped) bge model: the store uses bge's query instruction by
     * itself only when it recognises its default model, so a wrapper such as
     * {@link CachingEmbeddingModel} sets it explicitly, as a user who wraps the model would.
     */
    public static List<StoreConfiguration> allForBge() {
        UnaryOperator<LuceneKnowledgeStore.Builder> bge = b -> b.queryPrefix(LuceneKnowledgeStore.BGE_QUERY_INSTRUCTION);
        return List.of(configuration("lucene-bm25", b -> bge.apply(b).vectorWeight(0)),
                configuration("lucene-vector", b -> bge.apply(b).keywordWeight(0).identifierWeight(0)),
                configuration("lucene-hybrid", bge));
    }

    /** Keyword rankings only: {@code vectorWeight(0)}. */
    public static StoreConfiguration bm25Only() {
        return configuration("lucene-bm25", b -> b.vectorWeight(0));
    }

    /** Vector ranking only: {@code keywordWeight(0).identifierWeight(0)}. */
    public static StoreConfiguration vectorOnly() {
        return configuration("lucene-vector", b -> b.keywordWeight(0).identifierWeight(0));
    }

    /** All rankings fused with the store's defaults. */
    public static StoreConfiguration hybrid() {
        return configuration("lucene-hybrid", UnaryOperator.identity());
    }

    /** A named configuration: the store's defaults changed by {@code settings}. */
    public static StoreConfiguration configuration(String name, UnaryOperator<LuceneKnowledgeStore.Builder> settings) {
        return configuration(name, settings, true);
    }

    /** Like {@link #configuration(String, UnaryOperator)}; {@code optimize} false leaves the segments of a bulk load unmerged. */
    public static StoreConfiguration configuration(String name, UnaryOperator<LuceneKnowledgeStore.Builder> settings,
            boolean optimize) {
        return new StoreConfiguration() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public KnowledgeStore open(Path directory, EmbeddingModel model) {
                return settings.apply(LuceneKnowledgeStore.builder().directory(directory).embeddingModel(model)).build();
            }

            @Override
            public void flush(KnowledgeStore store, Path directory) {
                if (optimize) {
                    ((LuceneKnowledgeStore) store).optimize();
                }
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }
}
