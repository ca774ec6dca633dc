package io.ragmail.core.knowledge;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A rough guess of a mail's language from its most common short words, for the languages customers
 * write in (English, German, French, Spanish, Italian, Dutch). Enough to tell that a mail is not in
 * the knowledge base's English, which the in-process embedding model cannot bridge; not a general
 * language identifier. One pass over the text.
 *
 * <pre>{@code
 * QueryLanguage.detect("Haben Sie das Sicherheitsdatenblatt für Aceton?"); // "de"
 * }</pre>
 */
public final class QueryLanguage {

    /** The languages {@link #detect} recognises. */
    public static final Set<String> LANGUAGES = Set.of("en", "de", "fr", "es", "it", "nl");

    private static final Map<String, Set<String>> FUNCTION_WORDS = new LinkedHashMap<>();

    static {
        FUNCTION_WORDS.put("en", Set.of("the", "and", "is", "are", "you", "your", "do", "does", "can", "what", "how",
                "for", "of", "with", "we", "i", "have", "it", "to", "in", "my", "our", "please", "which", "would", "could"));
        FUNCTION_WORDS.put("de", Set.of("der", "die", "das", "und", "ist", "sie", "ihr", "ihre", "wir", "ich", "haben",
                "wie", "was", "für", "mit", "nicht", "bitte", "können", "kann", "eine", "ein", "einen", "gibt", "es",
                "auf", "den", "dem", "bei", "welche", "wann", "noch", "auch", "uns", "mir"));
        FUNCTION_WORDS.put("fr", Set.of("le", "la", "les", "et", "est", "vous", "votre", "vos", "nous", "je", "pour",
                "avec", "une", "un", "des", "du", "que", "quel", "quelle", "pouvez", "comment", "est-ce", "ce", "pas",
                "sur", "dans", "au", "aux", "merci", "bonjour", "il", "y"));
        FUNCTION_WORDS.put("es", Set.of("el", "la", "los", "las", "y", "es", "usted", "ustedes", "su", "sus", "nosotros",
                "yo", "para", "con", "una", "un", "que", "qué", "cuál", "cómo", "pueden", "puedo", "tienen", "hay",
                "del", "por", "gracias", "hola", "necesito", "necesitamos", "también"));
        FUNCTION_WORDS.put("it", Set.of("il", "lo", "la", "gli", "le", "e", "è", "voi", "vostro", "vostra", "noi", "io",
                "per", "con", "una", "un", "che", "quale", "come", "potete", "avete", "del", "della", "dei", "delle",
                "non", "grazie", "buongiorno", "anche", "sono"));
        FUNCTION_WORDS.put("nl", Set.of("de", "het", "een", "en", "is", "zijn", "u", "uw", "wij", "we", "ik", "voor",
                "met", "van", "wat", "hoe", "welke", "kunt", "kan", "heeft", "hebben", "niet", "ook", "graag", "bij",
                "op", "dat", "er", "dank", "bedankt"));
    }

    private QueryLanguage() {
    }

    /** The language with the most function words in {@code text}; empty when none has two or more. */
    public static String detect(String text) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        StringBuilder word = new StringBuilder();
        for (int i = 0; i <= text.length(); i++) {
            char c = i < text.length() ? text.charAt(i) : ' ';
            if (Character.isLetter(c) || (c == '-' && word.length() > 0)) {
                word.append(Character.toLowerCase(c));
                continue;
            }
            if (word.length() > 0) {
                String w = word.toString();
                FUNCTION_WORDS.forEach((language, words) -> {
                    if (words.contains(w)) {
                        counts.merge(language, 1, Integer::sum);
                    }
                });
                word.setLength(0);
            }
        }
        String best = "";
        int bestCount = 1;
        for (Map.Entry<String, Integer> e : counts.entrySet()) {
            if (e.getValue() > bestCount) {
                best = e.getKey();
                bestCount = e.getValue();
            }
        }
        return best.toLowerCase(Locale.ROOT);
    }
}
