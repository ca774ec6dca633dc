package io.ragmail.core.review;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the checkable facts in a text: dates, references (order, invoice, product codes), CAS and UN
 * numbers, prices, quantities and other numbers, each with its normalised forms. Used both on the
 * reply (what must be backed) and on the sources (what backs it), so both sides are read alike.
 */
final class Mentions {

    enum Kind {
        DATE("date"), INVOICE("invoice number"), CAS("CAS number"), UN("UN number"),
        PRODUCT("product code"), ORDER("order number"), PRICE("price"), QUANTITY("quantity"), COUNT("quantity"), NUMBER("number");

        final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    /** One fact as written, and the normalised keys it may stand for (several when ambiguous). */
    record Mention(Kind kind, String text, Set<String> keys) {
    }

    private static final String L = "\\p{L}\\p{N}";
    private static final String NUM = "\\d(?:[\\d.,'\\u00a0\\u202f]*\\d)?";
    /**
     * Where a number may start: not inside a word or another number. Without the second look-behind
     * every digit after an apostrophe or a no-break space of {@code 1'1'1'…} started a new attempt
     * that ran to the end of the run: quadratic (32 KB took 53 s). With it a run of digits and
     * separators is tried from its first digit only, and each attempt backtracks within that run.
     */
    private static final String NUM_START = "(?<![" + L + ".,])(?<!\\d['\\u00a0\\u202f])";
    /** Longer digit runs are not amounts; they are compared as written (BigDecimal would be quadratic). */
    static final int MAX_NUMBER_CHARS = 64;

    private static final Map<String, Integer> MONTHS = new HashMap<>();

    static {
        String[][] names = {
                {"january", "jan", "januar", "jänner", "janvier", "janv"},
                {"february", "feb", "februar", "février", "fevrier", "févr"},
                {"march", "mar", "märz", "maerz", "mars"},
                {"april", "apr", "avril", "avr"},
                {"may", "mai"},
                {"june", "jun", "juni", "juin"},
                {"july", "jul", "juli", "juillet", "juil"},
                {"august", "aug", "août", "aout"},
                {"september", "sep", "sept", "septembre"},
                {"october", "oct", "oktober", "okt", "octobre"},
                {"november", "nov", "novembre"},
                {"december", "dec", "dezember", "dez", "décembre", "decembre", "déc"}};
        for (int i = 0; i < names.length; i++) {
            for (String name : names[i]) {
                MONTHS.put(name, i + 1);
            }
        }
    }

    private static final String MONTH = "(" + String.join("|", MONTHS.keySet().stream()
            .sorted((a, b) -> b.length() - a.length()).toList()) + ")\\.?";

