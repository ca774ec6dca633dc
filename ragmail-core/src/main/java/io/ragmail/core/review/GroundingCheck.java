package io.ragmail.core.review;

import io.ragmail.core.CustomerFacts;
import io.ragmail.core.Draft;
import io.ragmail.core.DraftRequest;
import io.ragmail.core.ErpRecord;
import io.ragmail.core.Passage;
import io.ragmail.core.review.Mentions.Kind;
import io.ragmail.core.review.Mentions.Mention;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Checks that a draft says nothing the drafter was not given: every passage id it cites was among
 * the passages of the request, and every date, order or invoice number, CAS or UN number, product
 * code, price, quantity and larger number in the reply text appears in the passages, the sender's
 * ERP facts, the customer's own mail or the operator's trusted text (such as the signature). Order
 * and invoice numbers are stricter: only the sender's ERP facts (or the passages) back them, since a
 * number the mail names may be another customer's.
 *
 * <p>Numbers are compared by value ({@code 1,200.00} = {@code 1200} = {@code 1.200,00}), dates by
 * day in ISO, European, US and written forms ({@code 2025-03-15}, {@code 15.03.2025},
 * {@code 03/15/2025}, {@code 15 March 2025}, {@code 15. März 2025}, {@code 15 mars 2025}). Small
 * bare numbers and small counts of packages ("3 pallets"; up to {@value #DEFAULT_SMALL_NUMBER_LIMIT})
 * and bare years (1900-2100) are not checked; measured quantities ("2 kg", "5 %") always are. The rules and their limits are in {@code docs/drafting-policy.md}.
 *
 * <pre>{@code
 * GroundingCheck check = GroundingCheck.builder().trustedText("Phone +49 30 1234567").build();
 * List<String> problems = check.problems(request, draft); // empty when grounded
 * }</pre>
 */
public final class GroundingCheck {

    public static final int DEFAULT_SMALL_NUMBER_LIMIT = 12;
    /**
     * How many characters of each text (the reply, each passage, the customer's mail) are read.
     * Reading is linear, so this bounds the check's time (a few hundred ms of CPU, see
     * {@code docs/benchmarks.md}); a reply longer than this goes to review, and a fact beyond it in a
     * source does not back anything, which can only send more replies to review.
     */
    public static final int DEFAULT_MAX_TEXT_CHARS = 256 * 1024;

    private static final int MAX_SHOWN_CHARS = 80;

    private final List<String> trustedText;
    private final int smallNumberLimit;
    private final int maxTextChars;

    private GroundingCheck(Builder b) {
        this.trustedText = List.copyOf(b.trustedText);
        this.smallNumberLimit = b.smallNumberLimit;
        this.maxTextChars = b.maxTextChars;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** With the defaults. */
    public static GroundingCheck standard() {
        return builder().build();
    }

    /** What in the draft is not backed by the request, one readable reason each; empty when grounded. */
    public List<String> problems(DraftRequest request, Draft draft) {
        Set<String> problems = new LinkedHashSet<>();
        Set<String> given = new HashSet<>();
        request.passages().forEach(p -> given.add(p.sourceId()));
        for (String id : draft.usedSourceIds()) {
            if (!given.contains(id)) {
                problems.add("cites passage \"" + id + "\", which it was not given");
            }
        }
        if (draft.text().length() > maxTextChars) {
            problems.add("the reply is longer than " + maxTextChars + " characters; only its start was checked");
        }
        Sources company = new Sources(companyTexts(request), maxTextChars);
        Sources customer = new Sources(List.of(request.mail().subject(), request.mail().text()), maxTextChars);
        String facts = request.customerFacts().isPresent() ? "the customer's facts" : "the customer's facts (none given)";
        for (Mention mention : Mentions.in(head(draft.text(), maxTextChars))) {
            if (ignored(mention) || company.backs(mention)) {
                continue;
            }
            if (!isAccountReference(mention) && customer.backs(mention)) {
                continue;
            }
            String shown = shown(mention.text());
            problems.add(isAccountReference(mention)
                    ? mention.kind().label + " \"" + shown + "\" is not in " + facts
                            + (customer.backs(mention) ? " (the mail names it, which does not make it theirs)" : "")
                    : mention.kind().label + " \"" + shown + "\" is not in the passages, " + facts
                            + " or the customer's mail");
        }
        return List.copyOf(problems);
    }

    private boolean ignored(Mention mention) {
        if (mention.kind() != Kind.NUMBER && mention.kind() != Kind.COUNT) {
            return false;
        }
        for (String key : mention.keys()) {
            try {
                BigDecimal value = new BigDecimal(key);
                boolean small = value.compareTo(BigDecimal.valueOf(smallNumberLimit)) <= 0;
                boolean year = value.scale() <= 0 && value.compareTo(BigDecimal.valueOf(1900)) >= 0
                        && value.compareTo(BigDecimal.valueOf(2100)) <= 0 && mention.text().matches("\\d{4}");
                if (small || year) {
                    return true;
                }
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return false;
    }

    /**
     * Order and invoice numbers must come from the ERP: a reply may only speak of an order the
     * sender's own records hold, never of one the mail merely names (it may be someone else's).
     */
    private static boolean isAccountReference(Mention mention) {
        return mention.kind() == Kind.ORDER || mention.kind() == Kind.INVOICE;
    }

    /** What the company said: the trusted text, the passages and the customer's ERP facts. */
    private List<String> companyTexts(DraftRequest request) {
        List<String> texts = new ArrayList<>(trustedText);
        for (Passage passage : request.passages()) {
            texts.add(passage.title());
            texts.add(passage.text());
        }
        request.customerFacts().ifPresent(facts -> texts.addAll(factTexts(facts)));
        return texts;
    }

    private static List<String> factTexts(CustomerFacts facts) {
        List<String> texts = new ArrayList<>();
        texts.add(facts.customerId());
        texts.add(facts.customerName());
        for (ErpRecord record : facts.records()) {
            texts.add(record.reference());
            for (Map.Entry<String, String> field : record.fields().entrySet()) {
                texts.add(field.getKey() + ": " + field.getValue());
            }
        }
        return texts;
    }

    /** A mention as a reviewer reads it: a number of thousands of digits is shown by its start. */
    private static String shown(String text) {
        return text.length() <= MAX_SHOWN_CHARS ? text : text.substring(0, MAX_SHOWN_CHARS) + "\u2026";
    }

    private static String head(String text, int maxChars) {
        return text.length() <= maxChars ? text : text.substring(0, maxChars);
    }

    /** The normalised facts of every source text, by family. */
    private static final class Sources {
        final Set<String> codes = new HashSet<>();
        final Set<String> dates = new HashSet<>();
        final Set<String> numbers = new HashSet<>();

        Sources(List<String> texts, int maxTextChars) {
            for (String text : texts) {
                for (Mention m : Mentions.in(head(text, maxTextChars))) {
                    family(m.kind(), this).addAll(m.keys());
                }
            }
        }

        boolean backs(Mention mention) {
            Set<String> known = family(mention.kind(), this);
            return mention.keys().stream().anyMatch(known::contains);
        }

        private static Set<String> family(Kind kind, Sources s) {
            return switch (kind) {
                case DATE -> s.dates;
                case INVOICE, CAS, UN, PRODUCT, ORDER -> s.codes;
                case PRICE, QUANTITY, COUNT, NUMBER -> s.numbers;
            };
        }
    }

    /** Settings of a {@link GroundingCheck}. */
    public static final class Builder {
        private final List<String> trustedText = new ArrayList<>();
        private int smallNumberLimit = DEFAULT_SMALL_NUMBER_LIMIT;
        private int maxTextChars = DEFAULT_MAX_TEXT_CHARS;

        /** Text the operator vouches for (signature, opening hours, phone numbers); its facts count as backed. */
        public Builder trustedText(String... texts) {
            for (String text : texts) {
                trustedText.add(Objects.requireNonNull(text, "trustedText"));
            }
            return this;
        }

        /** Bare numbers up to this value are not checked; default {@value GroundingCheck#DEFAULT_SMALL_NUMBER_LIMIT}. */
        public Builder smallNumberLimit(int limit) {
            this.smallNumberLimit = limit;
            return this;
        }

        /** How many characters of each text are read; default {@value GroundingCheck#DEFAULT_MAX_TEXT_CHARS}. */
        public Builder maxTextChars(int maxTextChars) {
            this.maxTextChars = maxTextChars;
            return this;
        }

        public GroundingCheck build() {
            if (maxTextChars < 1024) {
                throw new IllegalArgumentException("maxTextChars must be at least 1024, was " + maxTextChars);
            }
            if (smallNumberLimit < 0) {
                throw new IllegalArgumentException("smallNumberLimit must not be negative, was " + smallNumberLimit);
            }
            return new GroundingCheck(this);
        }
    }
}
