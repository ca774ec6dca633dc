package io.ragmail.daemon.runtime;

import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.mistralai.MistralAiEmbeddingModel;
import io.ragmail.core.Sleeper;
import io.ragmail.core.knowledge.LuceneKnowledgeStore;
import io.ragmail.daemon.config.ConfigKeys;
import io.ragmail.daemon.config.RagmailConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;

/**
 * Opens the daemon's knowledge index with the embedding model {@code ragmail.knowledge.embedding-model}
 * names: the in-process bge-small-en (the store's default), or Mistral's {@code mistral-embed} through
 * langchain4j's {@link MistralAiEmbeddingModel} (the Mistral API key, base URL and timeout of the
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

    /** {@code mistral-embed} with the drafter's key, base URL and timeout, paced to the plan's limits. */
    static EmbeddingModel mistralEmbed(RagmailConfig config) {
        String apiKey = config.mistralApiKey().orElseThrow(() -> new IllegalStateException(
                ConfigKeys.KNOWLEDGE_EMBEDDING_MODEL.name() + "=mistral-embed needs " + ConfigKeys.MISTRAL_API_KEY.name()));
        EmbeddingModel model = MistralAiEmbeddingModel.builder()
                .apiKey(apiKey)
                .baseUrl(config.value(ConfigKeys.MISTRAL_BASE_URL).toString())
                .modelName(MISTRAL_EMBED)
                .timeout(config.value(ConfigKeys.MISTRAL_TIMEOUT))
                .maxRetries(MISTRAL_EMBED_MAX_RETRIES)
                .logRequests(false)
                .logResponses(false)
                .build();
        return new PacedEmbeddingModel(model, config.value(ConfigKeys.MISTRAL_RPS), config.value(ConfigKeys.MISTRAL_TPM),
                System::nanoTime, Sleeper.SYSTEM);
    }
}
