package io.ragmail.core.knowledge.internal;

/** Bounded Damerau-Levenshtein distance (adjacent transpositions count as one edit), as fuzzy matching counts. */
public final class EditDistance {

    private EditDistance() {
    }

    /**
     * Whether {@code a} and {@code b} are at most {@code max} edits apart. Gives up as soon as a whole
     * row exceeds {@code max}, so the cost is bounded by the shorter word's length times {@code 2 max + 1}
     * in practice; words of very different length are rejected without any work.
     */
    public static boolean within(String a, String b, int max) {
        if (Math.abs(a.length() - b.length()) > max) {
            return false;
        }
        int n = a.length();
        int m = b.length();
        int[] previous2 = new int[m + 1];
        int[] previous = new int[m + 1];
        int[] current = new int[m + 1];
        for (int j = 0; j <= m; j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= n; i++) {
            current[0] = i;
            int rowMin = current[0];
            for (int j = 1; j <= m; j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                int value = Math.min(Math.min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    value = Math.min(value, previous2[j - 2] + 1);
                }
                current[j] = value;
                rowMin = Math.min(rowMin, value);
            }
            if (rowMin > max) {
                return false;
            }
            int[] recycled = previous2;
            previous2 = previous;
            previous = current;
            current = recycled;
        }
        return previous[m] <= max;
    }
}
