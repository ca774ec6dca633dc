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
public record SampleQuestion(String id, String text, List<String> expectedSourceIds, QuestionCategory category) {

    public SampleQuestion {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(category, "category");
        if (text.isBlank()) {
            throw new IllegalArgumentException("text of question " + id + " must not be blank");
        }
        expectedSourceIds = List.copyOf(expectedSourceIds);
        if (expectedSourceIds.isEmpty()) {
            throw new IllegalArgumentException("question " + id + " must expect at least one source id");
        }
    }

    /** Whether a passage from {@code sourceId} answers this question. */
    public boolean isAnsweredBy(String sourceId) {
        return expectedSourceIds.contains(sourceId);
    }
}
