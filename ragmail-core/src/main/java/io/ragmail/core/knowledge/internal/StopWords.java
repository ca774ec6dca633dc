package io.ragmail.core.knowledge.internal;

import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.WordlistLoader;
import org.apache.lucene.analysis.snowball.SnowballFilter;
import org.apache.lucene.util.IOUtils;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The Snowball English stop word list shipped with Lucene ({@code snowball/english_stop.txt}, 174
 * words). Lucene's {@code EnglishAnalyzer} default has only 33; customer mail is full of the others
 * ("we", "you", "could", "our", "which"), and in BM25 a dozen of them outweigh the one rare word
 * that matters.
 */
public final class StopWords {

    private static final CharArraySet ENGLISH = load();

    private StopWords() {
    }

    /** The Snowball English list (unmodifiable). */
    public static CharArraySet english() {
        return ENGLISH;
    }

    private static CharArraySet load() {
        try (Reader reader = IOUtils.getDecodingReader(SnowballFilter.class, "english_stop.txt", StandardCharsets.UTF_8)) {
            return CharArraySet.unmodifiableSet(WordlistLoader.getSnowballWordSet(reader));
        } catch (IOException e) {
            throw new UncheckedIOException("Lucene's english_stop.txt is missing from lucene-analysis-common", e);
        }
    }
}
