package io.ragmail.core.mime;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts quoted history and signatures from a plain-text mail body, leaving the part the sender just
 * wrote: the text worth searching for.
 *
 * <p>Each line is classified by a hand-written scan, linear in its length: the regular expressions
 * this replaces ({@code .*schrieb.*:}, {@code .*wrote\s*:?\s*$}) backtracked quadratically on long
 * lines of repeated words or blanks, and a mail of such lines took minutes.
 *
 * <pre>{@code
 * String query = QuoteStripper.strip("Is it in stock?\n\nOn Mon, Ada wrote:\n> old text");
 * // "Is it in stock?"
 * }</pre>
 */
public final class QuoteStripper {

    /** The second line of a two-line attribution is short; a longer line is text. */
    static final int MAX_ATTRIBUTION_TAIL_CHARS = 200;
    private static final String[] SEPARATOR_TITLES = {"Original Message", "Urspr\u00fcngliche Nachricht", "Forwarded message"};
    private static final String[] WROTE_WORDS = {"wrote", "schrieb", "a \u00e9crit"};

    private QuoteStripper() {
    }

    /** The body without quoted lines, attribution lines and what follows them, nor the signature. */
    public static String strip(String text) {
        if (text == null || text.isEmpty()) {
            return "";
        }
        String[] lines = text.split("\n", -1);
        List<String> kept = new ArrayList<>();
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (isSignature(line) || isSeparator(line) || isAttribution(line)) {
                break;
            }
            // "On Mon, 3 Mar 2025 at 10:00, Ada Lovelace\n<ada@example.com> wrote:" split over two lines
            if (attributionStart(line) >= 0 && i + 1 < lines.length
                    && lines[i + 1].length() < MAX_ATTRIBUTION_TAIL_CHARS && endsWithWrote(lines[i + 1])) {
                break;
            }
            if (line.stripLeading().startsWith(">")) {
                continue;
            }
            kept.add(line);
        }
        return String.join("\n", kept).strip();
    }

    /** {@code "--"} or {@code "-- "}, the signature separator (RFC 3676 4.3). */
    static boolean isSignature(String line) {
        return line.equals("--") || line.equals("-- ");
    }

    /** {@code ----- Original Message -----} and its German and forwarding forms. */
    static boolean isSeparator(String line) {
        int i = skipBlanks(line, 0);
        int dashes = skipDashes(line, i);
        if (dashes - i < 2) {
            return false;
        }
        i = skipBlanks(line, dashes);
        for (String title : SEPARATOR_TITLES) {
            if (line.regionMatches(true, i, title, 0, title.length())) {
                int j = skipBlanks(line, i + title.length());
                return skipDashes(line, j) - j >= 2;
            }
        }
        return false;
    }

    /** One-line attributions: {@code On … wrote:}, {@code Am … schrieb …:}, {@code Le … a écrit :}. */
    static boolean isAttribution(String line) {
        int body = attributionStart(line);
        if (body < 0) {
            return false;
        }
        int end = trimmedEnd(line, line.length());
        if (end <= body || line.charAt(end - 1) != ':') {
            return false;
        }
        int colon = end - 1;
        char first = Character.toLowerCase(line.charAt(skipBlanks(line, 0)));
        if (first == 'o') {
            // "wrote" and at most three characters before the colon ("wrote:", "wrote...:", "wrote :")
            for (int gap = 0; gap <= 3; gap++) {
                int at = colon - gap - 5;
                if (at >= body && line.regionMatches(true, at, "wrote", 0, 5)) {
                    return true;
                }
            }
            return false;
        }
        if (first == 'a') {
            return indexOfIgnoreCase(line, "schrieb", body, colon) >= 0;
        }
        int wordEnd = trimmedEnd(line, colon);
        String word = WROTE_WORDS[2];
        return wordEnd - word.length() >= body && line.regionMatches(true, wordEnd - word.length(), word, 0, word.length());
    }

    /** Where the text after {@code On }, {@code Am } or {@code Le } starts, or -1. */
    static int attributionStart(String line) {
        int i = skipBlanks(line, 0);
        if (i + 2 < line.length() && isBlank(line.charAt(i + 2))
                && (line.regionMatches(true, i, "On", 0, 2) || line.regionMatches(true, i, "Am", 0, 2)
                        || line.regionMatches(true, i, "Le", 0, 2))) {
            return i + 3;
        }
        return -1;
    }

    /** Ends with {@code wrote}, {@code schrieb} or {@code a écrit}, then perhaps a colon and blanks. */
    static boolean endsWithWrote(String line) {
        int end = trimmedEnd(line, line.length());
        if (end > 0 && line.charAt(end - 1) == ':') {
            end = trimmedEnd(line, end - 1);
        }
        for (String word : WROTE_WORDS) {
            if (end >= word.length() && line.regionMatches(true, end - word.length(), word, 0, word.length())) {
                return true;
            }
        }
        return false;
    }

    private static int indexOfIgnoreCase(String s, String word, int from, int to) {
        for (int i = from; i + word.length() <= to; i++) {
            if (s.regionMatches(true, i, word, 0, word.length())) {
                return i;
            }
        }
        return -1;
    }

    /** The blanks of {@code \s} in a regular expression: space, tab, CR, LF, VT, FF. */
    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\u000B' || c == '\f';
    }

    private static int skipBlanks(String s, int i) {
        while (i < s.length() && isBlank(s.charAt(i))) {
            i++;
        }
        return i;
    }

    private static int skipDashes(String s, int i) {
        while (i < s.length() && s.charAt(i) == '-') {
            i++;
        }
        return i;
    }

    /** {@code end} moved back over trailing blanks. */
    private static int trimmedEnd(String s, int end) {
        while (end > 0 && isBlank(s.charAt(end - 1))) {
            end--;
        }
        return end;
    }
}
