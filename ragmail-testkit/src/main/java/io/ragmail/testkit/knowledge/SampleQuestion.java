package io.ragmail.testkit.knowledge;

import java.util.List;
import java.util.Objects;

/**
 * A customer's question with the source ids of the documents that answer it; a retriever has found
 * the answer when any one of {@code expectedSourceIds} is among its results.
 *
 * <pre>{@code
 * SampleQuestion q = SampleKnowledge.questions().get(0);
 * boolean found = store.search(KnowledgeQuery.of(q.text())).stream()
 *         .anyMatch(p -> q.isAnsweredBy(p.sourceId()));
 * }</pre>
 */
public record SampleQuestion(String id, String text, List<String> expectedSourceIds, QuestionCategory category,
        String language) {

    /** Language of questions that name none. */
    public static final String DEFAULT_LANGUAGE = "en";

    public SampleQuestion {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(language, "language");
        if (text.isBlank()) {
            throw new IllegalArgumentException("text of question " + id + " must not be blank");
        }
        expectedSourceIds = List.copyOf(expectedSourceIds);
        // an unanswerable question is one the knowledge base holds no answer to: it expects nothing
        if (expectedSourceIds.isEmpty() != (category == QuestionCategory.UNANSWERABLE)) {
            throw new IllegalArgumentException("question " + id + (category == QuestionCategory.UNANSWERABLE
                    ? " is unanswerable and must expect no source id" : " must expect at least one source id"));
        }
    }

    /** An English question. */
    public SampleQuestion(String id, String text, List<String> expectedSourceIds, QuestionCategory category) {
        this(id, text, expectedSourceIds, category, DEFAULT_LANGUAGE);
    }

    /** Whether the knowledge base holds an answer (any expected source). */
    public boolean answerable() {
        return !expectedSourceIds.isEmpty();
    }

    /** Whether a passage from {@code sourceId} answers this question. */
    public boolean isAnsweredBy(String sourceId) {
        return expectedSourceIds.contains(sourceId);
    }
}
