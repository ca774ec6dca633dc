package io.ragmail.core.mistral.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Looks at a model's answer for signs that the customer's mail steered the model: the reply repeats
 * a run of the system prompt word for word, carries the prompt's untrusted-data markers or section
 * headings (the model pasted its prompt), or the JSON tried to set recipients or headers. Each sign
 * becomes a reason for review; nothing here changes who the reply goes to, which the model never
 * chooses anyway.
 */
public final class OutputGuard {

    /** JSON fields that name recipients or headers: the model was never asked for them. */
    private static final Set<String> ADDRESSING_FIELDS = Set.of("to", "cc", "bcc", "from", "replyto", "recipient",
            "recipients", "headers", "header", "forward", "forwardto", "sendto", "address", "addresses", "email", "emails");

    private static final Pattern NON_WORD = Pattern.compile("[^\\p{L}\\p{N}]+");

    /** Prompt text that only a model pasting its prompt would write. */
    private static final List<String> PROMPT_MARKERS = List.of(
            MistralPrompt.BEGIN_MAIL.strip().toLowerCase(Locale.ROOT).replace("<<<", ""),
            MistralPrompt.END_MAIL.strip().toLowerCase(Locale.ROOT).replace("<<<", ""),
            "knowledge passages (id, title, text)",
            "customer facts (the sender's own records");

    private final int minRun;

    /** @param minRun the shortest run of consecutive system-prompt words that counts as disclosure */
    public OutputGuard(int minRun) {
        if (minRun < 5) {
            throw new IllegalArgumentException("minRun must be at least 5, was " + minRun);
        }
        this.minRun = minRun;
    }

    /** The reasons this answer must be reviewed; empty when none of the signs is found. */
    public List<String> problems(String reply, MistralPrompt prompt, List<String> extraFields) {
        List<String> problems = new ArrayList<>();
        int run = longestSharedRun(words(reply), words(prompt.system()));
        if (run >= minRun) {
            problems.add("the reply repeats " + run + " consecutive words of the system prompt verbatim "
                    + "(prompt disclosure; the mail may have asked for it)");
        }
        String lower = reply.toLowerCase(Locale.ROOT);
        if (lower.contains(prompt.nonce()) || PROMPT_MARKERS.stream().anyMatch(lower::contains)) {
            problems.add("the reply contains the prompt's untrusted-data markers or section headings "
                    + "(the model pasted its prompt)");
        }
        List<String> addressing = new ArrayList<>();
        for (String field : extraFields) {
            if (ADDRESSING_FIELDS.contains(field.toLowerCase(Locale.ROOT).replaceAll("[^a-z]", ""))) {
                addressing.add(field);
            }
        }
        if (!addressing.isEmpty()) {
            problems.add("the model's answer tried to set " + String.join(", ", addressing)
                    + " (ignored: the reply goes only to the sender); the mail may have steered the model");
        }
        return List.copyOf(problems);
    }

    /** Lower-case words, punctuation dropped, so that line breaks and quoting do not hide a copy. */
    static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        for (String w : NON_WORD.split(text.toLowerCase(Locale.ROOT))) {
            if (!w.isEmpty()) {
                words.add(w);
            }
        }
        return words;
    }

    /** The length of the longest run of consecutive words of {@code text} that also occurs in {@code source}, capped when found. */
    int longestSharedRun(List<String> text, List<String> source) {
        if (text.size() < minRun || source.size() < minRun) {
            return 0;
        }
        Set<String> shingles = new HashSet<>();
        for (int i = 0; i + minRun <= source.size(); i++) {
            shingles.add(String.join(" ", source.subList(i, i + minRun)));
        }
        int best = 0;
        int i = 0;
        while (i + minRun <= text.size()) {
            if (shingles.contains(String.join(" ", text.subList(i, i + minRun)))) {
                int end = i + minRun;
                // extend while the next shingle still matches: the run's full length
                while (end < text.size() && shingles.contains(String.join(" ", text.subList(end - minRun + 1, end + 1)))) {
                    end++;
                }
                best = Math.max(best, end - i);
                i = end;
            } else {
                i++;
            }
        }
        return best;
    }
}
