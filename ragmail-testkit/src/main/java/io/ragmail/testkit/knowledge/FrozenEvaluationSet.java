package io.ragmail.testkit.knowledge;

import io.ragmail.core.KnowledgeDocument;

import java.io.InputStream;
import java.util.List;

/**
 * The frozen evaluation set: a second corpus, of another business, and questions written by someone
 * who never saw the retriever's settings (issue 13). Nothing is tuned on it; it is evaluated once per
 * method, and its numbers are reported apart from those of {@link SampleKnowledge}'s tuning questions.
 *
 * <p>Questions have a {@code kind} ({@code code}, {@code cas}, {@code typo}, {@code paraphrase},
 * {@code non-english}, {@code multi-part}, {@code long-thread}, {@code near-duplicate}, {@code faq},
 * {@code unanswerable}) read as a {@link QuestionCategory}, and a {@code language}; unanswerable
 * questions expect no source.
 *
 * <pre>{@code
 * store.upsert(FrozenEvaluationSet.documents());
 * for (SampleQuestion q : FrozenEvaluationSet.questions()) { ... }
 * }</pre>
 */
public final class FrozenEvaluationSet {

    /** Class-path resource of the documents, one JSON object per line. */
    public static final String CORPUS_RESOURCE = "/io/ragmail/testkit/knowledge/frozen/corpus.jsonl";
    /** Class-path resource of the questions, one JSON object per line. */
    public static final String QUESTIONS_RESOURCE = "/io/ragmail/testkit/knowledge/frozen/questions.jsonl";

    private FrozenEvaluationSet() {
    }

    /** The documents of the frozen corpus, in file order. */
    public static List<KnowledgeDocument> documents() {
        return Loaded.DOCUMENTS;
    }

    /** The frozen questions, in file order, answerable and unanswerable. */
    public static List<SampleQuestion> questions() {
        return Loaded.QUESTIONS;
    }

    private static InputStream resource(String path) {
        InputStream in = FrozenEvaluationSet.class.getResourceAsStream(path);
        if (in == null) {
            throw new IllegalStateException("resource " + path + " not found on the class path");
        }
        return in;
    }

    /** Loaded once, on first use; immutable afterwards. */
    private static final class Loaded {
        static final List<KnowledgeDocument> DOCUMENTS = SampleKnowledge.readDocuments(resource(CORPUS_RESOURCE), CORPUS_RESOURCE);
        static final List<SampleQuestion> QUESTIONS = SampleKnowledge.readQuestions(resource(QUESTIONS_RESOURCE), QUESTIONS_RESOURCE);
    }
}
