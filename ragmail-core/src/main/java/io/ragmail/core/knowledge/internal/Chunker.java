package io.ragmail.core.knowledge.internal;

import dev.langchain4j.data.document.Document;
import dev.langchain4j.data.document.DocumentSplitter;
import dev.langchain4j.data.document.splitter.DocumentSplitters;
import dev.langchain4j.data.segment.TextSegment;

import java.util.ArrayList;
import java.util.List;

/** Splits document text into overlapping chunks with langchain4j's recursive splitter. */
public final class Chunker {

    /** Smallest chunk size the stores accept, in characters. */
    public static final int MIN_CHUNK_SIZE = 50;

    private final DocumentSplitter splitter;

    public Chunker(int chunkSize, int chunkOverlap) {
        this.splitter = DocumentSplitters.recursive(chunkSize, chunkOverlap);
    }

    /** The builders' check of the two settings, so that a bad value is named before anything is opened. */
    public static void checkSettings(int chunkSize, int chunkOverlap) {
        if (chunkSize < MIN_CHUNK_SIZE) {
            throw new IllegalArgumentException("chunkSize must be at least " + MIN_CHUNK_SIZE + " characters, was " + chunkSize);
        }
        if (chunkOverlap < 0 || chunkOverlap >= chunkSize) {
            throw new IllegalArgumentException("chunkOverlap must be at least 0 and less than chunkSize ("
                    + chunkSize + "), was " + chunkOverlap);
        }
    }

    /** The chunks of {@code text}, in order; none for blank text. */
    public List<String> split(String text) {
        if (text.isBlank()) {
            return List.of();
        }
        List<String> chunks = new ArrayList<>();
        for (TextSegment segment : splitter.split(Document.from(text))) {
            if (!segment.text().isBlank()) {
                chunks.add(segment.text());
            }
        }
        return chunks;
    }

    /** What is embedded for a chunk: the title gives a short chunk its context. */
    public static String embeddingText(String title, String chunk) {
        return title.isBlank() ? chunk : title + "\n\n" + chunk;
    }
}
