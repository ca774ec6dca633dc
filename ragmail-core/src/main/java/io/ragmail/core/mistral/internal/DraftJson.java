package io.ragmail.core.mistral.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Parses the model's JSON answer. Only the documented fields are read ({@code reply}, {@code language},
 * {@code confidence}, {@code used_sources}, {@code needs_human}, {@code reason}; {@code used_sources}
 * and {@code reason} may be missing: no sources cited, no reason given); anything else the
 * model adds is ignored, so it cannot choose recipients or anything else; the names of such extra
 * fields are reported ({@link Parsed#extraFields()}) so that a draft whose answer tried to set
 * recipients can go to review.
 */
public final class DraftJson {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> FIELDS = Set.of("reply", "language", "confidence", "used_sources", "needs_human", "reason");
    private static final Pattern LANGUAGE = Pattern.compile("[a-z]{2}");

    private DraftJson() {
    }

    /** A parsed answer, or the problem that made it unusable. */
    public record Parsed(String reply, String language, double confidence, List<String> usedSources,
            boolean needsHuman, String reason, String problem, List<String> extraFields) {

        public Parsed {
            extraFields = extraFields == null ? List.of() : List.copyOf(extraFields);
        }

        public boolean ok() {
            return problem == null;
        }

        static Parsed problem(String problem) {
            return new Parsed("", "und", 0.0, List.of(), true, "", Objects.requireNonNull(problem), List.of());
        }
    }

    public static Parsed parse(String content) {
        if (content == null || content.isBlank()) {
            return Parsed.problem("the model's answer was empty");
        }
        String s = stripFence(content.strip());
        JsonNode root;
        try {
            root = JSON.readTree(s);
        } catch (JsonProcessingException e) {
            return Parsed.problem("the model's answer was not JSON");
        }
        if (root == null || !root.isObject()) {
            return Parsed.problem("the model's answer was not a JSON object");
        }
        JsonNode reply = root.get("reply");
        if (reply == null || !reply.isTextual() || reply.asText().isBlank()) {
            return Parsed.problem("the model's answer has no \"reply\" text");
        }
        JsonNode language = root.get("language");
        if (language == null || !language.isTextual()) {
            return Parsed.problem("the model's answer has no \"language\"");
        }
        String lang = language.asText().strip().toLowerCase(Locale.ROOT);
        if (lang.length() > 2 && (lang.charAt(2) == '-' || lang.charAt(2) == '_')) {
            lang = lang.substring(0, 2);
        }
        if (!LANGUAGE.matcher(lang).matches()) {
            return Parsed.problem("the model's \"language\" is not an ISO 639-1 code");
        }
        JsonNode confidence = root.get("confidence");
        if (confidence == null || !confidence.isNumber()) {
            return Parsed.problem("the model's answer has no numeric \"confidence\"");
        }
        double conf = confidence.asDouble();
        if (!(conf >= 0.0 && conf <= 1.0)) {
            return Parsed.problem("the model's \"confidence\" is outside 0..1");
        }
        JsonNode sources = root.get("used_sources");
        // optional: an answer without it cites nothing, and the grounding check and the review
        // policy judge it like any other; throwing the text away would pay for a second call
        if (sources != null && !sources.isNull() && !sources.isArray()) {
            return Parsed.problem("the model's \"used_sources\" is not an array");
        }
        LinkedHashSet<String> ids = new LinkedHashSet<>();
        for (JsonNode id : sources == null || sources.isNull() ? List.<JsonNode>of() : sources) {
            if (!id.isTextual()) {
                return Parsed.problem("the model's \"used_sources\" holds something other than ids");
            }
            ids.add(id.asText());
        }
        JsonNode needsHuman = root.get("needs_human");
        if (needsHuman == null || !needsHuman.isBoolean()) {
            return Parsed.problem("the model's answer has no boolean \"needs_human\"");
        }
        JsonNode reason = root.get("reason");
        String why = reason != null && reason.isTextual() ? reason.asText().strip() : "";
        if (needsHuman.asBoolean() && why.isEmpty()) {
            why = "the model asked for a person without giving a reason";
        }
        List<String> extra = new ArrayList<>();
        root.fieldNames().forEachRemaining(name -> {
            if (!FIELDS.contains(name)) {
                extra.add(name);
            }
        });
        return new Parsed(reply.asText(), lang, conf, new ArrayList<>(ids), needsHuman.asBoolean(),
                needsHuman.asBoolean() ? why : "", null, extra);
    }

    private static String stripFence(String s) {
        if (s.startsWith("```")) {
            int firstNewline = s.indexOf('\n');
            int lastFence = s.lastIndexOf("```");
            if (firstNewline > 0 && lastFence > firstNewline) {
                return s.substring(firstNewline + 1, lastFence).strip();
            }
        }
        return s;
    }
}
