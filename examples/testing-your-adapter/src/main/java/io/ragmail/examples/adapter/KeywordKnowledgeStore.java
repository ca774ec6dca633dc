package io.ragmail.examples.adapter;

import io.ragmail.core.KnowledgeDocument;
import io.ragmail.core.KnowledgeQuery;
import io.ragmail.core.KnowledgeStore;
import io.ragmail.core.Passage;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link KnowledgeStore} in memory that ranks passages by the question's words, for a small FAQ
 * that needs no embedding model. Documents are cut into passages of whole sentences (at most
 * {@link #MAX_PASSAGE_CHARS} characters); a passage scores the sum, over the question's words found
 * in its title or text, of how rare the word is. Words are compared in lower case without a plural
 * {@code s}, common words are ignored, and a thesaurus widens the question with the words your
 * documents use ({@code "parcel" -> "shipping", "delivery"}): keyword search finds nothing for a
 * question worded unlike the documents unless it is told such synonyms.
 *
 * <p>Like a vector store, a search returns the best {@code maxResults} passages that match the
 * query's metadata filters, also when they share no word with the question (ranked last); the
 * drafter is told to use only what answers the mail.
 *
 * <pre>{@code
 * KnowledgeStore store = new KeywordKnowledgeStore(Map.of("parcel", List.of("shipping", "delivery")));
 * store.upsert(List.of(new KnowledgeDocument("faq:shipping", "Shipping", "We ship within two days.")));
 * }</pre>
 */
public final class KeywordKnowledgeStore implements KnowledgeStore {

    public static final int MAX_PASSAGE_CHARS = 400;

    private static final Set<String> COMMON = Set.of("a", "an", "and", "are", "at", "be", "by", "do", "does", "for",
            "from", "have", "how", "i", "in", "is", "it", "me", "my", "of", "on", "or", "our", "so", "that", "the",
            "this", "to", "was", "we", "what", "when", "where", "which", "will", "with", "you", "your");

    private final Map<String, List<String>> thesaurus;
    /** Passages by source id; a whole document is replaced at once. */
    private final Map<String, List<Indexed>> bySource = new ConcurrentHashMap<>();

    private record Indexed(Passage passage, Set<String> words, Map<String, String> metadata) {
    }

    /** A store without synonyms. */
    public KeywordKnowledgeStore() {
        this(Map.of());
    }

    /** A store that widens each question word found in {@code thesaurus} with the words it maps to. */
    public KeywordKnowledgeStore(Map<String, List<String>> thesaurus) {
        Map<String, List<String>> normalised = new LinkedHashMap<>();
        thesaurus.forEach((word, synonyms) -> normalised.put(normalise(word), synonyms.stream().map(KeywordKnowledgeStore::normalise).toList()));
        this.thesaurus = Map.copyOf(normalised);
    }

    @Override
    public void upsert(List<KnowledgeDocument> documents) {
        for (KnowledgeDocument document : documents) { // in order: the last version of a source id wins
            List<Indexed> passages = new ArrayList<>();
            for (String text : sentencesUpTo(document.text(), MAX_PASSAGE_CHARS)) {
                Set<String> words = words(document.title() + " " + text);
                passages.add(new Indexed(new Passage(document.sourceId(), document.title(), text, 0), words, document.metadata()));
            }
            bySource.put(document.sourceId(), List.copyOf(passages));
        }
    }

    @Override
    public void delete(Collection<String> sourceIds) {
        sourceIds.forEach(bySource::remove);
    }

    @Override
    public List<Passage> search(KnowledgeQuery query) {
        List<Indexed> candidates = bySource.values().stream().flatMap(List::stream)
                .filter(p -> p.metadata().entrySet().containsAll(query.filters().entrySet())).toList();
        Set<String> asked = new HashSet<>();
        for (String word : words(query.text())) {
            asked.add(word);
            asked.addAll(thesaurus.getOrDefault(word, List.of()));
        }
        List<Passage> ranked = new ArrayList<>();
        for (Indexed candidate : candidates) {
            double score = 0;
            for (String word : asked) {
                if (candidate.words().contains(word)) {
                    long containing = candidates.stream().filter(c -> c.words().contains(word)).count();
                    score += Math.log(1.0 + (double) candidates.size() / containing); // rare words count more
                }
            }
            Passage p = candidate.passage();
            ranked.add(new Passage(p.sourceId(), p.title(), p.text(), score));
        }
        // best first; ties by source id, so that equal scores never depend on the order of upserts
        ranked.sort(Comparator.comparingDouble(Passage::score).reversed().thenComparing(Passage::sourceId));
        return List.copyOf(ranked.subList(0, Math.min(query.maxResults(), ranked.size())));
    }

    private static Set<String> words(String text) {
        Set<String> words = new HashSet<>();
        for (String word : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            if (!word.isEmpty() && !COMMON.contains(word)) {
                words.add(normalise(word));
            }
        }
        return words;
    }

    /** Lower case, without a plural s ("Orders" -> "order", "arrives" -> "arrive"). */
    private static String normalise(String word) {
        String w = Objects.requireNonNull(word).toLowerCase(Locale.ROOT).strip();
        return w.length() > 3 && w.endsWith("s") && !w.endsWith("ss") ? w.substring(0, w.length() - 1) : w;
    }

    /** Cuts a text into pieces of whole sentences, each at most {@code max} characters (or one long sentence). */
    private static List<String> sentencesUpTo(String text, int max) {
        List<String> pieces = new ArrayList<>();
        StringBuilder piece = new StringBuilder();
        for (String sentence : text.strip().split("(?<=[.!?])\\s+")) {
            if (piece.length() > 0 && piece.length() + 1 + sentence.length() > max) {
                pieces.add(piece.toString());
                piece.setLength(0);
            }
            piece.append(piece.length() > 0 ? " " : "").append(sentence);
        }
        if (piece.length() > 0) {
            pieces.add(piece.toString());
        }
        return pieces;
    }
}
