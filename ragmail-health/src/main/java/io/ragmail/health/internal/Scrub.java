package io.ragmail.health.internal;

import java.util.regex.Pattern;

/**
 * Makes a string from an error or a mail safe to keep and show: control characters become spaces,
 * things that look like secrets are masked, and the length is capped. Escaping for HTML or JSON is
 * the renderer's job; this only decides what is kept.
 */
public final class Scrub {

    /** The longest error text kept. */
    public static final int MAX_ERROR = 300;
    /** The longest subject kept. */
    public static final int MAX_SUBJECT = 200;

    private static final Pattern URL_USERINFO = Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]*://)[^/@\\s]+@");
    private static final Pattern KEY_VALUE = Pattern.compile(
            "(?i)\\b(password|passwd|pwd|pass|secret|token|api[_-]?key|apikey|access[_-]?key|authorization|auth)"
                    + "(\\s*[=:]\\s*)(\"[^\"]*\"|'[^']*'|(?:bearer|basic)\\s+\\S+|\\S+)");
    private static final Pattern BEARER = Pattern.compile("(?i)\\b(bearer|basic)\\s+[A-Za-z0-9._~+/=-]{8,}");
    private static final Pattern CONTROL = Pattern.compile("[\\p{Cc}\\p{Cf}&&[^\\u200d]]+");

    private Scrub() {
    }

    /** An error message fit for health output: no control characters, secrets masked, at most 300 characters. */
    public static String error(String text) {
        if (text == null || text.isEmpty()) {
            return "";
        }
        String s = CONTROL.matcher(text).replaceAll(" ").strip();
        s = URL_USERINFO.matcher(s).replaceAll("$1***@");
        s = KEY_VALUE.matcher(s).replaceAll("$1$2***");
        s = BEARER.matcher(s).replaceAll("$1 ***");
        return cap(s, MAX_ERROR);
    }

    /** A subject fit for the dashboard: one line, at most 200 characters (escaping comes later). */
    public static String subject(String text) {
        if (text == null) {
            return "";
        }
        return cap(CONTROL.matcher(text).replaceAll(" ").strip(), MAX_SUBJECT);
    }

    private static String cap(String s, int max) {
        if (s.length() <= max) {
            return s;
        }
        int end = max - 1;
        if (Character.isHighSurrogate(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(0, end) + "…";
    }
}
