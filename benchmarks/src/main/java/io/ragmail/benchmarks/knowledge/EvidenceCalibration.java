package io.ragmail.benchmarks.knowledge;

import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel;
import io.ragmail.core.KnowledgeQuery;
import io.ragmail.core.Passage;
import io.ragmail.core.knowledge.LuceneKnowledgeStore;
import io.ragmail.testkit.knowledge.SampleKnowledge;
import io.ragmail.testkit.knowledge.SampleQuestion;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The raw match signals (cosine similarity, share of the question's distinctive words) of the first
 * three passages for every tuning question and every unanswerable tuning question, one tab-separated
 * line each, to choose how evidence strength combines them. Tuning data only.
 *
 * <pre>{@code
 * java -cp benchmarks/target/benchmarks.jar io.ragmail.benchmarks.knowledge.EvidenceCalibration > signals.tsv
 * }</pre>
 */
public final class EvidenceCalibration {

    private EvidenceCalibration() {
    }

    public static void main(String[] args) throws Exception {
        EmbeddingModel model = new CachingEmbeddingModel(new BgeSmallEnV15QuantizedEmbeddingModel());
        List<SampleQuestion> questions = new ArrayList<>(SampleKnowledge.questions());
        questions.addAll(SampleKnowledge.heldOutQuestions());
        questions.addAll(SampleKnowledge.unanswerableQuestions());
        Path dir = Files.createTempDirectory("ragmail-evidence");
        try (LuceneKnowledgeStore store = LuceneKnowledgeStore.builder().directory(dir).embeddingModel(model)
                .queryPrefix(LuceneKnowledgeStore.BGE_QUERY_INSTRUCTION).build()) {
            store.upsert(SampleKnowledge.documents());
            store.optimize();
            for (SampleQuestion q : questions) {
                List<Passage> passages = store.search(new KnowledgeQuery(q.text(), 5, Map.of()));
                StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%s\t%s\t%b\t%d", q.id(), q.category(),
                        q.answerable(), RetrievalEvaluation.rank(q, passages)));
                for (int i = 0; i < 3; i++) {
                    Passage p = i < passages.size() ? passages.get(i) : null;
                    line.append(String.format(Locale.ROOT, "\t%.4f\t%.4f", p == null ? Double.NaN : p.similarity(),
                            p == null ? Double.NaN : p.queryCoverage()));
                }
                System.out.println(line);
            }
        } finally {
            Measurements.deleteRecursively(dir);
        }
    }
}
