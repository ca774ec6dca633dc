package io.ragmail.core.review;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A topic a person must always handle, such as complaints or legal matters, recognised by keywords.
 * A keyword matches whole words, case-insensitively; a trailing {@code *} matches any ending
 * ({@code complain*} matches "complaint" and "complaining", but not "uncomplaining"). Keywords may
 * span several words ({@code "legal action"}).
 *
 * <pre>{@code
 * ReviewTopic recalls = ReviewTopic.of("recall", "recall*", "rückruf*", "rappel de produit");
 * recalls.findIn("Is there a recall of ACE-500?"); // Optional[recall]
 * }</pre>
 *
 * @param name     the category, shown in review notes
 * @param keywords the words that reveal it, at least one
 */
public record ReviewTopic(String name, List<String> keywords) {

    /** Complaints (en, de, fr). */
    public static final ReviewTopic COMPLAINT = of("complaint",
            "complain*", "unacceptable", "disappointed", "refund*",
            "beschwer*", "reklamation*", "unzufrieden*", "erstattung*",
            "plainte*", "réclamation*", "reclamation*", "mécontent*", "remboursement*");

    /** Legal matters (en, de, fr). */
    public static final ReviewTopic LEGAL = of("legal",
            "lawyer*", "attorney*", "lawsuit*", "sue", "legal action", "court", "liability", "gdpr",
            "anwalt*", "rechtsanwalt*", "klage*", "gericht*", "haftung*", "dsgvo", "abmahnung*",
            "avocat*", "procès", "tribunal*", "poursuite*", "mise en demeure", "rgpd");

    /** Cancellations and withdrawals (en, de, fr). */
    public static final ReviewTopic CANCELLATION = of("cancellation",
            "cancel*", "withdraw*", "terminate*", "termination",
            "storn*", "kündig*", "widerruf*", "rücktritt*",
            "annul*", "résili*", "resili*", "rétractation*");

    /** Safety incidents (en, de, fr). */
    public static final ReviewTopic SAFETY_INCIDENT = of("safety incident",
            "accident*", "injur*", "hospital*", "poison*", "emergency", "burned", "leaked", "explosion*",
            "unfall*", "verletz*", "krankenhaus*", "vergiftung*", "notfall*", "verätz*", "explodiert*",
            "blessé*", "blessure*", "hôpital*", "empoisonn*", "intoxication*", "urgence*", "brûlure*");

    /** The default always-review topics: complaints, legal, cancellations, safety incidents. */
    public static final List<ReviewTopic> DEFAULTS = List.of(COMPLAINT, LEGAL, CANCELLATION, SAFETY_INCIDENT);

    public ReviewTopic {
        Objects.requireNonNull(name, "name");
        keywords = List.copyOf(keywords);
        if (name.isBlank()) {
            throw new IllegalArgumentException("topic name must not be blank");
        }
        if (keywords.isEmpty()) {
            throw new IllegalArgumentException("topic '" + name + "' needs at least one keyword");
        }
        for (String keyword : keywords) {
            if (keyword.isBlank() || keyword.strip().equals("*")) {
                throw new IllegalArgumentException("topic '" + name + "' has a blank keyword");
            }
        }
    }

    public static ReviewTopic of(String name, String... keywords) {
        return new ReviewTopic(name, List.of(keywords));
    }

    /** The first word of {@code text} that reveals this topic, as written in the text. */
    public Optional<String> findIn(String text) {
        Matcher matcher = pattern().matcher(text);
        return matcher.find() ? Optional.of(matcher.group()) : Optional.empty();
    }

    private Pattern pattern() {
        List<String> alternatives = new ArrayList<>();
        for (String keyword : keywords) {
            String k = keyword.strip();
            boolean prefix = k.endsWith("*");
            if (prefix) {
                k = k.substring(0, k.length() - 1);
            }
            String words = Pattern.quote(k).replace(" ", "\\E\\s+\\Q");
            alternatives.add(words + (prefix ? "[\\p{L}\\p{N}]*" : "(?![\\p{L}\\p{N}])"));
        }
        return Pattern.compile("(?<![\\p{L}\\p{N}])(?:" + String.join("|", alternatives) + ")",
                Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    }
}
