package io.ragmail.core;

import java.util.Objects;

/**
 * How strongly the retrieved passages support an answer to a mail, measured by the search (not
 * claimed by the model): 0 means nothing in the knowledge base matches what the mail asks about, 1 a
 * passage that holds every distinctive word of the question and is close to it in meaning. A review
 * policy sends a reply to a person when the evidence is weak, whatever confidence the drafter states.
 *
 * <pre>{@code
 * EvidenceStrength evidence = MailSearch.builder().store(store).build().search(mail).evidence();
 * boolean weak = evidence.known() && evidence.score() < 0.5;
 * }</pre>
 *
 * @param score    0..1, or NaN when not measured (a store that reports no match signals)
 * @param language the mail's language as detected from its words ({@code en}, {@code de}, {@code fr},
 *                 {@code es}, {@code it}, {@code nl}), empty when not recognised
 * @param detail   what the score is made of, for the reviewer
 */
public record EvidenceStrength(double score, String language, String detail) {

    /** Not measured: a review rule on evidence does not apply. */
    public static final EvidenceStrength UNKNOWN = new EvidenceStrength(Double.NaN, "", "evidence not measured");

    public EvidenceStrength {
        if (!Double.isNaN(score) && !(score >= 0 && score <= 1)) {
            throw new IllegalArgumentException("score must be within 0..1 or NaN, was " + score);
        }
        Objects.requireNonNull(language, "language");
        Objects.requireNonNull(detail, "detail");
    }

    /** Whether the evidence was measured. */
    public boolean known() {
        return !Double.isNaN(score);
    }

    /** Whether the mail was recognised as written in another language than English. */
    public boolean nonEnglish() {
        return !language.isEmpty() && !language.equals("en");
    }
}
