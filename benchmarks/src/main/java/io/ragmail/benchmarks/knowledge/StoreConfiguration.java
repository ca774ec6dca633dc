package io.ragmail.benchmarks.knowledge;

import dev.langchain4j.model.embedding.EmbeddingModel;
import io.ragmail.core.KnowledgeStore;

import java.nio.file.Path;

/**
 * One way of building a {@link KnowledgeStore} that the benchmarks compare (a name and a factory).
 * {@link #open} is called on an empty directory to build, and again on the same directory to measure
 * how long re-opening an existing store takes (stores that keep nothing on disk return a new, empty
 * store).
 *
 * <pre>{@code
 * StoreConfiguration c = BaselineConfigurations.inMemoryBruteForce();
 * KnowledgeStore store = c.open(dir, model);
 * store.upsert(documents);
 * c.flush(store, dir);
 * c.close(store);
 * }</pre>
 */
public interface StoreConfiguration {

    /** Short name used in reports, for example {@code lucene-hybrid}. */
    String name();

    /** Opens (or creates) the store in {@code directory}, embedding with {@code model}. */
    KnowledgeStore open(Path directory, EmbeddingModel model) throws Exception;

    /** Makes the store durable (commit, write the file), where that is a separate step. */
    default void flush(KnowledgeStore store, Path directory) throws Exception {
    }

    /** Releases the store's resources. */
    default void close(KnowledgeStore store) throws Exception {
        store.close();
    }
}
