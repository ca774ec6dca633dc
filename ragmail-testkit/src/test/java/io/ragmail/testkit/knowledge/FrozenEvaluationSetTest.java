package io.ragmail.testkit.knowledge;

import io.ragmail.core.KnowledgeDocument;
import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The frozen set loads as its README describes it; nothing here looks at what a retriever returns. */
class FrozenEvaluationSetTest {

    @Test
    void every_document_and_question_loads_with_its_kind_and_language() {
        assertThat(FrozenEvaluationSet.documents()).hasSizeGreaterThanOrEqualTo(150);
        assertThat(FrozenEvaluationSet.questions()).hasSizeGreaterThanOrEqualTo(150);
        assertThat(FrozenEvaluationSet.questions()).extracting(SampleQuestion::language)
                .allMatch(l -> Set.of("en", "de", "fr", "es", "it", "nl").contains(l));
    }

    @Test
    void unanswerable_questions_expect_nothing_and_every_other_expected_id_is_in_the_corpus() {
        Set<String> ids = FrozenEvaluationSet.documents().stream().map(KnowledgeDocument::sourceId).collect(Collectors.toSet());

        for (SampleQuestion q : FrozenEvaluationSet.questions()) {
            assertThat(q.answerable()).as(q.id()).isEqualTo(q.category() != QuestionCategory.UNANSWERABLE);
            assertThat(ids).as(q.id()).containsAll(q.expectedSourceIds());
        }
        long unanswerable = FrozenEvaluationSet.questions().stream().filter(q -> !q.answerable()).count();
        assertThat(unanswerable).isGreaterThanOrEqualTo(FrozenEvaluationSet.questions().size() / 10);
    }
}
