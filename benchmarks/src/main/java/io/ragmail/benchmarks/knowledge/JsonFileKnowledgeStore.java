package io.ragmail.benchmarks.knowledge;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.EmbeddingModel;
import io.ragmail.core.KnowledgeDocument;
import io.ragmail.core.KnowledgeQuery;
import io.ragmail.core.KnowledgeStore;
import io.ragmail.core.Passage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * The design ragmail replaces, kept as a baseline: every chunk with its vector in one JSON file, loaded
 * whole into memory, searched by computing the cosine against every vector. {@link #save()} rewrites
 * the whole file.
 *
 * <pre>{@code
 * JsonFileKnowledgeStore store = JsonFileKnowledgeStore.open(dir.resolve("knowledge.json"), model);
 * store.upsert(documents);
 * store.save();
 * }</pre>
 */
public final class JsonFileKnowledgeStore implements KnowledgeStore {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final EmbeddingModel model;
    private final List<Entry> entries = new ArrayList<>();

    private JsonFileKnowledgeStore(Path file, EmbeddingModel model) {
        this.file = Objects.requireNonNull(file, "file");
        this.model = Objects.requireNonNull(model, "model");
    }

    /** Loads the file (if it exists) into memory. */
    public static JsonFileKnowledgeStore open(Path file, EmbeddingModel model) {
        JsonFileKnowledgeStore store = new JsonFileKnowledgeStore(file, model);
        if (Files.exists(file)) {
            store.load();
        }
        return store;
    }

    @Override
    public synchronized List<Passage> search(KnowledgeQuery query) {
        float[] q = normalised(model.embed(query.text()).content().vector());
        int wanted = Chunks.candidates(query);
        PriorityQueue<Chunks.ScoredChunk> best = new PriorityQueue<>((a, b) -> Double.compare(a.score(), b.score()));
        for (Entry e : entries) {
            double score = dot(q, e.vector);
            if (best.size() < wanted) {
                best.add(new Chunks.ScoredChunk(e.chunk, score));
            } else if (score > best.peek().score()) {
                best.poll();
                best.add(new Chunks.ScoredChunk(e.chunk, score));
            }
        }
        List<Chunks.ScoredChunk> ordered = new ArrayList<>(best);
        ordered.sort((a, b) -> Double.compare(b.score(), a.score()));
        return Chunks.top(ordered, query);
    }

    @Override
    public synchronized void upsert(List<KnowledgeDocument> documents) {
        delete(documents.stream().map(KnowledgeDocument::sourceId).toList());
        List<Chunks.Chunk> chunks = new ArrayList<>();
        for (KnowledgeDocument d : documents) {
            chunks.addAll(Chunks.split(d));
        }
        for (int from = 0; from < chunks.size(); from += Chunks.EMBEDDING_BATCH) {
            List<Chunks.Chunk> batch = chunks.subList(from, Math.min(chunks.size(), from + Chunks.EMBEDDING_BATCH));
            List<Embedding> vectors = model.embedAll(batch.stream().map(c -> TextSegment.from(c.embeddingText())).toList()).content();
            for (int i = 0; i < batch.size(); i++) {
                entries.add(new Entry(batch.get(i), normalised(vectors.get(i).vector())));
            }
        }
    }

    @Override
    public synchronized void delete(Collection<String> sourceIds) {
        Set<String> ids = new HashSet<>(sourceIds);
        entries.removeIf(e -> ids.contains(e.chunk.sourceId()));
    }

    /** Number of chunks held. */
    public synchronized int size() {
        return entries.size();
    }

    /** Rewrites the whole file (atomically, through a temporary file). */
    public synchronized void save() {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (JsonGenerator g = JSON.getFactory().createGenerator(tmp.toFile(), JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeStringField("model", model.modelName());
            g.writeArrayFieldStart("chunks");
            for (Entry e : entries) {
                g.writeStartObject();
                g.writeStringField("sourceId", e.chunk.sourceId());
                g.writeStringField("title", e.chunk.title());
                g.writeStringField("text", e.chunk.text());
                g.writeObjectField("metadata", e.chunk.metadata());
                g.writeFieldName("vector");
                g.writeStartArray();
                for (float x : e.vector) {
                    g.writeNumber(x);
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot replace " + file, e);
        }
    }

    private void load() {
        try (JsonParser p = JSON.getFactory().createParser(file.toFile())) {
            expect(p.nextToken(), JsonToken.START_OBJECT);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                if (!"chunks".equals(field)) {
                    p.skipChildren();
                    continue;
                }
                expect(p.currentToken(), JsonToken.START_ARRAY);
                while (p.nextToken() == JsonToken.START_OBJECT) {
                    entries.add(readEntry(p));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static Entry readEntry(JsonParser p) throws IOException {
        String sourceId = null;
        String title = "";
        String text = null;
        Map<String, String> metadata = new LinkedHashMap<>();
        float[] vector = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case "sourceId" -> sourceId = p.getText();
                case "title" -> title = p.getText();
                case "text" -> text = p.getText();
                case "metadata" -> {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String key = p.currentName();
                        p.nextToken();
                        metadata.put(key, p.getText());
                    }
                }
                case "vector" -> {
                    expect(value, JsonToken.START_ARRAY);
                    float[] buffer = new float[512];
                    int n = 0;
                    while (p.nextToken() != JsonToken.END_ARRAY) {
                        if (n == buffer.length) {
                            buffer = Arrays.copyOf(buffer, n * 2);
                        }
                        buffer[n++] = p.getFloatValue();
                    }
                    vector = Arrays.copyOf(buffer, n);
                }
                default -> p.skipChildren();
            }
        }
        if (sourceId == null || text == null || vector == null) {
            throw new IOException("chunk without sourceId, text or vector at " + p.currentLocation());
        }
        return new Entry(new Chunks.Chunk(sourceId, title, text, metadata), vector);
    }

    private static void expect(JsonToken actual, JsonToken expected) throws IOException {
        if (actual != expected) {
            throw new IOException("expected " + expected + " but found " + actual);
        }
    }

    private static float[] normalised(float[] v) {
        double norm = 0;
        for (float x : v) {
            norm += x * x;
        }
        norm = Math.sqrt(norm);
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) (v[i] / (norm == 0 ? 1 : norm));
        }
        return out;
    }

    private static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    private record Entry(Chunks.Chunk chunk, float[] vector) {
    }
}
