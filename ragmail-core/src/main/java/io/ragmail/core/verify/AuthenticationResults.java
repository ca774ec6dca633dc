package io.ragmail.core.verify;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * One parsed {@code Authentication-Results} header field (RFC 8601): the authserv-id of the server
 * that added it and its results, such as {@code dkim=pass header.d=example.com}. Comments are
 * dropped; malformed parts are skipped, never thrown at.
 */
record AuthenticationResults(String authservId, List<Result> results) {

    /** One method's result: {@code method} and {@code result} in lower case, properties by name. */
    record Result(String method, String result, Map<String, String> properties) {
        Optional<String> property(String name) {
            return Optional.ofNullable(properties.get(name.toLowerCase(Locale.ROOT)));
        }
    }

    static Optional<AuthenticationResults> parse(String header) {
        List<String> parts = splitOutsideQuotes(stripComments(header), ';');
        if (parts.isEmpty()) {
            return Optional.empty();
        }
        String[] head = parts.get(0).trim().split("\\s+");
        String authservId = head[0].toLowerCase(Locale.ROOT);
        if (authservId.isEmpty() || authservId.contains("=")) {
            return Optional.empty(); // no authserv-id (as Exchange Online writes it): cannot tell who added it
        }
        List<Result> results = new ArrayList<>();
        for (String part : parts.subList(1, parts.size())) {
            List<String> tokens = splitOutsideQuotes(part.trim(), ' ');
            if (tokens.isEmpty()) {
                continue;
            }
            String[] methodResult = tokens.get(0).split("=", 2);
            if (methodResult.length != 2) {
                continue; // such as "none"
            }
            String method = methodResult[0].split("/", 2)[0].trim().toLowerCase(Locale.ROOT);
            String result = unquote(methodResult[1]).toLowerCase(Locale.ROOT);
            Map<String, String> properties = new HashMap<>();
            for (String token : tokens.subList(1, tokens.size())) {
                String[] kv = token.split("=", 2);
                if (kv.length == 2) {
                    properties.putIfAbsent(kv[0].trim().toLowerCase(Locale.ROOT), unquote(kv[1].trim()));
                }
            }
            results.add(new Result(method, result, Map.copyOf(properties)));
        }
        return Optional.of(new AuthenticationResults(authservId, List.copyOf(results)));
    }

    /** Removes (possibly nested) comments in parentheses outside quoted strings. */
    private static String stripComments(String s) {
        StringBuilder out = new StringBuilder(s.length());
        int depth = 0;
        boolean quoted = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length() && (quoted || depth > 0)) {
                if (depth == 0) {
                    out.append(c).append(s.charAt(i + 1));
                }
                i++;
            } else if (c == '"' && depth == 0) {
                quoted = !quoted;
                out.append(c);
            } else if (c == '(' && !quoted) {
                depth++;
            } else if (c == ')' && !quoted && depth > 0) {
                depth--;
                out.append(' ');
            } else if (depth == 0) {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Splits on {@code separator} (any whitespace when it is a space) outside quoted strings. */
    private static List<String> splitOutsideQuotes(String s, char separator) {
        List<String> parts = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean split = separator == ' ' ? Character.isWhitespace(c) : c == separator;
            if (c == '"') {
                quoted = !quoted;
                current.append(c);
            } else if (split && !quoted) {
                if (!current.toString().isBlank()) {
                    parts.add(current.toString().trim());
                }
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        if (!current.toString().isBlank()) {
            parts.add(current.toString().trim());
        }
        return parts;
    }

    private static String unquote(String s) {
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }
}
