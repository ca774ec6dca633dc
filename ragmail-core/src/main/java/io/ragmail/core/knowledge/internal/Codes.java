package io.ragmail.core.knowledge.internal;

/**
 * What counts as a code in a customer's mail: a product code, CAS, UN, order or E number, which must
 * match exactly. A run of letters, digits and inner separators that starts with a letter, is at least
 * three characters long and holds a digit ({@code ace-500}, {@code UN1090}, {@code S00042},
 * {@code E330}), or that holds digits and at least two separators ({@code 67-64-1}). Quantities and
 * units ({@code 2.5}, {@code 25kg}, {@code 5L}, {@code m3}) are not codes.
 */
public final class Codes {

    private Codes() {
    }

    /** Whether one token (as {@link IdentifierAnalyzer} or a caller cut it) is a code. */
    public static boolean isCode(String token) {
        if (token.isEmpty()) {
            return false;
        }
        boolean digit = false;
        int separators = 0;
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            digit |= Character.isDigit(c);
            separators += isSeparator(c) ? 1 : 0;
        }
        return digit && ((Character.isLetter(token.charAt(0)) && token.length() >= 3) || separators >= 2);
    }

    /** The separators a code may hold between its letters and digits. */
    public static boolean isSeparator(char c) {
        return c == '-' || c == '.' || c == '/' || c == '_';
    }
}
