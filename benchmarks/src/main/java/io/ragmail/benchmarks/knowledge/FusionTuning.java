package io.ragmail.benchmarks.knowledge;

import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel;
import io.ragmail.benchmarks.RetrievalQuality;
import io.ragmail.core.KnowledgeDocument;
import io.ragmail.core.knowledge.LuceneKnowledgeStore;
import io.ragmail.testkit.knowledge.SampleKnowledge;
import io.ragmail.testkit.knowledge.SampleQuestion;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * Recall@5 and MRR of {@link LuceneKnowledgeStore} settings variants on the sample corpus, to see how
 * much each setting matters (one corpus: read it as a sensitivity check, not as tuned-for-the-test
 * defaults). Each variant is the store's defaults plus bge's query instruction, changed as named.
 *
 * <pre>{@code
 * java -cp benchmarks/target/benchmarks.jar io.ragmail.benchmarks.knowledge.FusionTuning [--held-out] [name:setting=value,...]
 * }</pre>
 * {@code --smoke} runs the same on the first 20 documents and 10 questions (for the docs check).
 */
public final class FusionTuning {

    private static final int SMOKE_DOCUMENTS = 20;
    private static final int SMOKE_QUESTIONS = 10;

    private FusionTuning() {
    }

    public static void main(String[] args) throws Exception {
        EmbeddingModel model = new CachingEmbeddingModel(new BgeSmallEnV15QuantizedEmbeddingModel());
        List<StoreConfiguration> variants = new ArrayList<>();
        UnaryOperator<LuceneKnowledgeStore.Builder> bge = b -> b.queryPrefix(LuceneKnowledgeStore.BGE_QUERY_INSTRUCTION);
        variants.add(LuceneStoreConfigurations.configuration("defaults", bge));
        if (args.length == 0 || List.of(args).equals(List.of("--held-out"))) {
            variants.add(LuceneStoreConfigurations.configuration("no-query-instruction", b -> b.queryPrefix("")));
            variants.add(LuceneStoreConfigurations.configuration("no-fuzzy", b -> bge.apply(b).fuzzyTypos(false)));
            variants.add(LuceneStoreConfigurations.configuration("2-per-source", b -> bge.apply(b).maxPassagesPerSource(2)));
        }
        boolean heldOut = false;
        boolean smoke = false;
        for (String arg : args) {
            if (arg.equals("--held-out")) {
                heldOut = true;
                continue;
            }
            if (arg.equals("--smoke")) {
                smoke = true;
                continue;
            }
            variants.add(parse(arg, bge));
        }
        List<KnowledgeDocument> documents = SampleKnowledge.documents();
        List<SampleQuestion> questions = heldOut ? SampleKnowledge.heldOutQuestions() : SampleKnowledge.questions();
        if (smoke) {
            // .ci/docs-check: every variant built and searched in seconds; the numbers mean nothing
            documents = documents.subList(0, SMOKE_DOCUMENTS);
            questions = questions.subList(0, SMOKE_QUESTIONS);
        }
        var reports = RetrievalQuality.run(variants, documents, questions, model);
        RetrievalQuality.print(reports, System.out, false);
    }

    /** {@code name:setting=value,setting=value}, settings: rsf (1 = relative score fusion), stop (0 = short stop list), kw, vec, id, k, title, cand, chunk, overlap, keep. */
    static StoreConfiguration parse(String spec, UnaryOperator<LuceneKnowledgeStore.Builder> base) {
        String[] parts = spec.split(":", 2);
        UnaryOperator<LuceneKnowledgeStore.Builder> settings = base;
        if (parts.length == 2) {
            for (String kv : parts[1].split(",")) {
                String[] p = kv.split("=");
                String key = p[0].toLowerCase(Locale.ROOT);
                double v = Double.parseDouble(p[1]);
                UnaryOperator<LuceneKnowledgeStore.Builder> before = settings;
                settings = switch (key) {
                    case "rsf" -> b -> before.apply(b).fusion(v > 0 ? LuceneKnowledgeStore.Fusion.RELATIVE_SCORE : LuceneKnowledgeStore.Fusion.RRF);
                    case "stop" -> b -> before.apply(b).fullStopWords(v > 0);
                    case "kw" -> b -> before.apply(b).keywordWeight(v);
                    case "vec" -> b -> before.apply(b).vectorWeight(v);
                    case "id" -> b -> before.apply(b).identifierWeight(v);
                    case "k" -> b -> before.apply(b).rrfK((int) v);
                    case "title" -> b -> before.apply(b).titleBoost(v);
                    case "cand" -> b -> before.apply(b).candidates((int) v);
                    case "chunk" -> b -> before.apply(b).chunkSize((int) v);
                    case "overlap" -> b -> before.apply(b).chunkOverlap((int) v);
                    case "keep" -> b -> before.apply(b).keepTopOfEachRanking((int) v);
                    default -> throw new IllegalArgumentException("unknown setting " + key + " in " + spec);
                };
            }
        }
        return LuceneStoreConfigurations.configuration(parts[0], settings);
    }
}