    private static final Pattern ISO_DATE = Pattern.compile("(?<![" + L + "-])(\\d{4})-(\\d{1,2})-(\\d{1,2})(?![" + L + "])");
    private static final Pattern NUMERIC_DATE = Pattern.compile(
            "(?<![" + L + ".,/])(\\d{1,2})([./])(\\d{1,2})\\2(\\d{4}|\\d{2})(?![" + L + "]|[.,/]\\d)");
    private static final Pattern DAY_MONTH_YEAR = Pattern.compile(
            "(?<![" + L + "])(\\d{1,2})(?:st|nd|rd|th|er|\\.)?\\s+" + MONTH + "\\s+(\\d{4})(?![" + L + "])",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    private static final Pattern MONTH_DAY_YEAR = Pattern.compile(
            "(?<![" + L + "])" + MONTH + "\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4})(?![" + L + "])",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    private static final Pattern INVOICE = Pattern.compile("(?<![" + L + "/])([A-Z]{2,6}(?:/[A-Z0-9]{2,6}){1,3}/\\d{3,8})(?![" + L + "/])");
    private static final Pattern CAS = Pattern.compile("(?<![" + L + "-])(\\d{2,7}-\\d{2}-\\d)(?![" + L + "-])");
    private static final Pattern UN = Pattern.compile("(?<![" + L + "])UN\\s?(\\d{4})(?![" + L + "])");
    /**
     * At most {@value #MAX_CODE_GROUPS} dash groups: Java matches each repetition of a group by
     * recursion, so an unbounded {@code (?:-X)+} overflowed the stack on {@code AB-1-1-1-…}.
     */
    static final int MAX_CODE_GROUPS = 6;
    private static final Pattern PRODUCT = Pattern.compile("(?<![" + L + "-])([A-Z][A-Z0-9]{1,7}(?:-[A-Z0-9]{1,8}){1," + MAX_CODE_GROUPS + "})(?![" + L + "]|-[" + L + "])");
    private static final Pattern ORDER = Pattern.compile("(?<![" + L + "])([A-Z]{1,4}\\d{4,10})(?![" + L + "])");
    private static final String CURRENCY = "€|EUR|USD|US\\$|\\$|£|GBP|CHF|Fr\\.";
    private static final Pattern PRICE = Pattern.compile(
            "(?:(?<![" + L + "])(?:" + CURRENCY + ")\\s?(" + NUM + ")(?![" + L + "]))"
                    + "|(?:" + NUM_START + "(" + NUM + ")\\s?(?:" + CURRENCY + "|euros?|dollars?|francs?)(?![" + L + "]))",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern QUANTITY = Pattern.compile(
            NUM_START + "(" + NUM + ")\\s?(?:%|(?:kg|g|mg|t|tons?|tonnes?|l|ml|m3|m³|litres?|liters?|liter)(?![" + L + "]))",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    private static final Pattern COUNT = Pattern.compile(
            NUM_START + "(" + NUM + ")\\s?(?:x\\s?)?(?:pcs|pieces?|units?|drums?|bottles?|cans?|canisters?|pallets?|boxes|"
                    + "stück|stk|fass|fässer|kanister|paletten?|flaschen?|bidons?|fûts?|palettes?|flacons?|cartons?)(?![" + L + "])",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    private static final Pattern BARE_NUMBER = Pattern.compile(NUM_START + "(" + NUM + ")(?![" + L + "])");

    private Mentions() {
    }

    /** Every checkable fact in {@code text}, in the order the kinds are tried. */
    static List<Mention> in(String text) {
        StringBuilder rest = new StringBuilder(text);
        List<Mention> found = new ArrayList<>();
        dates(rest, found);
        simple(rest, found, INVOICE, Kind.INVOICE);
        simple(rest, found, CAS, Kind.CAS);
        simple(rest, found, UN, Kind.UN);
        simple(rest, found, PRODUCT, Kind.PRODUCT);
        simple(rest, found, ORDER, Kind.ORDER);
        numbers(rest, found, PRICE, Kind.PRICE);
        numbers(rest, found, QUANTITY, Kind.QUANTITY);
        numbers(rest, found, COUNT, Kind.COUNT);
        numbers(rest, found, BARE_NUMBER, Kind.NUMBER);
        return found;
    }

    private static void dates(StringBuilder rest, List<Mention> found) {
        each(rest, ISO_DATE, m -> date(m.group(), date(m.group(1), m.group(2), m.group(3))), found);
        each(rest, NUMERIC_DATE, m -> {
            Set<String> keys = new LinkedHashSet<>();
            keys.addAll(date(year(m.group(4)), m.group(3), m.group(1)));     // day first (Europe)
            if (m.group(2).equals("/")) {
                keys.addAll(date(year(m.group(4)), m.group(1), m.group(3))); // month first (US)
            }
            return date(m.group(), keys);
        }, found);
        each(rest, DAY_MONTH_YEAR, m -> date(m.group(), date(m.group(3), month(m.group(2)), m.group(1))), found);
        each(rest, MONTH_DAY_YEAR, m -> date(m.group(), date(m.group(3), month(m.group(1)), m.group(2))), found);
    }

    private static Mention date(String text, Set<String> keys) {
        return keys.isEmpty() ? null : new Mention(Kind.DATE, text, keys);
    }

    private static String year(String y) {
        return y.length() == 2 ? "20" + y : y;
    }

    private static String month(String name) {
        Integer month = MONTHS.get(name.toLowerCase(Locale.ROOT).replace(".", ""));
        return month == null ? "0" : month.toString();
    }

    private static Set<String> date(String year, String month, String day) {
        try {
            return Set.of(LocalDate.of(Integer.parseInt(year), Integer.parseInt(month), Integer.parseInt(day)).toString());
        } catch (DateTimeException | NumberFormatException e) {
            return Set.of();
        }
    }

    private static void simple(StringBuilder rest, List<Mention> found, Pattern pattern, Kind kind) {
        each(rest, pattern, m -> {
            String key = m.group(1).toUpperCase(Locale.ROOT).replaceAll("\\s", "");
            return new Mention(kind, m.group(), Set.of(key));
        }, found);
    }

    private static void numbers(StringBuilder rest, List<Mention> found, Pattern pattern, Kind kind) {
        each(rest, pattern, m -> {
            String number = m.group(1) != null ? m.group(1) : m.group(2);
            return new Mention(kind, m.group().strip(), numberKeys(number));
        }, found);
    }

    private interface Reader {
        Mention read(Matcher m);
    }

    /** Adds what {@code pattern} finds and blanks it out, so that later kinds do not see it again. */
    private static void each(StringBuilder rest, Pattern pattern, Reader reader, List<Mention> found) {
        Matcher m = pattern.matcher(rest);
        List<int[]> spans = new ArrayList<>();
        while (m.find()) {
            Mention mention = reader.read(m);
            if (mention != null) {
                found.add(mention);
                spans.add(new int[] {m.start(), m.end()});
            }
        }
        for (int[] span : spans) {
            for (int i = span[0]; i < span[1]; i++) {
                rest.setCharAt(i, ' ');
            }
        }
    }

    /**
     * The values a written number may stand for: {@code 1,200.00} and {@code 1.200,00} are both 1200;
     * {@code 12,500} is 12500 (English) or 12.5 (German), so both are kept.
     */
    static Set<String> numberKeys(String written) {
        if (written.length() > MAX_NUMBER_CHARS) {
            return Set.of(written);
        }
        String s = written.replaceAll("['\\u00a0\\u202f]", "");
        Set<String> keys = new LinkedHashSet<>();
        int dot = s.lastIndexOf('.');
        int comma = s.lastIndexOf(',');
        if (dot >= 0 && comma >= 0) {
            char decimal = dot > comma ? '.' : ',';
            char grouping = decimal == '.' ? ',' : '.';
            add(keys, s.replace(String.valueOf(grouping), "").replace(decimal, '.'));
        } else if (dot >= 0 || comma >= 0) {
            char sep = dot >= 0 ? '.' : ',';
            int count = (int) s.chars().filter(c -> c == sep).count();
            int after = s.length() - s.lastIndexOf(sep) - 1;
            if (count > 1) {
                add(keys, s.replace(String.valueOf(sep), ""));
            } else if (after == 3) {
                add(keys, s.replace(String.valueOf(sep), ""));
                add(keys, s.replace(sep, '.'));
            } else {
                add(keys, s.replace(sep, '.'));
            }
        } else {
            add(keys, s);
        }
        if (keys.isEmpty()) {
            keys.add(written);
        }
        return keys;
    }

    private static void add(Set<String> keys, String plain) {
        try {
            BigDecimal value = new BigDecimal(plain).stripTrailingZeros();
            keys.add(value.signum() == 0 ? "0" : value.toPlainString());
        } catch (NumberFormatException e) {
            // not a number after all (such as a version 1.2.3); the caller keeps the text
        }
    }
}
