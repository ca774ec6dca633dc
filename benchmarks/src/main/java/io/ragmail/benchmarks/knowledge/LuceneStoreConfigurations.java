package io.ragmail.benchmarks.knowledge;

import dev.langchain4j.model.embedding.EmbeddingModel;
import io.ragmail.core.KnowledgeStore;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The three configurations of {@code io.ragmail.core.knowledge.LuceneKnowledgeStore} that issue 3
 * compares: BM25 only, vector only, and the hybrid (the store's defaults).
 *
 * <p><b>Wiring note for the merge.</b> The store is written in parallel (branch wt-knowledge), so this
 * class reaches it by reflection and reports it as missing until it is on the class path. The calls
 * are exactly these, and can be replaced by direct code once both branches are merged:
 *
 * <pre>{@code
 * LuceneKnowledgeStore.builder().directory(dir).embeddingModel(model).vectorWeight(0).build();   // lucene-bm25
 * LuceneKnowledgeStore.builder().directory(dir).embeddingModel(model)
 *         .keywordWeight(0).identifierWeight(0).build();                                          // lucene-vector
 * LuceneKnowledgeStore.builder().directory(dir).embeddingModel(model).build();                   // lucene-hybrid
 * }</pre>
 *
 * <p>"BM25 only" keeps the store's whole-identifier list (also a keyword ranking, over codes such as
 * {@code ACE-500}); "vector only" turns both keyword lists off. {@code identifierWeight} is set only
 * where the builder has it.
 */
public final class LuceneStoreConfigurations {

    /** Fully qualified name of the store class. */
    public static final String STORE_CLASS = "io.ragmail.core.knowledge.LuceneKnowledgeStore";

    private LuceneStoreConfigurations() {
    }

    /** Whether {@code LuceneKnowledgeStore} is on the class path. */
    public static boolean available() {
        return storeClass().isPresent();
    }

    /** BM25 only, vector only and hybrid; empty when the store is not on the class path. */
    public static List<StoreConfiguration> all() {
        if (!available()) {
            return List.of();
        }
        return List.of(bm25Only(), vectorOnly(), hybrid());
    }

    /** Keyword ranking only: {@code vectorWeight(0)}. */
    public static StoreConfiguration bm25Only() {
        return configuration("lucene-bm25", 1.0, 0.0);
    }

    /** Vector ranking only: {@code keywordWeight(0)}. */
    public static StoreConfiguration vectorOnly() {
        return configuration("lucene-vector", 0.0, 1.0);
    }

    /** Both rankings fused with the store's defaults. */
    public static StoreConfiguration hybrid() {
        return configuration("lucene-hybrid", Double.NaN, Double.NaN);
    }

    private static StoreConfiguration configuration(String name, double keywordWeight, double vectorWeight) {
        return new StoreConfiguration() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public KnowledgeStore open(Path directory, EmbeddingModel model) throws Exception {
                Class<?> store = storeClass().orElseThrow(() -> new IllegalStateException(
                        STORE_CLASS + " is not on the class path (merge branch wt-knowledge first)"));
                Object builder = store.getMethod("builder").invoke(null);
                call(builder, "directory", Path.class, directory);
                call(builder, "embeddingModel", EmbeddingModel.class, model);
                if (!Double.isNaN(keywordWeight)) {
                    call(builder, "keywordWeight", double.class, keywordWeight);
                    call(builder, "vectorWeight", double.class, vectorWeight);
                    if (keywordWeight == 0 && hasMethod(builder, "identifierWeight", double.class)) {
                        call(builder, "identifierWeight", double.class, 0.0);
                    }
                }
                return (KnowledgeStore) invoke(builder, builder.getClass().getMethod("build"));
            }

            @Override
            public String toString() {
                return name;
            }
        };
    }

    private static boolean hasMethod(Object target, String method, Class<?> type) {
        try {
            target.getClass().getMethod(method, type);
            return true;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    private static void call(Object target, String method, Class<?> type, Object value) throws Exception {
        invoke(target, target.getClass().getMethod(method, type), value);
    }

    private static Object invoke(Object target, Method method, Object... args) throws Exception {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    private static Optional<Class<?>> storeClass() {
        try {
            return Optional.of(Class.forName(STORE_CLASS));
        } catch (ClassNotFoundException e) {
            return Optional.empty();
        }
    }
}
