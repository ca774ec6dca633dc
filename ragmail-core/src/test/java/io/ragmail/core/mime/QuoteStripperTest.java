package io.ragmail.core.mime;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hand-written line scans of {@link QuoteStripper} cut exactly where the regular expressions
 * they replaced did, on generated short texts (where the old patterns are still fast), and the
 * attribution forms of common clients are recognised.
 */
class QuoteStripperTest {

    /** The patterns QuoteStripper used before issue 8, kept as the oracle. */
    private static final class RegexOracle {
        static final Pattern SIGNATURE = Pattern.compile("^-- ?$");
        static final Pattern ORIGINAL_MESSAGE =
                Pattern.compile("^\\s*-{2,}\\s*(Original Message|Urspr\u00fcngliche Nachricht|Forwarded message)\\s*-{2,}.*$",
                        Pattern.CASE_INSENSITIVE);
        static final Pattern ON_WROTE = Pattern.compile("^\\s*On\\s.*wrote.{0,3}:\\s*$", Pattern.CASE_INSENSITIVE);
        static final Pattern AM_SCHRIEB = Pattern.compile("^\\s*Am\\s.*schrieb.*:\\s*$", Pattern.CASE_INSENSITIVE);
        static final Pattern LE_ECRIT = Pattern.compile("^\\s*Le\\s.*a \u00e9crit\\s*:\\s*$", Pattern.CASE_INSENSITIVE);
        static final Pattern ON_START = Pattern.compile("^\\s*(On|Am|Le)\\s.*", Pattern.CASE_INSENSITIVE);
        static final Pattern WROTE_END = Pattern.compile(".*(wrote|schrieb|a \u00e9crit)\\s*:?\\s*$", Pattern.CASE_INSENSITIVE);

        static String strip(String text) {
            String[] lines = text.split("\n", -1);
            List<String> kept = new ArrayList<>();
            for (int i = 0; i < lines.length; i++) {
                String line = lines[i];
                if (SIGNATURE.matcher(line).matches() || ORIGINAL_MESSAGE.matcher(line).matches()
                        || ON_WROTE.matcher(line).matches() || AM_SCHRIEB.matcher(line).matches()
                        || LE_ECRIT.matcher(line).matches()) {
                    break;
                }
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

    /**
     * No CR: the parser's text never holds one (a lone CR becomes a line break), and the old
     * patterns' {@code .} stopped at it where the scans do not, a difference no mail can show.
     */
    private static final String[] TOKENS = {"On", "ON", "on", "Am", "AM", "Le", "LE", " ", " ", "\t", "\u000B", "\f",
        "wrote", "WROTE", "Wrote", "schrieb", "SCHRIEB", "a \u00e9crit", "A \u00e9CRIT", ":", ":", "x", "Ada", "-", "--", "---",
        "Original Message", "original message", "Urspr\u00fcngliche Nachricht", "Forwarded message", ".", "..", ">", "\n", "\n",
        "<ada@example.com>", "2025"};

    @Test
    void cuts_where_the_old_regular_expressions_cut_on_generated_texts() {
        SplittableRandom random = new SplittableRandom(20261204);
        for (int n = 0; n < 50_000; n++) {
            StringBuilder text = new StringBuilder("Question\n");
            int tokens = 1 + random.nextInt(14);
            for (int t = 0; t < tokens; t++) {
                text.append(TOKENS[random.nextInt(TOKENS.length)]);
            }
            text.append("\nrest");
            String input = text.toString();
            assertThat(QuoteStripper.strip(input)).as("strip(%s)", visible(input)).isEqualTo(RegexOracle.strip(input));
        }
    }

    private static String visible(String s) {
        return s.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t").replace("\u000B", "\\v").replace("\f", "\\f");
    }

    @Test
    void attribution_lines_of_common_clients_start_the_quoted_history() {
        List<String> attributions = List.of(
                "On Mon, 3 Mar 2025 at 10:00, Ada Lovelace <ada@example.com> wrote:",
                "On 03/03/2025 10:00, Ada wrote...:",
                "Am Mo., 3. M\u00e4rz 2025 um 10:00 Uhr schrieb Ada Lovelace <ada@example.com>:",
                "Le lun. 3 mars 2025 \u00e0 10:00, Ada <ada@example.com> a \u00e9crit :",
                "-----Original Message-----",
                "---------- Forwarded message ---------",
                "-----Urspr\u00fcngliche Nachricht-----");
        for (String attribution : attributions) {
            assertThat(QuoteStripper.strip("Is it in stock?\n\n" + attribution + "\n> old")).as(attribution).isEqualTo("Is it in stock?");
        }
        assertThat(QuoteStripper.strip("On Monday we wrote a plan: here it is\nmore")).contains("more");
    }
}
