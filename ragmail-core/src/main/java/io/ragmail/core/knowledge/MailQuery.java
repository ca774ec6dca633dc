package io.ragmail.core.knowledge;

import io.ragmail.core.InboundMail;
import io.ragmail.core.mime.QuoteStripper;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Turns a customer's mail into bounded search queries: the subject and the text the customer just
 * wrote, without the quoted thread, the greeting, the sign-off and signature, capped in length; and,
 * when the mail asks several questions, one query per question, so that a product code in the first
 * cannot crowd the page the second needs out of the results ({@link MailSearch} merges them).
 *
 * <p>Every step is a single pass over lines or characters (no backtracking regular expressions), and
 * only the first {@link #DEFAULT_MAX_INPUT_CHARS} characters of a body are looked at, so a 2 MiB mail
 * costs no more than a short one.
 *
 * <pre>{@code
 * MailQuery.Queries q = MailQuery.defaults().of("Re: ACE-500",
 *         "Hi,\nIs ACE-500 in stock?\nAnd what is your returns policy?\n\nBest regards,\nAda\n> quoted");
 * q.whole();   // "ACE-500\nIs ACE-500 in stock? And what is your returns policy?"
 * q.parts();   // ["Is ACE-500 in stock?", "And what is your returns policy?"]
 * }</pre>
 */
public final class MailQuery {

    /**
     * Longest query in characters: about 250 tokens, well inside the embedding model's 512, and a
     * few questions' worth of text; longer mails keep their question sentences first.
     */
    public static final int DEFAULT_MAX_CHARS = 1000;
    /** At most this many separate questions of one mail are searched on their own. */
    public static final int DEFAULT_MAX_PARTS = 3;
    /** Only this much of a body is read at all: the new text of a customer mail is at its top. */
    public static final int DEFAULT_MAX_INPUT_CHARS = 32 * 1024;

    private static final int MIN_PART_WORDS = 3;
    private static final int SHORT_LINE = 60;
    private static final int SIGNATURE_MAX_LINES = 12;
    private static final List<String> REPLY_PREFIXES = List.of("re:", "aw:", "fwd:", "fw:", "wg:", "tr:", "rv:", "sv:", "r:");
    private static final List<String> GREETINGS = List.of("hi", "hello", "hey", "dear", "good morning", "good afternoon",
            "good evening", "hallo", "guten tag", "guten morgen", "sehr geehrte", "liebe", "bonjour", "madame", "monsieur",
            "hola", "estimad", "buenos d", "buongiorno", "buonasera", "gentile", "salve", "ciao", "beste", "geachte",
            "goedemorgen", "goedemiddag", "to whom it may concern");
    private static final List<String> SIGN_OFFS = List.of("best regards", "kind regards", "regards", "best wishes", "best,",
            "many thanks", "thanks in advance", "thank you in advance", "thanks,", "thank you,", "thanks!", "cheers",
            "sincerely", "yours sincerely", "yours faithfully", "mit freundlichen gr", "freundliche gr", "viele gr",
            "beste gr", "lg,", "mfg", "cordialement", "bien cordialement", "bien à vous", "salutations", "saludos",
            "un saludo", "atentamente", "cordiali saluti", "distinti saluti", "saluti", "met vriendelijke groet",
            "vriendelijke groet", "groeten", "sent from my", "von meinem", "envoyé de mon", "enviado desde");

    private static final List<String> HEADER_FROM = List.of("from:", "von:", "de:", "de :", "da:", "van:");
    private static final List<String> HEADER_OTHER = List.of("sent:", "date:", "to:", "subject:", "gesendet:", "datum:",
            "an:", "betreff:", "envoyé :", "envoyé:", "à :", "à:", "objet :", "objet:", "enviado:", "fecha:", "para:",
            "asunto:", "inviato:", "data:", "a:", "oggetto:", "verzonden:", "aan:", "onderwerp:", "datum:");

    private final int maxChars;
    private final int maxParts;
    private final int maxInputChars;

    private MailQuery(Builder b) {
        this.maxChars = b.maxChars;
        this.maxParts = b.maxParts;
        this.maxInputChars = b.maxInputChars;
    }

    /** The default settings. */
    public static MailQuery defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The queries for a mail: its subject and new text ({@link InboundMail#queryText()}, the quoted
     * history already cut by the parser; the whole body when that is empty).
     */
    public Queries of(InboundMail mail) {
        Objects.requireNonNull(mail, "mail");
        String body = mail.queryText().isBlank() ? mail.text() : mail.queryText();
        return of(mail.subject(), body);
    }

    /** The queries for a subject and a plain-text body. */
    public Queries of(String subject, String body) {
        String bounded = body == null ? "" : body.length() > maxInputChars ? body.substring(0, maxInputChars) : body;
        String newText = QuoteStripper.strip(bounded.replace("\r\n", "\n").replace('\r', '\n'));
        List<String> sentences = sentences(withoutGreetingAndSignature(newText));
        String topic = cleanSubject(subject);

        List<String> questions = new ArrayList<>();
        for (String sentence : sentences) {
            if (isQuestion(sentence) && words(sentence) >= MIN_PART_WORDS) {
                questions.add(sentence);
            }
        }
        String bodyText = capped(sentences, Math.max(0, maxChars - topic.length() - 1));
        boolean topicRepeated = !topic.isEmpty() && bodyText.toLowerCase(Locale.ROOT).contains(topic.toLowerCase(Locale.ROOT));
        String whole = (topicRepeated || topic.isEmpty() ? bodyText : topic + "\n" + bodyText).strip();
        if (whole.length() > maxChars) {
            whole = whole.substring(0, maxChars);
        }
        List<String> parts = questions.size() < 2 || maxParts < 2 ? List.of()
                : questions.subList(0, Math.min(maxParts, questions.size())).stream()
                        .map(q -> q.length() > maxChars ? q.substring(0, maxChars) : q)
                        .toList();
        return new Queries(whole, parts);
    }

    /**
     * The sentences in order within {@code budget} characters; when they do not all fit, questions
     * come first (the rest of a long mail is usually background) and the others fill what is left.
     */
    private static String capped(List<String> sentences, int budget) {
        int total = 0;
        for (String s : sentences) {
            total += s.length() + 1;
        }
        if (total <= budget) {
            return String.join(" ", sentences);
        }
        boolean[] keep = new boolean[sentences.size()];
        int used = 0;
        for (int pass = 0; pass < 2; pass++) {
            for (int i = 0; i < sentences.size(); i++) {
                String s = sentences.get(i);
                boolean wanted = pass == 0 ? isQuestion(s) : !keep[i];
                if (wanted && !keep[i] && used + s.length() + 1 <= budget) {
                    keep[i] = true;
                    used += s.length() + 1;
                }
            }
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < sentences.size(); i++) {
            if (keep[i]) {
                out.append(out.length() == 0 ? "" : " ").append(sentences.get(i));
            }
        }
        if (out.length() == 0 && !sentences.isEmpty()) {
            String first = sentences.get(0);
            return first.substring(0, Math.min(first.length(), budget));
        }
        return out.toString();
    }

    /**
     * Drops a greeting line at the top, and everything from a sign-off line ("Best regards", "Mit
     * freundlichen Grüßen", "Sent from my phone") on, when only a few short lines follow it: a name,
     * a title, a phone number. A "thanks," in the middle of a long mail keeps the text after it.
     */
    static String withoutGreetingAndSignature(String text) {
        String[] lines = text.split("\n", -1);
        int first = 0;
        while (first < lines.length && lines[first].isBlank()) {
            first++;
        }
        if (first < lines.length && isGreeting(lines[first])) {
            first++;
        }
        int end = lines.length;
        for (int i = first; i < lines.length; i++) {
            if (isSignOff(lines[i]) && lines.length - i <= SIGNATURE_MAX_LINES && hasContentBefore(lines, first, i)) {
                end = i;
                break;
            }
            if (lines[i].strip().equals("--") || isOutlookSeparator(lines[i]) || startsQuotedHeaderBlock(lines, i)) {
                // a signature separator, or a thread quoted the Outlook way (no ">" and no "wrote:" line)
                end = i;
                break;
            }
        }
        StringBuilder out = new StringBuilder();
        for (int i = first; i < end; i++) {
            out.append(lines[i]).append('\n');
        }
        return out.toString().strip();
    }

    /** A line of underscores (at least 10), as Outlook puts above a quoted message. */
    private static boolean isOutlookSeparator(String line) {
        String l = line.strip();
        if (l.length() < 10) {
            return false;
        }
        for (int i = 0; i < l.length(); i++) {
            if (l.charAt(i) != '_') {
                return false;
            }
        }
        return true;
    }

    /**
     * A "From:" line followed within three lines by a "Sent:", "Date:", "To:" or "Subject:" line (in
     * the mail clients' languages): the header block of a message quoted below the new text.
     */
    private static boolean startsQuotedHeaderBlock(String[] lines, int i) {
        if (!startsWithAny(lines[i], HEADER_FROM)) {
            return false;
        }
        for (int j = i + 1; j < Math.min(lines.length, i + 4); j++) {
            if (startsWithAny(lines[j], HEADER_OTHER)) {
                return true;
            }
        }
        return false;
    }

    private static boolean startsWithAny(String line, List<String> prefixes) {
        String l = line.stripLeading().toLowerCase(Locale.ROOT);
        if (l.length() > SHORT_LINE * 4) {
            return false;
        }
        for (String prefix : prefixes) {
            if (l.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasContentBefore(String[] lines, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!lines[i].isBlank()) {
                return true;
            }
        }
        return false;
    }

    private static boolean isGreeting(String line) {
        String l = line.strip().toLowerCase(Locale.ROOT);
        if (l.length() > SHORT_LINE) {
            return false;
        }
        for (String g : GREETINGS) {
            if (l.startsWith(g)) {
                // a greeting line is short and ends there; "Hi, is ACE-500 in stock?" is a question
                return !l.contains("?") && words(l) <= 6
                        && (words(l) <= 3 || l.endsWith(",") || l.endsWith("!") || l.endsWith(":"));
            }
        }
        return false;
    }

    private static boolean isSignOff(String line) {
        String l = line.strip().toLowerCase(Locale.ROOT);
        if (l.isEmpty() || l.length() > SHORT_LINE || l.contains("?")) {
            return false;
        }
        for (String s : SIGN_OFFS) {
            if (l.startsWith(s)) {
                return true;
            }
        }
        return false;
    }

    /** The subject without reply and forward prefixes ({@code Re: AW: Fwd:}), any number of them. */
    static String cleanSubject(String subject) {
        String s = subject == null ? "" : subject.strip();
        boolean again = true;
        while (again && !s.isEmpty()) {
            again = false;
            String lower = s.toLowerCase(Locale.ROOT);
            for (String prefix : REPLY_PREFIXES) {
                if (lower.startsWith(prefix)) {
                    s = s.substring(prefix.length()).strip();
                    again = true;
                    break;
                }
            }
            if (!again && s.startsWith("[") && s.indexOf(']') > 0 && s.indexOf(']') < 40) {
                s = s.substring(s.indexOf(']') + 1).strip(); // [Ticket #123]
                again = true;
            }
        }
        return s.length() > SHORT_LINE * 4 ? s.substring(0, SHORT_LINE * 4) : s;
    }

    /**
     * Sentences with their whitespace collapsed: a sentence ends at a line break, a question or
     * exclamation mark, or a full stop followed by a space (so {@code 3.5}, {@code 67-64-1} and
     * {@code e.g.x} stay whole).
     */
    static List<String> sentences(String text) {
        List<String> sentences = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                flush(sentences, current);
                continue;
            }
            if (Character.isWhitespace(c)) {
                if (current.length() > 0 && current.charAt(current.length() - 1) != ' ') {
                    current.append(' ');
                }
                continue;
            }
            current.append(c);
            boolean next = i + 1 >= text.length() || Character.isWhitespace(text.charAt(i + 1));
            if ((c == '?' || c == '!') || (c == '.' && next)) {
                flush(sentences, current);
            }
        }
        flush(sentences, current);
        return sentences;
    }

    private static void flush(List<String> sentences, StringBuilder current) {
        String s = current.toString().strip();
        // list markers and lone punctuation are not sentences
        if (s.chars().anyMatch(Character::isLetterOrDigit)) {
            sentences.add(s);
        }
        current.setLength(0);
    }

    private static boolean isQuestion(String sentence) {
        return sentence.endsWith("?");
    }

    private static int words(String text) {
        int words = 0;
        boolean in = false;
        for (int i = 0; i < text.length(); i++) {
            boolean letter = Character.isLetterOrDigit(text.charAt(i));
            if (letter && !in) {
                words++;
            }
            in = letter;
        }
        return words;
    }

    /**
     * What to search for: the whole mail's bounded query, and its separate questions when it asks
     * more than one (empty otherwise).
     *
     * @param whole the subject and the mail's new text, at most {@code maxChars} characters
     * @param parts each question of a mail that asks several, in order; empty for a single question
     */
    public record Queries(String whole, List<String> parts) {
        public Queries {
            Objects.requireNonNull(whole, "whole");
            parts = List.copyOf(parts);
        }
    }

    /** Settings of a {@link MailQuery}; every one has a default. */
    public static final class Builder {
        private int maxChars = DEFAULT_MAX_CHARS;
        private int maxParts = DEFAULT_MAX_PARTS;
        private int maxInputChars = DEFAULT_MAX_INPUT_CHARS;

        private Builder() {
        }

        /** Longest query in characters; default {@link #DEFAULT_MAX_CHARS}. */
        public Builder maxChars(int maxChars) {
            this.maxChars = maxChars;
            return this;
        }

        /** Most questions of one mail searched separately (0 or 1: never split); default {@link #DEFAULT_MAX_PARTS}. */
        public Builder maxParts(int maxParts) {
            this.maxParts = maxParts;
            return this;
        }

        /** How much of a body is read at all; default {@link #DEFAULT_MAX_INPUT_CHARS}. */
        public Builder maxInputChars(int maxInputChars) {
            this.maxInputChars = maxInputChars;
            return this;
        }

        public MailQuery build() {
            if (maxChars < 50) {
                throw new IllegalArgumentException("maxChars must be at least 50, was " + maxChars);
            }
            if (maxParts < 0) {
                throw new IllegalArgumentException("maxParts must be at least 0, was " + maxParts);
            }
            if (maxInputChars < maxChars) {
                throw new IllegalArgumentException("maxInputChars must be at least maxChars (" + maxChars + "), was "
                        + maxInputChars);
            }
            return new MailQuery(this);
        }
    }
}
