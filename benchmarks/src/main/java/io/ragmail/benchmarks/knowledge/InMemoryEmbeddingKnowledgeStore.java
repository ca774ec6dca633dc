package io.ragmail.benchmarks.knowledge;

import dev.langchain4j.data.document.Metadata;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.store.embedding.EmbeddingMatch;
import dev.langchain4j.store.embedding.EmbeddingSearchRequest;
import dev.langchain4j.store.embedding.inmemory.InMemoryEmbeddingStore;
import io.ragmail.core.KnowledgeDocument;
import io.ragmail.core.KnowledgeQuery;
import io.ragmail.core.KnowledgeStore;
import io.ragmail.core.Passage;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import static dev.langchain4j.store.embedding.filter.MetadataFilterBuilder.metadataKey;

/**
 * Baseline: langchain4j's {@link InMemoryEmbeddingStore} (brute-force cosine over every vector) behind
 * the {@link KnowledgeStore} interface. Vector search only; {@link #save(Path)} and
 * {@link #load(Path, EmbeddingModel)} use langchain4j's own JSON serialisation.
 *
 * <pre>{@code
 * var store = new InMemoryEmbeddingKnowledgeStore(new BgeSmallEnV15QuantizedEmbeddingModel());
 * store.upsert(SampleKnowledge.documents());
 * }</pre>
 */
public final class InMemoryEmbeddingKnowledgeStore implements KnowledgeStore {

    private static final String SOURCE_ID = "sourceId";
    private static final String TITLE = "title";

    private final InMemoryEmbeddingStore<TextSegment> store;
    private final EmbeddingModel model;
    private final Set<String> known = ConcurrentHashMap.newKeySet();
    private volatile boolean knowsAllIds = true;

    public InMemoryEmbeddingKnowledgeStore(EmbeddingModel model) {
        this(new InMemoryEmbeddingStore<>(), model);
    }

    private InMemoryEmbeddingKnowledgeStore(InMemoryEmbeddingStore<TextSegment> store, EmbeddingModel model) {
        this.store = store;
        this.model = Objects.requireNonNull(model, "model");
    }

    /** Loads a store saved with {@link #save(Path)}, or an empty one when the file does not exist. */
    public static InMemoryEmbeddingKnowledgeStore load(Path file, EmbeddingModel model) {
        return Files.exists(file)
                ? fromFile(file, model)
                : new InMemoryEmbeddingKnowledgeStore(model);
    }

    private static InMemoryEmbeddingKnowledgeStore fromFile(Path file, EmbeddingModel model) {
        InMemoryEmbeddingKnowledgeStore loaded = new InMemoryEmbeddingKnowledgeStore(InMemoryEmbeddingStore.fromFile(file), model);
        loaded.knowsAllIds = false; // the file has no list of source ids: deletes filter every entry
        return loaded;
    }

    /** Writes every chunk and vector to one JSON file. */
    public void save(Path file) {
        store.serializeToFile(file);
    }

    @Override
    public List<Passage> search(KnowledgeQuery query) {
        Embedding q = model.embed(query.text()).content();
        int wanted = Chunks.candidates(query);
        List<Chunks.ScoredChunk> scored = new ArrayList<>();
        for (EmbeddingMatch<TextSegment> match : store.search(EmbeddingSearchRequest.builder()
                .queryEmbedding(q).maxResults(wanted).build()).matches()) {
            TextSegment s = match.embedded();
            Map<String, String> metadata = new HashMap<>();
            s.metadata().toMap().forEach((k, v) -> metadata.put(k, String.valueOf(v)));
            scored.add(new Chunks.ScoredChunk(new Chunks.Chunk(s.metadata().getString(SOURCE_ID),
                    s.metadata().getString(TITLE), s.text(), metadata), match.score()));
        }
        return Chunks.top(scored, query);
    }

    @Override
    public void upsert(List<KnowledgeDocument> documents) {
        delete(documents.stream().map(KnowledgeDocument::sourceId).toList());
        List<TextSegment> segments = new ArrayList<>();
        List<TextSegment> toEmbed = new ArrayList<>();
        for (KnowledgeDocument d : documents) {
            for (Chunks.Chunk c : Chunks.split(d)) {
                Map<String, Object> metadata = new HashMap<>(d.metadata());
                metadata.put(SOURCE_ID, d.sourceId());
                metadata.put(TITLE, d.title());
                segments.add(TextSegment.from(c.text(), Metadata.from(metadata)));
                known.add(d.sourceId());
                toEmbed.add(TextSegment.from(c.embeddingText()));
            }
        }
        for (int from = 0; from < segments.size(); from += Chunks.EMBEDDING_BATCH) {
            int to = Math.min(segments.size(), from + Chunks.EMBEDDING_BATCH);
            List<Embedding> vectors = model.embedAll(toEmbed.subList(from, to)).content();
            store.addAll(ids(to - from), vectors, segments.subList(from, to));
        }
    }

    private static List<String> ids(int n) {
        List<String> ids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ids.add(UUID.randomUUID().toString());
        }
        return ids;
    }

    @Override
    public void delete(Collection<String> sourceIds) {
        List<String> present = sourceIds.stream().filter(id -> !knowsAllIds || known.contains(id)).distinct().toList();
        if (!present.isEmpty()) {
            store.removeAll(metadataKey(SOURCE_ID).isIn(present));
            present.forEach(known::remove);
        }
    }

    /** Number of chunks held. */
    public int size() {
        return store.size();
    }
}
