package io.ragmail.testkit.mail;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Generated text and mail built to make text processing slow: long runs of blanks without a line
 * break, quote markers, {@code 1'1'1'…}, digits with separators, attribution words repeated on one
 * line, very long lines and mixed Unicode. Each {@link Shape} is a family; the seed varies the
 * details, so a test can run many members of a family and a benchmark can grow one to any size.
 * The same shape, size and seed always give the same text.
 *
 * <pre>{@code
 * String body = AdversarialText.text(Shape.APOSTROPHE_DIGITS, 2 * 1024 * 1024, 42);
 * byte[] raw = AdversarialText.mail("Question", body, 7);
 * }</pre>
 */
public final class AdversarialText {

    /** Families of inputs that made a regular expression or a copy super-linear before. */
    public enum Shape {
        /** A word, then blanks (spaces and tabs) up to the size, no line break. */
        BLANKS_WITHOUT_LINE_BREAK,
        /** Lines made almost only of blanks, each ending in a line break. */
        BLANK_LINES,
        /** {@code >} markers, nested and spaced, on few long lines. */
        QUOTE_MARKERS,
        /** Quoted history: attribution lines and ever deeper {@code > > >} quoting. */
        NESTED_QUOTES,
        /** {@code 1'1'1'…}: digits and apostrophes (Swiss thousands separators) without end. */
        APOSTROPHE_DIGITS,
        /** Digits separated by no-break spaces, dots and commas, in random order. */
        DIGITS_WITH_SEPARATORS,
        /** {@code On … wrote wrote wrote …}, {@code Am … schrieb schrieb …} and blanks on one line. */
        ATTRIBUTION_WORDS,
        /** Product-code and invoice look-alikes: {@code AB-1-2-3-…}, {@code INV/AB/CD/…}, {@code €1.1.1}. */
        CODE_LOOKALIKES,
        /** One line of letters and {@code @} signs, no blank. */
        LONG_LINE,
        /** Letters without any {@code @} or blank, then one address: a recipient list no parser accepts. */
        LETTERS_THEN_ADDRESS,
        /** Random code points: accents, combining marks, right-to-left text, emoji (surrogate pairs), no-break spaces. */
        MIXED_UNICODE,
        /** HTML of deeply nested and unclosed elements ({@code <div><blockquote><b>…}) with quote markers and digits; sent as {@code text/html}. */
        NESTED_HTML,
        /** Random tokens from all families above, mixed. */
        MIXED
    }

    private static final String[] TOKENS = {" ", "  ", "\t", "\n", ">", "> ", "1", "'", ".", ",", "\u00a0",
        "\u202f", "-", "On ", "Am ", "Le ", "wrote", "schrieb", "a \u00e9crit", ":", "€", "EUR", "UN", "AB-",
        "INV/", "2025-", "12.", "kg", "pallets", "@", "a", "\u200f", "\u0301", "\ud83d\ude00", "--", "Original Message"};
    private static final int[] UNICODE = {'a', 'Z', '\u00e9', '\u00fc', '\u0301', '\u05d0', '\u0627', '\u200f',
        '\u00a0', '\u2028', 0x1F600, 0x1D11E, '\u4e2d', ' ', '\n', '1', '\''};

    private AdversarialText() {
    }

    /** About {@code chars} characters (at most a few more) of the given family. */
    public static String text(Shape shape, int chars, long seed) {
        Objects.requireNonNull(shape, "shape");
        if (chars < 1) {
            throw new IllegalArgumentException("chars must be at least 1, was " + chars);
        }
        SplittableRandom random = new SplittableRandom(seed);
        StringBuilder out = new StringBuilder(chars + 64);
        switch (shape) {
            case BLANKS_WITHOUT_LINE_BREAK -> {
                out.append("Hello");
                while (out.length() < chars) {
                    out.append(random.nextInt(8) == 0 ? '\t' : ' ');
                }
                out.append('x');
            }
            case BLANK_LINES -> {
                while (out.length() < chars) {
                    int blanks = 1 + random.nextInt(4000);
                    out.append(random.nextBoolean() ? "x" : "");
                    out.append(" ".repeat(blanks)).append(random.nextInt(4) == 0 ? "\r\n" : "\n");
                }
            }
            case QUOTE_MARKERS -> {
                while (out.length() < chars) {
                    out.append(random.nextBoolean() ? ">" : "> ");
                    if (random.nextInt(5000) == 0) {
                        out.append('\n');
                    }
                }
            }
            case NESTED_QUOTES -> {
                int depth = 0;
                while (out.length() < chars) {
                    depth = Math.min(depth + 1, 2000);
                    out.append("On Mon, 3 Mar 2025, Ada <ada@customer.example> wrote:\n");
                    out.append("> ".repeat(depth)).append("Is ACE-500 in stock? 1'200 kg at EUR 1,200.00\n");
                }
            }
            case APOSTROPHE_DIGITS -> {
                out.append(random.nextBoolean() ? "" : "EUR ");
                while (out.length() < chars) {
                    out.append("1'");
                }
            }
            case DIGITS_WITH_SEPARATORS -> {
                String separators = ".,'\u00a0\u202f";
                while (out.length() < chars) {
                    out.append((char) ('0' + random.nextInt(10)));
                    if (random.nextBoolean()) {
                        out.append(separators.charAt(random.nextInt(separators.length())));
                    }
                }
            }
            case ATTRIBUTION_WORDS -> {
                out.append(random.nextBoolean() ? "On " : "Am ");
                String[] words = {"wrote ", "schrieb ", "a \u00e9crit ", "   ", ":", "\t"};
                while (out.length() < chars) {
                    out.append(words[random.nextInt(words.length)]);
                }
                out.append("x\n").append(random.nextBoolean() ? "On x" : "Le x").append('\n').append("wrote").append(" ".repeat(150)).append('x');
            }
            case CODE_LOOKALIKES -> {
                String[] starts = {"AB", "INV/AB", "€1", "UN 1", "ACE", "1.1", "12-"};
                while (out.length() < chars) {
                    out.append(starts[random.nextInt(starts.length)]);
                    int n = random.nextInt(4000);
                    String piece = random.nextBoolean() ? "-1" : "/AB";
                    for (int i = 0; i < n && out.length() < chars; i++) {
                        out.append(piece);
                    }
                    out.append(random.nextBoolean() ? "x" : " ");
                }
            }
            case LONG_LINE -> {
                while (out.length() < chars) {
                    out.append(random.nextInt(50) == 0 ? '@' : (char) ('a' + random.nextInt(26)));
                }
            }
            case LETTERS_THEN_ADDRESS -> {
                while (out.length() < chars - 20) {
                    out.append((char) ('a' + random.nextInt(26)));
                }
                out.append(" x@y <ada@customer.example");
            }
            case MIXED_UNICODE -> {
                while (out.length() < chars) {
                    out.appendCodePoint(UNICODE[random.nextInt(UNICODE.length)]);
                }
            }
            case NESTED_HTML -> {
                String[] tags = {"<div>", "<blockquote>", "<b>", "<table><tr><td>", "<p>", "<li>", "</div>", "&gt; ", "1'",
                    "<script>x", "</script>", "<!--", "-->", "&nbsp;", "<br>"};
                out.append("<html><body>");
                while (out.length() < chars) {
                    out.append(tags[random.nextInt(tags.length)]);
                }
            }
            case MIXED -> {
                while (out.length() < chars) {
                    String token = TOKENS[random.nextInt(TOKENS.length)];
                    int repeat = random.nextInt(10) == 0 ? 1 + random.nextInt(2000) : 1;
                    for (int i = 0; i < repeat && out.length() < chars; i++) {
                        out.append(token);
                    }
                }
            }
            default -> throw new IllegalStateException("unknown shape " + shape);
        }
        return out.toString();
    }

    /**
     * A raw mail (UTF-8, 8bit; {@code text/html} when the body starts with {@code <html}, else
     * {@code text/plain}) whose body is {@code body} as it is, line breaks and all, and whose Subject
     * and Cc are {@code subject} on one line; Message-ID
     * {@code <adversarial-N@customer.example>}, From {@code ada@customer.example}.
     */
    public static byte[] mail(String subject, String body, long number) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length() * 2 + 1024);
        String head = "From: Ada Lovelace <ada@customer.example>\r\n"
                + "To: support@shop.example\r\n"
                + "Subject: " + subject.replace("\r", " ").replace("\n", " ") + "\r\n"
                // the same text as a recipient list: what fails to parse as addresses is scanned loosely
                + "Cc: " + subject.replace("\r", " ").replace("\n", " ") + "\r\n"
                + "Date: Mon, 3 Mar 2025 10:00:00 +0100\r\n"
                + "Message-ID: <adversarial-" + number + "@customer.example>\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: " + (body.startsWith("<html") ? "text/html" : "text/plain") + "; charset=UTF-8\r\n"
                + "Content-Transfer-Encoding: 8bit\r\n\r\n";
        out.writeBytes(head.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(body.getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }
}
