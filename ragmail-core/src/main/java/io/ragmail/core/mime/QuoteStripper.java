package io.ragmail.core.mime;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Cuts quoted history and signatures from a plain-text mail body, leaving the part the sender just
 * wrote: the text worth searching for.
 *
 * <pre>{@code
 * String query = QuoteStripper.strip("Is it in stock?\n\nOn Mon, Ada wrote:\n> old text");
 * // "Is it in stock?"
 * }</pre>
 */
public final class QuoteStripper {

    private static final Pattern SIGNATURE = Pattern.compile("^-- ?$");
    private static final Pattern ORIGINAL_MESSAGE =
            Pattern.compile("^\\s*-{2,}\\s*(Original Message|Urspr\u00fcngliche Nachricht|Forwarded message)\\s*-{2,}.*$",
                    Pattern.CASE_INSENSITIVE);
    private static final Pattern ON_WROTE = Pattern.compile("^\\s*On\\s.*wrote.{0,3}:\\s*$", Pattern.CASE_INSENSITIVE);
    private static final Pattern AM_SCHRIEB = Pattern.compile("^\\s*Am\\s.*schrieb.*:\\s*$", Pattern.CASE_INSENSITIVE);
    private static final Pattern LE_ECRIT = Pattern.compile("^\\s*Le\\s.*a \u00e9crit\\s*:\\s*$", Pattern.CASE_INSENSITIVE);
    private static final Pattern ON_START = Pattern.compile("^\\s*(On|Am|Le)\\s.*", Pattern.CASE_INSENSITIVE);
    private static final Pattern WROTE_END = Pattern.compile(".*(wrote|schrieb|a \u00e9crit)\\s*:?\\s*$", Pattern.CASE_INSENSITIVE);

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
            if (SIGNATURE.matcher(line).matches() || ORIGINAL_MESSAGE.matcher(line).matches()
                    || ON_WROTE.matcher(line).matches() || AM_SCHRIEB.matcher(line).matches()
                    || LE_ECRIT.matcher(line).matches()) {
                break;
            }
            // "On Mon, 3 Mar 2025 at 10:00, Ada Lovelace\n<ada@example.com> wrote:" split over two lines
            if (ON_START.matcher(line).matches() && i + 1 < lines.length
                    && WROTE_END.matcher(lines[i + 1]).matches() && lines[i + 1].length() < 200) {
                break;
            }
            if (line.stripLeading().startsWith(">")) {
                continue;
            }
            kept.add(line);
        }
        return String.join("\n", kept).strip();
    }
}
