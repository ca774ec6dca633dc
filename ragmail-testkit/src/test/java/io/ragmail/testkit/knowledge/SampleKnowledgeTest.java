package io.ragmail.testkit.knowledge;

import io.ragmail.core.KnowledgeDocument;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SampleKnowledgeTest {

    private static final Pattern PRODUCT_CODE = Pattern.compile("[A-Z]{3}-\\d{3,4}");
    private static final Pattern CAS = Pattern.compile("\\d{2,7}-\\d{2}-\\d");

    private final List<KnowledgeDocument> documents = SampleKnowledge.documents();
    private final List<SampleQuestion> questions = SampleKnowledge.questions();

    @Test
    void corpus_has_at_least_300_documents_with_unique_source_ids() {
        assertThat(documents).hasSizeGreaterThanOrEqualTo(300);
        assertThat(documents).extracting(KnowledgeDocument::sourceId).doesNotHaveDuplicates();
    }

    @Test
    void every_document_has_a_known_type_language_url_and_date() {
        assertThat(documents).allSatisfy(d -> {
            assertThat(d.metadata().get("type")).as(d.sourceId()).isIn("product", "sds", "faq");
            assertThat(d.sourceId()).startsWith(d.metadata().get("type") + ":");
            assertThat(d.metadata().get("language")).as(d.sourceId()).isEqualTo("en");
            assertThat(d.metadata().get("url")).as(d.sourceId()).startsWith("https://");
            assertThat(d.metadata().get("updated-at")).as(d.sourceId()).matches("\\d{4}-\\d{2}-\\d{2}");
            assertThat(d.title()).as(d.sourceId()).isNotBlank();
        });
    }

    @Test
    void every_document_text_is_between_80_and_600_words() {
        assertThat(documents).allSatisfy(d ->
                assertThat(d.text().split("\\s+").length).as(d.sourceId()).isBetween(80, 600));
    }

    @Test
    void corpus_mixes_products_safety_sheets_and_faqs() {
        var byType = documents.stream().collect(Collectors.groupingBy(d -> d.metadata().get("type"), Collectors.counting()));
        assertThat(byType.get("product")).isGreaterThanOrEqualTo(150);
        assertThat(byType.get("sds")).isGreaterThanOrEqualTo(40);
        assertThat(byType.get("faq")).isGreaterThanOrEqualTo(40);
    }

    @Test
    void product_pages_name_their_code_cas_number_and_price() {
        assertThat(documents.stream().filter(d -> d.metadata().get("type").equals("product")))
                .allSatisfy(d -> {
                    String code = d.metadata().get("product-code");
                    assertThat(code).as(d.sourceId()).matches(PRODUCT_CODE);
                    assertThat(d.sourceId()).isEqualTo("product:" + code);
                    assertThat(d.title()).contains(code);
                    assertThat(CAS.matcher(d.text()).find()).as(d.sourceId()).isTrue();
                    assertThat(d.text()).as(d.sourceId()).contains("EUR ");
                });
    }

    @Test
    void near_duplicate_products_are_present() {
        Set<String> ids = documents.stream().map(KnowledgeDocument::sourceId).collect(Collectors.toSet());
        assertThat(ids).contains("product:ACE-500", "product:ACE-1000", "product:IPA-200", "product:IPA-700",
                "sds:acetone", "sds:isopropanol", "faq:order-tracking", "faq:returns");
    }

    @Test
    void there_are_at_least_150_questions_with_unique_ids() {
        assertThat(questions).hasSizeGreaterThanOrEqualTo(150);
        assertThat(questions).extracting(SampleQuestion::id).doesNotHaveDuplicates();
        assertThat(questions).extracting(SampleQuestion::text).doesNotHaveDuplicates();
    }

    @Test
    void every_expected_source_id_exists_in_the_corpus() {
        Set<String> ids = documents.stream().map(KnowledgeDocument::sourceId).collect(Collectors.toSet());
        assertThat(questions).allSatisfy(q -> assertThat(ids).as(q.id()).containsAll(q.expectedSourceIds()));
    }

    @Test
    void every_category_has_questions() {
        var categories = questions.stream().map(SampleQuestion::category).collect(Collectors.toSet());
        // the sample set has the issue-3 categories; the frozen set's kinds (non-English, ...) are elsewhere
        assertThat(categories).containsExactlyInAnyOrderElementsOf(SAMPLE_CATEGORIES);
        assertThat(questions.stream().filter(q -> q.category() == QuestionCategory.TYPO)).hasSizeGreaterThanOrEqualTo(10);
        assertThat(questions.stream().filter(q -> q.category() == QuestionCategory.CODE)).hasSizeGreaterThanOrEqualTo(20);
    }

    @Test
    void questions_are_not_copied_from_their_answers() {
        assertNotCopiedFromAnswers(questions);
        assertNotCopiedFromAnswers(SampleKnowledge.heldOutQuestions());
    }

    private void assertNotCopiedFromAnswers(List<SampleQuestion> questions) {
        // no question may contain a run of eight consecutive words of a document that answers it
        var texts = documents.stream().collect(Collectors.toMap(KnowledgeDocument::sourceId, d -> normalise(d.text())));
        assertThat(questions).allSatisfy(q -> {
            String[] words = normalise(q.text()).split(" ");
            for (int i = 0; i + 8 <= words.length; i++) {
                String run = String.join(" ", List.of(words).subList(i, i + 8));
                for (String id : q.expectedSourceIds()) {
                    assertThat(texts.get(id)).as(q.id() + " copies from " + id).doesNotContain(run);
                }
            }
        });
    }

    @Test
    void held_out_questions_are_new_questions_about_the_same_corpus() {
        List<SampleQuestion> heldOut = SampleKnowledge.heldOutQuestions();
        Set<String> ids = documents.stream().map(KnowledgeDocument::sourceId).collect(Collectors.toSet());
        Set<String> tuningTexts = questions.stream().map(q -> normalise(q.text())).collect(Collectors.toSet());
        assertThat(heldOut).hasSizeGreaterThanOrEqualTo(60);
        assertThat(heldOut).extracting(SampleQuestion::id).doesNotHaveDuplicates().allMatch(id -> id.startsWith("h"));
        assertThat(heldOut).allSatisfy(q -> {
            assertThat(ids).as(q.id()).containsAll(q.expectedSourceIds());
            assertThat(q.expectedSourceIds()).as(q.id()).isNotEmpty();
            assertThat(tuningTexts).as(q.id() + " is also a tuning question").doesNotContain(normalise(q.text()));
        });
        assertThat(heldOut.stream().map(SampleQuestion::category).collect(Collectors.toSet()))
                .containsExactlyInAnyOrderElementsOf(SAMPLE_CATEGORIES);
    }

    @Test
    void unanswerable_questions_expect_no_source_and_are_new_questions() {
        List<SampleQuestion> unanswerable = SampleKnowledge.unanswerableQuestions();
        Set<String> tuningTexts = questions.stream().map(q -> normalise(q.text())).collect(Collectors.toSet());
        assertThat(unanswerable).hasSizeGreaterThanOrEqualTo(20);
        assertThat(unanswerable).extracting(SampleQuestion::id).doesNotHaveDuplicates().allMatch(id -> id.startsWith("u"));
        assertThat(unanswerable).allSatisfy(q -> {
            assertThat(q.category()).isEqualTo(QuestionCategory.UNANSWERABLE);
            assertThat(q.answerable()).isFalse();
            assertThat(tuningTexts).doesNotContain(normalise(q.text()));
        });
    }

    @Test
    void a_question_expects_a_source_exactly_when_it_is_answerable() {
        assertThatThrownBy(() -> new SampleQuestion("x1", "Do you sell helium?", List.of("faq:x"), QuestionCategory.UNANSWERABLE))
                .hasMessageContaining("x1");
        assertThatThrownBy(() -> new SampleQuestion("x2", "Price of ACE-500?", List.of(), QuestionCategory.CODE))
                .hasMessageContaining("x2");
    }

    private static final Set<QuestionCategory> SAMPLE_CATEGORIES = EnumSet.range(QuestionCategory.CODE, QuestionCategory.VAGUE);

    @Test
    void malformed_lines_are_reported_with_file_and_line_number() {
        String jsonl = "{\"sourceId\":\"a\",\"text\":\"x\",\"metadata\":{}}\n{\"title\":\"no id\",\"text\":\"y\"}\n";
        assertThatThrownBy(() -> SampleKnowledge.readDocuments(stream(jsonl), "broken.jsonl"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("broken.jsonl line 2")
                .hasMessageContaining("sourceId");
    }

    @Test
    void unknown_question_category_is_rejected() {
        String jsonl = "{\"id\":\"q1\",\"text\":\"hi\",\"expectedSourceIds\":[\"faq:x\"],\"category\":\"weather\"}\n";
        assertThatThrownBy(() -> SampleKnowledge.readQuestions(stream(jsonl), "q.jsonl"))
                .hasMessageContaining("q.jsonl line 1")
                .hasMessageContaining("weather");
    }

    private static ByteArrayInputStream stream(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String normalise(String s) {
        return s.toLowerCase().replaceAll("[^\\p{L}\\p{N}]+", " ").trim();
    }
}
