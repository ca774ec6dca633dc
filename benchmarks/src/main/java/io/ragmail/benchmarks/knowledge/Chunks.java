package io.ragmail.benchmarks.knowledge;

import dev.langchain4j.data.document.Document;
import dev.langchain4j.data.document.DocumentSplitter;
import dev.langchain4j.data.document.splitter.DocumentSplitters;
import dev.langchain4j.data.segment.TextSegment;
import io.ragmail.core.KnowledgeDocument;
import io.ragmail.core.KnowledgeQuery;
import io.ragmail.core.Passage;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Chunking and result shaping shared by the baseline stores, with the baselines' own settings (800
 * characters, 100 overlap, at most two passages per source; {@code LuceneKnowledgeStore}'s defaults
 * differ), so that differences between the baselines come from the search, not from the chunking.
 */
public final class Chunks {

    /** Maximum chunk size in characters. */
    public static final int DEFAULT_CHUNK_SIZE = 800;
    /** Overlap of neighbouring chunks in characters. */
    public static final int DEFAULT_CHUNK_OVERLAP = 100;
    /** At most this many passages of one source in one result. */
    public static final int DEFAULT_MAX_PASSAGES_PER_SOURCE = 2;
    /** Chunks per embedding call. */
    public static final int EMBEDDING_BATCH = 32;

    private static final DocumentSplitter SPLITTER = DocumentSplitters.recursive(DEFAULT_CHUNK_SIZE, DEFAULT_CHUNK_OVERLAP);

    private Chunks() {
    }

    /** The chunks of one document; the title is prepended to each chunk's text for embedding. */
    public static List<Chunk> split(KnowledgeDocument document) {
        List<Chunk> chunks = new ArrayList<>();
        List<TextSegment> segments = document.text().length() <= DEFAULT_CHUNK_SIZE
                ? List.of(TextSegment.from(document.text()))
                : SPLITTER.split(Document.from(document.text()));
        for (TextSegment segment : segments) {
            chunks.add(new Chunk(document.sourceId(), document.title(), segment.text(), document.metadata()));
        }
        return chunks;
    }

    /**
     * How many nearest chunks a baseline fetches for a query before {@link #top}: enough for
     * {@code maxResults} after the per-source limit, and 50 more when filters will drop some.
     */
    static int candidates(KnowledgeQuery query) {
        return query.maxResults() * (DEFAULT_MAX_PASSAGES_PER_SOURCE + 2) + (query.filters().isEmpty() ? 0 : 50);
    }

    /** Keeps the best chunks, at most {@link #DEFAULT_MAX_PASSAGES_PER_SOURCE} per source, matching the filters. */
    public static List<Passage> top(List<ScoredChunk> bestFirst, KnowledgeQuery query) {
        List<Passage> result = new ArrayList<>();
        Map<String, Integer> perSource = new HashMap<>();
        for (ScoredChunk scored : bestFirst) {
            Chunk c = scored.chunk();
            if (!matches(c.metadata(), query.filters())) {
                continue;
            }
            if (perSource.merge(c.sourceId(), 1, Integer::sum) > DEFAULT_MAX_PASSAGES_PER_SOURCE) {
                continue;
            }
            result.add(new Passage(c.sourceId(), c.title(), c.text(), scored.score()));
            if (result.size() == query.maxResults()) {
                break;
            }
        }
        return result;
    }

    static boolean matches(Map<String, String> metadata, Map<String, String> filters) {
        for (Map.Entry<String, String> f : filters.entrySet()) {
            if (!f.getValue().equals(metadata.get(f.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /** A piece of a document. */
    public record Chunk(String sourceId, String title, String text, Map<String, String> metadata) {
        /** The text that gets embedded: title and chunk. */
        public String embeddingText() {
            return title.isEmpty() ? text : title + "\n" + text;
        }
    }

    /** A chunk with its similarity to a query. */
    public record ScoredChunk(Chunk chunk, double score) {
    }
}
