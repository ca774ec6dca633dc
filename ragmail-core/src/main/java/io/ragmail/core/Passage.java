package io.ragmail.core;

import java.util.Objects;

/**
 * A ranked piece of a knowledge document returned by a search, with the id of its source.
 *
 * <p>{@code similarity}, {@code queryCoverage} and {@code codeMatch} are raw signals of how well
 * this passage matches the query, for deciding whether the knowledge base answers the question at
 * all (the fused {@code score} is a rank-based number that looks the same whether or not it does).
 * A store that cannot tell reports {@link Double#NaN} for them.
 *
 * <pre>{@code
 * Passage p = new Passage("faq:shipping", "Shipping", "We ship within 2 days.", 0.09);
 * }</pre>
 *
 * @param sourceId      the stable id of the source document
 * @param title         the source's title, empty when it has none
 * @param text          the passage text
 * @param score         the store's ranking score (higher is better; comparable within one result only)
 * @param similarity    cosine similarity of the query's and the passage's embeddings, -1..1; NaN when unknown
 * @param queryCoverage share 0..1 of the query's distinctive words (weighted by rarity) that the passage
 *                      holds; NaN when unknown
 * @param codeMatch     share 0..1 of the query's codes (product codes, CAS and UN numbers such as
 *                      {@code ACE-500}, {@code 67-64-1}, {@code UN1090}; not quantities such as {@code 2.5}
 *                      or {@code 25kg}) that the passage holds exactly; NaN when the query has none or the
 *                      store cannot tell
 */
public record Passage(String sourceId, String title, String text, double score, double similarity, double queryCoverage,
        double codeMatch) {
    public Passage {
        Objects.requireNonNull(sourceId, "sourceId");
        title = title == null ? "" : title;
        Objects.requireNonNull(text, "text");
    }

    /** A passage with similarity and coverage but no code match (the query has no code, or the store cannot tell). */
    public Passage(String sourceId, String title, String text, double score, double similarity, double queryCoverage) {
        this(sourceId, title, text, score, similarity, queryCoverage, Double.NaN);
    }

    /** A passage from a store that reports no match signals (similarity and coverage unknown). */
    public Passage(String sourceId, String title, String text, double score) {
        this(sourceId, title, text, score, Double.NaN, Double.NaN, Double.NaN);
    }
}
