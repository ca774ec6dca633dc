package io.ragmail.benchmarks.knowledge;

import io.ragmail.core.KnowledgeDocument;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * Many one-chunk documents derived from a real corpus for speed tests: each is a paragraph of a corpus
 * document with its sentences shuffled, numbers changed and product codes renumbered, under a new source
 * id, and short enough ({@link #MAX_CHARS}) to stay one chunk. Deterministic for a given seed.
 *
 * <pre>{@code
 * List<KnowledgeDocument> docs = SyntheticChunks.generate(SampleKnowledge.documents(), 10_000, 42);
 * }</pre>
 */
public final class SyntheticChunks {

    /** Upper bound of a synthetic document's length, below the stores' chunk size. */
    public static final int MAX_CHARS = 700;

    private SyntheticChunks() {
    }

    /** {@code count} synthetic documents. */
    public static List<KnowledgeDocument> generate(List<KnowledgeDocument> corpus, int count, long seed) {
        if (corpus.isEmpty()) {
            throw new IllegalArgumentException("corpus must not be empty");
        }
        List<String[]> paragraphs = new ArrayList<>();
        List<KnowledgeDocument> owners = new ArrayList<>();
        for (KnowledgeDocument d : corpus) {
            for (String p : d.text().split("\n\n")) {
                if (p.length() > 60) {
                    paragraphs.add(p.split("(?<=\\.) "));
                    owners.add(d);
                }
            }
        }
        SplittableRandom random = new SplittableRandom(seed);
        List<KnowledgeDocument> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int pick = random.nextInt(paragraphs.size());
            KnowledgeDocument owner = owners.get(pick);
            List<String> sentences = new ArrayList<>(Arrays.asList(paragraphs.get(pick)));
            Collections.shuffle(sentences, new Random(random.nextLong()));
            StringBuilder text = new StringBuilder();
            for (String s : sentences) {
                if (text.length() + s.length() + 1 > MAX_CHARS) {
                    break;
                }
                text.append(vary(s, random)).append(' ');
            }
            if (text.length() == 0) {
                text.append(vary(sentences.get(0), random), 0, Math.min(MAX_CHARS, sentences.get(0).length()));
            }
            String id = "synthetic:" + i;
            Map<String, String> metadata = Map.of("type", owner.metadata().getOrDefault("type", "faq"), "language", "en");
            out.add(new KnowledgeDocument(id, owner.title() + " #" + i, text.toString().trim(), metadata));
        }
        return out;
    }

    private static String vary(String sentence, SplittableRandom random) {
        StringBuilder out = new StringBuilder(sentence.length());
        for (int i = 0; i < sentence.length(); i++) {
            char c = sentence.charAt(i);
            if (Character.isDigit(c) && random.nextInt(3) == 0) {
                out.append((char) ('0' + random.nextInt(10)));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
