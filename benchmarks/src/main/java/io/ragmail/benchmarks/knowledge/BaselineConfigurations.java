package io.ragmail.benchmarks.knowledge;

import dev.langchain4j.model.embedding.EmbeddingModel;
import io.ragmail.core.KnowledgeStore;

import java.nio.file.Path;
import java.util.List;

/**
 * The baselines issue 3 compares the Lucene store against: langchain4j's brute-force
 * {@code InMemoryEmbeddingStore} (saved with its own JSON serialisation) and the JSON-file store.
 *
 * <pre>{@code
 * for (StoreConfiguration c : BaselineConfigurations.all()) { ... }
 * }</pre>
 */
public final class BaselineConfigurations {

    private BaselineConfigurations() {
    }

    /** Both baselines. */
    public static List<StoreConfiguration> all() {
        return List.of(inMemoryBruteForce(), jsonFile());
    }

    /** langchain4j {@code InMemoryEmbeddingStore}, vector only, brute force. */
    public static StoreConfiguration inMemoryBruteForce() {
        return new StoreConfiguration() {
            @Override
            public String name() {
                return "inmemory-bruteforce";
            }

            @Override
            public KnowledgeStore open(Path directory, EmbeddingModel model) {
                return InMemoryEmbeddingKnowledgeStore.load(directory.resolve("inmemory-store.json"), model);
            }

            @Override
            public void flush(KnowledgeStore store, Path directory) {
                ((InMemoryEmbeddingKnowledgeStore) store).save(directory.resolve("inmemory-store.json"));
            }

            @Override
            public String toString() {
                return name();
            }
        };
    }

    /** All chunks and vectors in one JSON file, brute-force cosine (the design ragmail replaces). */
    public static StoreConfiguration jsonFile() {
        return new StoreConfiguration() {
            @Override
            public String name() {
                return "json-file-bruteforce";
            }

            @Override
            public KnowledgeStore open(Path directory, EmbeddingModel model) {
                return JsonFileKnowledgeStore.open(directory.resolve("knowledge.json"), model);
            }

            @Override
            public void flush(KnowledgeStore store, Path directory) {
                ((JsonFileKnowledgeStore) store).save();
            }

            @Override
            public String toString() {
                return name();
            }
        };
    }
}
