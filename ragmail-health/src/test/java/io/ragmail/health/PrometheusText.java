package io.ragmail.health;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A strict parser of the Prometheus text exposition format 0.0.4 (no Prometheus parser for Java
 * resolves here): every line must be a HELP, a TYPE, another comment, blank, or a sample with a valid
 * metric name, well-formed labels and escapes, a valid float and an optional integer timestamp. It
 * also checks the rules between lines: one HELP and TYPE per family, TYPE before the family's
 * samples, a family's samples together, sample names matching their family's type, no duplicate
 * series, histogram buckets cumulative with a {@code +Inf} bucket equal to {@code _count}.
 */
final class PrometheusText {

    record Sample(String name, Map<String, String> labels, double value) {
    }

    record Family(String name, String type, String help, List<Sample> samples) {
        double value(String sampleName, Map<String, String> labels) {
            return samples.stream().filter(s -> s.name.equals(sampleName) && s.labels.equals(labels))
                    .mapToDouble(Sample::value).findFirst()
                    .orElseThrow(() -> new AssertionError("no sample " + sampleName + labels + " in " + name));
        }
    }

    static final class ParseException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ParseException(int line, String message) {
            super("line " + line + ": " + message);
        }
    }

    private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");

    private PrometheusText() {
    }

    static Map<String, Family> parse(String text) {
        Map<String, String> types = new LinkedHashMap<>();
        Map<String, String> helps = new LinkedHashMap<>();
        Map<String, List<Sample>> samples = new LinkedHashMap<>();
        Set<String> seenSeries = new java.util.HashSet<>();
        String currentFamily = null;
        Set<String> closedFamilies = new java.util.HashSet<>();
        String[] lines = text.split("\n", -1);
        if (!text.isEmpty() && !text.endsWith("\n")) {
            throw new ParseException(lines.length, "the exposition must end with a line feed");
        }
        for (int i = 0; i < lines.length; i++) {
            int no = i + 1;
            String line = lines[i];
            if (i == lines.length - 1 && line.isEmpty()) {
                break;
            }
            if (line.isBlank()) {
                continue;
            }
            if (line.startsWith("#")) {
                String[] parts = line.split("[ \t]+", 4);
                if (parts.length >= 3 && (parts[1].equals("HELP") || parts[1].equals("TYPE"))) {
                    String name = parts[2];
                    requireName(no, name);
                    if (parts[1].equals("TYPE")) {
                        if (parts.length != 4 || !TYPES.contains(parts[3])) {
                            throw new ParseException(no, "bad TYPE line: " + line);
                        }
                        if (types.put(name, parts[3]) != null) {
                            throw new ParseException(no, "second TYPE for " + name);
                        }
                        if (samples.containsKey(name)) {
                            throw new ParseException(no, "TYPE for " + name + " after its samples");
                        }
                    } else {
                        String help = parts.length == 4 ? parts[3] : "";
                        checkHelpEscapes(no, help);
                        if (helps.put(name, help) != null) {
                            throw new ParseException(no, "second HELP for " + name);
                        }
                    }
                }
                continue;
            }
            Sample s = sample(no, line);
            String family = familyOf(s.name, types);
            if (!family.equals(currentFamily)) {
                if (closedFamilies.contains(family)) {
                    throw new ParseException(no, "samples of " + family + " are not together");
                }
                if (currentFamily != null) {
                    closedFamilies.add(currentFamily);
                }
                currentFamily = family;
            }
            String type = types.getOrDefault(family, "untyped");
            checkSuffix(no, s, family, type);
            if (!seenSeries.add(s.name + s.labels)) {
                throw new ParseException(no, "duplicate series " + s.name + s.labels);
            }
            samples.computeIfAbsent(family, k -> new ArrayList<>()).add(s);
        }
        Map<String, Family> result = new LinkedHashMap<>();
        for (Map.Entry<String, List<Sample>> e : samples.entrySet()) {
            String type = types.getOrDefault(e.getKey(), "untyped");
            Family f = new Family(e.getKey(), type, helps.get(e.getKey()), List.copyOf(e.getValue()));
            if (type.equals("histogram")) {
                checkHistogram(f);
            }
            result.put(e.getKey(), f);
        }
        return Collections.unmodifiableMap(result);
    }

    private static String familyOf(String name, Map<String, String> types) {
        if (types.containsKey(name)) {
            return name;
        }
        for (String suffix : List.of("_bucket", "_count", "_sum")) {
            if (name.endsWith(suffix)) {
                String base = name.substring(0, name.length() - suffix.length());
                String t = types.get(base);
                if ("histogram".equals(t) || "summary".equals(t)) {
                    return base;
                }
            }
        }
        return name;
    }

    private static void checkSuffix(int no, Sample s, String family, String type) {
        switch (type) {
            case "histogram" -> {
                if (!(s.name.equals(family + "_bucket") || s.name.equals(family + "_count") || s.name.equals(family + "_sum"))) {
                    throw new ParseException(no, "histogram sample " + s.name + " is not _bucket, _count or _sum");
                }
                if (s.name.endsWith("_bucket") && !s.labels.containsKey("le")) {
                    throw new ParseException(no, "bucket without le");
                }
            }
            case "summary" -> {
                if (!(s.name.equals(family) || s.name.equals(family + "_count") || s.name.equals(family + "_sum"))) {
                    throw new ParseException(no, "summary sample " + s.name + " does not belong to " + family);
                }
            }
            default -> {
                if (!s.name.equals(family)) {
                    throw new ParseException(no, "sample " + s.name + " does not match family " + family);
                }
                if (type.equals("counter") && (s.value < 0 || Double.isNaN(s.value))) {
                    throw new ParseException(no, "counter " + s.name + " is " + s.value);
                }
            }
        }
    }

    private static void checkHistogram(Family f) {
        Map<Map<String, String>, List<double[]>> buckets = new LinkedHashMap<>();
        Map<Map<String, String>, Double> counts = new LinkedHashMap<>();
        for (Sample s : f.samples) {
            Map<String, String> rest = new LinkedHashMap<>(s.labels);
            String le = rest.remove("le");
            if (s.name.endsWith("_bucket")) {
                buckets.computeIfAbsent(rest, k -> new ArrayList<>()).add(new double[] {parseFloat(0, le), s.value});
            } else if (s.name.endsWith("_count")) {
                counts.put(rest, s.value);
            }
        }
        for (Map.Entry<Map<String, String>, List<double[]>> e : buckets.entrySet()) {
            double lastLe = Double.NEGATIVE_INFINITY;
            double lastCount = 0;
            for (double[] b : e.getValue()) {
                if (b[0] <= lastLe || b[1] < lastCount) {
                    throw new AssertionError(f.name + e.getKey() + ": buckets not cumulative");
                }
                lastLe = b[0];
                lastCount = b[1];
            }
            if (lastLe != Double.POSITIVE_INFINITY) {
                throw new AssertionError(f.name + e.getKey() + ": no +Inf bucket");
            }
            Double count = counts.get(e.getKey());
            if (count == null || count != lastCount) {
                throw new AssertionError(f.name + e.getKey() + ": +Inf bucket " + lastCount + " != _count " + count);
            }
        }
    }

    private static Sample sample(int no, String line) {
        int i = 0;
        int n = line.length();
        while (i < n && isNameChar(line.charAt(i), i == 0)) {
            i++;
        }
        String name = line.substring(0, i);
        requireName(no, name);
        Map<String, String> labels = new LinkedHashMap<>();
        if (i < n && line.charAt(i) == '{') {
            i++;
            while (true) {
                if (i < n && line.charAt(i) == '}') {
                    i++;
                    break;
                }
                int start = i;
                while (i < n && isLabelChar(line.charAt(i), i == start)) {
                    i++;
                }
                String label = line.substring(start, i);
                if (label.isEmpty() || i >= n || line.charAt(i) != '=') {
                    throw new ParseException(no, "bad label name at column " + (start + 1));
                }
                i++;
                if (i >= n || line.charAt(i) != '"') {
                    throw new ParseException(no, "label value must be quoted");
                }
                i++;
                StringBuilder value = new StringBuilder();
                while (true) {
                    if (i >= n) {
                        throw new ParseException(no, "unterminated label value");
                    }
                    char c = line.charAt(i++);
                    if (c == '"') {
                        break;
                    }
                    if (c == '\\') {
                        if (i >= n) {
                            throw new ParseException(no, "dangling escape");
                        }
                        char e = line.charAt(i++);
                        value.append(switch (e) {
                            case '\\' -> '\\';
                            case '"' -> '"';
                            case 'n' -> '\n';
                            default -> throw new ParseException(no, "bad escape \\" + e);
                        });
                    } else {
                        value.append(c);
                    }
                }
                if (labels.put(label, value.toString()) != null) {
                    throw new ParseException(no, "label " + label + " twice");
                }
                if (i < n && line.charAt(i) == ',') {
                    i++;
                } else if (i < n && line.charAt(i) == '}') {
                    i++;
                    break;
                } else {
                    throw new ParseException(no, "expected , or } after a label");
                }
            }
        }
        if (i >= n || (line.charAt(i) != ' ' && line.charAt(i) != '\t')) {
            throw new ParseException(no, "expected a blank before the value");
        }
        String[] rest = line.substring(i).strip().split("[ \t]+");
        if (rest.length < 1 || rest.length > 2) {
            throw new ParseException(no, "expected a value and an optional timestamp");
        }
        double value = parseFloat(no, rest[0]);
        if (rest.length == 2) {
            try {
                Long.parseLong(rest[1]);
            } catch (NumberFormatException e) {
                throw new ParseException(no, "bad timestamp " + rest[1]);
            }
        }
        return new Sample(name, Collections.unmodifiableMap(labels), value);
    }

    static double parseFloat(int no, String s) {
        switch (s) {
            case "+Inf", "Inf" -> {
                return Double.POSITIVE_INFINITY;
            }
            case "-Inf" -> {
                return Double.NEGATIVE_INFINITY;
            }
            case "NaN" -> {
                return Double.NaN;
            }
            default -> {
                if (!s.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?")) {
                    throw new ParseException(no, "bad value " + s);
                }
                return Double.parseDouble(s);
            }
        }
    }

    private static void checkHelpEscapes(int no, String help) {
        for (int i = 0; i < help.length(); i++) {
            if (help.charAt(i) == '\\') {
                if (i + 1 >= help.length() || (help.charAt(i + 1) != '\\' && help.charAt(i + 1) != 'n')) {
                    throw new ParseException(no, "bad escape in HELP");
                }
                i++;
            }
        }
    }

    private static void requireName(int no, String name) {
        if (!name.matches("[a-zA-Z_:][a-zA-Z0-9_:]*")) {
            throw new ParseException(no, "bad metric name '" + name + "'");
        }
    }

    private static boolean isNameChar(char c, boolean first) {
        return Character.isLetter(c) && c < 128 || c == '_' || c == ':' || (!first && c >= '0' && c <= '9');
    }

    private static boolean isLabelChar(char c, boolean first) {
        return Character.isLetter(c) && c < 128 || c == '_' || (!first && c >= '0' && c <= '9');
    }

    static Optional<Family> find(Map<String, Family> families, String name) {
        return Optional.ofNullable(families.get(name));
    }
}
