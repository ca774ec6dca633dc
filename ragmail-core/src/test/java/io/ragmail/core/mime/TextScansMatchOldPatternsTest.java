package io.ragmail.core.mime;

import io.ragmail.core.EmailAddress;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The linear scans that replaced regular expressions in {@link MimeMailParser} give what the
 * expressions gave, on generated short inputs (where the old expressions are still fast).
 */
class TextScansMatchOldPatternsTest {

    private static final String[] TEXT_TOKENS = {" ", "  ", "\t", "\n", "\n", "\r\n", "\r", "\u00a0", "\0", "\u0007", "x", "Hello", ".", "\u2028"};
    private static final String[] ADDRESS_TOKENS = {"a", "bc", "@", "@", ".", " ", "\t", "<", ">", "\"", "'", ",", ";", ":", "(", ")",
        "[", "]", "\u00e9", "x@y", "-", "\u2003", "\u001c", "\f"};

    /** {@code clean} as it was: a regular expression per rule. */
    private static String oldClean(String text) {
        String t = text.replace("\r\n", "\n").replace('\r', '\n');
        StringBuilder out = new StringBuilder(t.length());
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c == '\n' || c == '\t' || !Character.isISOControl(c)) {
                out.append(c == '\u00a0' ? ' ' : c);
            }
        }
        return out.toString().replaceAll("[ \t]+\n", "\n").replaceAll("\n{3,}", "\n\n").strip();
    }

    private static final Pattern OLD_LOOSE_ADDRESS = Pattern.compile("[^\\s<>\"',;:()\\[\\]]+@[^\\s<>\"',;:()\\[\\]]+");

    private static List<String> oldLoose(String value) {
        List<String> found = new ArrayList<>();
        Matcher m = OLD_LOOSE_ADDRESS.matcher(value);
        while (m.find()) {
            found.add(EmailAddress.of(m.group()).address());
        }
        return found;
    }

    private static String generate(SplittableRandom random, String[] tokens, int max) {
        StringBuilder s = new StringBuilder();
        int n = random.nextInt(max);
        for (int i = 0; i < n; i++) {
            s.append(tokens[random.nextInt(tokens.length)]);
        }
        return s.toString();
    }

    @Test
    void clean_gives_what_the_old_expressions_gave() {
        SplittableRandom random = new SplittableRandom(81);
        for (int i = 0; i < 50_000; i++) {
            String text = generate(random, TEXT_TOKENS, 20);
            assertThat(MimeMailParser.clean(text)).as("clean(%s)", text.replace("\n", "\\n").replace("\r", "\\r"))
                    .isEqualTo(oldClean(text));
        }
    }

    @Test
    void the_loose_address_scan_finds_what_the_old_expression_found() {
        SplittableRandom random = new SplittableRandom(82);
        for (int i = 0; i < 50_000; i++) {
            String value = generate(random, ADDRESS_TOKENS, 16);
            assertThat(MimeMailParser.looseAddresses(value)).extracting(EmailAddress::address).as("scan(%s)", value)
                    .isEqualTo(oldLoose(value));
        }
    }
}
