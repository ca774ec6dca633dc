package io.ragmail.testkit.knowledge;

/**
 * What makes a {@link SampleQuestion} easy or hard for a retriever: an exact identifier, a synonym,
 * a typo, words that differ from the answering page, another language, or no answer at all.
 *
 * <pre>{@code
 * Map<QuestionCategory, List<SampleQuestion>> byCategory = SampleKnowledge.questions().stream()
 *         .collect(Collectors.groupingBy(SampleQuestion::category));
 * }</pre>
 */
public enum QuestionCategory {
    /** Names a product code such as {@code ACE-500}. */
    CODE,
    /** Names a CAS registry number such as {@code 67-64-1}. */
    CAS,
    /** Names a UN transport number such as {@code UN1090}. */
    UN,
    /** Uses another name of the substance ({@code propanone} for acetone). */
    SYNONYM,
    /** Misspells the substance ({@code aceton}, {@code isopropylalcohol}). */
    TYPO,
    /** Asks in other words than the answering page. */
    PARAPHRASE,
    /** About the customer's own order (tracking, changes, invoices). */
    ORDER,
    /** A general question answered by an FAQ page. */
    FAQ,
    /** Describes a need without naming the product. */
    VAGUE,
    /** Written in another language than the knowledge base (German, French, Spanish, Italian, Dutch). */
    NON_ENGLISH,
    /** Asks several things in one mail, which different pages answer. */
    MULTI_PART,
    /** A long mail, often with a quoted thread below the new text. */
    LONG_THREAD,
    /** About one of several nearly identical products, which only a detail tells apart. */
    NEAR_DUPLICATE,
    /** The knowledge base does not hold the answer (the question expects no source). */
    UNANSWERABLE
}
