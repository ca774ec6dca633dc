package io.ragmail.config;

import dev.langchain4j.model.embedding.EmbeddingModel;
import io.ragmail.core.NonRetriableException;
import io.ragmail.core.Sleeper;
import io.ragmail.core.knowledge.LuceneKnowledgeStore;
import io.ragmail.core.mistral.MistralDrafter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

/**
 * Opens the daemon's knowledge index with the embedding model {@code ragmail.knowledge.embedding-model}
 * names: the in-process bge-small-en (the store's default), or Mistral's {@code mistral-embed} through
 * langchain4j's {@code MistralAiEmbeddingModel} (the Mistral API key, base URL and timeout of the
 * drafter; its own retries; batches of {@link LuceneKnowledgeStore.Builder#embeddingBatchSize}, paced
 * to the plan's requests per second and tokens per minute by {@link PacedEmbeddingModel}).
 *
 * <p>The index records which model made its vectors. Opened with the other model, it is re-embedded
 * from the full texts it holds, in batches, before the daemon serves a mail (a warning names both
 * models); a failure during that leaves the old index untouched, and the next start tries again.
 * Changing the setting is the operator's request to re-embed, so no second flag is asked for. A
 * one-off command ({@code ragmail sync}) opens with {@code rebuildOnModelChange} false instead: run
 * without the daemon's setting it must not re-embed the daemon's index with the other model.
 *
 * <pre>{@code
 * LuceneKnowledgeStore store = KnowledgeIndex.open(config, dataDir.resolve("index"), clock, true);
 * }</pre>
 */
public final class KnowledgeIndex {

    /** The value of {@code ragmail.knowledge.embedding-model} for Mistral's model, and its API name. */
    static final String MISTRAL_EMBED = "mistral-embed";
    /** langchain4j's own retries of one batch (429, 5xx, timeouts), with its exponential back-off. */
    static final int MISTRAL_EMBED_MAX_RETRIES = 3;
    /** Only looked up by name: langchain4j-mistral-ai is an optional dependency. */
    private static final String MISTRAL_EMBEDDING_CLASS = "dev.langchain4j.model.mistralai.MistralAiEmbeddingModel";

    private static final Logger log = LoggerFactory.getLogger(KnowledgeIndex.class);

    private KnowledgeIndex() {
    }

    /**
     * Opens (or creates) the index in {@code directory} with the configured embedding model.
     *
     * @param rebuildOnModelChange re-embed every source when the index was made by the other model;
     *                             false: refuse with {@link io.ragmail.core.knowledge.EmbeddingModelMismatchException}
     */
    public static LuceneKnowledgeStore open(RagmailConfig config, Path directory, Clock clock, boolean rebuildOnModelChange) {
        LuceneKnowledgeStore.Builder builder = LuceneKnowledgeStore.builder().directory(directory).clock(clock)
                .rebuildOnModelChange(rebuildOnModelChange);
        if (config.usesMistralEmbed()) {
            builder.embeddingModel(mistralEmbed(config));
        }
        LuceneKnowledgeStore store = builder.build();
        if (store.openOutcome() == LuceneKnowledgeStore.OpenOutcome.REBUILT_FOR_NEW_MODEL) {
            log.warn("{} changed: the knowledge index was re-embedded with {}", ConfigKeys.KNOWLEDGE_EMBEDDING_MODEL.name(),
                    store.embeddingModelDescription());
        }
        return store;
    }

    /**
     * {@code mistral-embed} with the drafter's key, base URL and timeout, paced to the plan's limits.
     *
     * @throws io.ragmail.core.NonRetriableException naming the artifact when langchain4j's Mistral client
     *                                               (an optional dependency) is not on the class path
     */
    static EmbeddingModel mistralEmbed(RagmailConfig config) {
        String apiKey = config.mistralApiKey().orElseThrow(() -> new ConfigException(List.of(
                ConfigKeys.KNOWLEDGE_EMBEDDING_MODEL.name() + ": mistral-embed needs " + ConfigKeys.MISTRAL_API_KEY.name() + ", is missing")));
        try {
            Class.forName(MISTRAL_EMBEDDING_CLASS, false, KnowledgeIndex.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new NonRetriableException("knowledge", ConfigKeys.KNOWLEDGE_EMBEDDING_MODEL.name()
                    + "=mistral-embed needs the Mistral client, which is not on the class path: add "
                    + MistralDrafter.MISTRAL_CLIENT_ARTIFACT, e);
        }
        EmbeddingModel model = MistralEmbedding.create(apiKey, config.value(ConfigKeys.MISTRAL_BASE_URL).toString(),
                MISTRAL_EMBED, config.value(ConfigKeys.MISTRAL_TIMEOUT), MISTRAL_EMBED_MAX_RETRIES);
        return new PacedEmbeddingModel(model, config.value(ConfigKeys.MISTRAL_RPS), config.value(ConfigKeys.MISTRAL_TPM),
                System::nanoTime, Sleeper.SYSTEM);
    }
}
