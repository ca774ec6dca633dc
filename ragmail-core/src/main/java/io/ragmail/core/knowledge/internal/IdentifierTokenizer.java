package io.ragmail.core.knowledge.internal;

import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;

import java.io.IOException;

/**
 * Splits text into runs of letters and digits joined by {@code - . / _} ({@code ACE-500},
 * {@code 67-64-1}, {@code 3.5}), in one pass with one character of look-ahead. It replaces the pattern
 * {@code [\p{L}\p{N}]+(?:[-./_][\p{L}\p{N}]+)*}, whose repeated group recursed once per part and
 * overflowed the stack on {@code a-a-a-…}; a token longer than {@value #MAX_TOKEN_CHARS} characters is
 * cut there (the rest of the run is skipped), as no identifier is that long.
 */
final class IdentifierTokenizer extends Tokenizer {

    static final int MAX_TOKEN_CHARS = 128;

    private final CharTermAttribute term = addAttribute(CharTermAttribute.class);
    private final OffsetAttribute offset = addAttribute(OffsetAttribute.class);
    private int position;
    private boolean exhausted;

    @Override
    public boolean incrementToken() throws IOException {
        clearAttributes();
        if (exhausted) {
            return false;
        }
        // skip to the first letter or digit
        int c;
        int start;
        do {
            start = position;
            c = readCodePoint();
            if (c < 0) {
                exhausted = true;
                return false;
            }
        } while (!Character.isLetterOrDigit(c));
        int end = append(c);
        while (true) {
            int next = readCodePoint();
            if (next < 0) {
                exhausted = true;
                break;
            }
            if (Character.isLetterOrDigit(next)) {
                end = append(next);
            } else if (isJoiner(next)) {
                int after = readCodePoint();
                if (after < 0) {
                    exhausted = true;
                    break;
                }
                if (!Character.isLetterOrDigit(after)) {
                    break; // neither the joiner nor what follows can start a token: both are skipped
                }
                append(next);
                end = append(after);
            } else {
                break;
            }
        }
        offset.setOffset(correctOffset(start), correctOffset(end));
        return true;
    }

    private static boolean isJoiner(int c) {
        return c == '-' || c == '.' || c == '/' || c == '_';
    }

    /** Appends the code point while the token has room; returns the offset just after it. */
    private int append(int codePoint) {
        if (term.length() + Character.charCount(codePoint) <= MAX_TOKEN_CHARS) {
            if (Character.isBmpCodePoint(codePoint)) {
                term.append((char) codePoint);
            } else {
                term.append(Character.highSurrogate(codePoint)).append(Character.lowSurrogate(codePoint));
            }
        }
        return position;
    }

    /** The next code point of the input, or -1 at its end; {@code position} counts chars read. */
    private int readCodePoint() throws IOException {
        int c = input.read();
        if (c < 0) {
            return -1;
        }
        position++;
        if (Character.isHighSurrogate((char) c)) {
            int low = input.read();
            if (low < 0) {
                return c;
            }
            position++;
            if (Character.isLowSurrogate((char) low)) {
                return Character.toCodePoint((char) c, (char) low);
            }
            return c; // an unpaired surrogate is no letter: the char after it is lost, as is the surrogate
        }
        return c;
    }

    @Override
    public void end() throws IOException {
        super.end();
        int last = correctOffset(position);
        offset.setOffset(last, last);
    }

    @Override
    public void reset() throws IOException {
        super.reset();
        position = 0;
        exhausted = false;
    }
}
