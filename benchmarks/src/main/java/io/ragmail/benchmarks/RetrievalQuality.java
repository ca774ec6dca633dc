package io.ragmail.benchmarks;

import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel;
import io.ragmail.benchmarks.knowledge.BaselineConfigurations;
import io.ragmail.benchmarks.knowledge.CachingEmbeddingModel;
import io.ragmail.benchmarks.knowledge.LuceneStoreConfigurations;
import io.ragmail.benchmarks.knowledge.Measurements;
import io.ragmail.benchmarks.knowledge.RetrievalEvaluation;
import io.ragmail.benchmarks.knowledge.StoreConfiguration;
import io.ragmail.core.KnowledgeDocument;
import io.ragmail.core.KnowledgeStore;
import io.ragmail.core.knowledge.QueryRewriter;
import io.ragmail.core.mistral.MistralQueryRewriter;
import io.ragmail.testkit.knowledge.FrozenEvaluationSet;
import io.ragmail.testkit.knowledge.QuestionCategory;
import io.ragmail.testkit.knowledge.SampleKnowledge;
import io.ragmail.testkit.knowledge.SampleQuestion;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Retrieval quality over the sample corpus and its labelled questions: recall@5 and MRR, overall and
 * per question category, for the Lucene store as BM25 only, vector only and hybrid, and the in-memory
 * brute-force vector baseline, all with the real in-process bge-small-en-v1.5 (quantized) model.
 *
 * <pre>{@code
 * mvn -B -q -pl benchmarks -am package -DskipTests
 * java -cp benchmarks/target/benchmarks.jar io.ragmail.benchmarks.RetrievalQuality [--configs=lucene-hybrid,...] [--misses]
 *      [--questions=tuning|held-out|tuning+unanswerable|held-out+unanswerable|frozen] [--outcomes]
 *      [--embedding-model=bge-small-en|mistral-embed] [--mistral-base-url=https://api.mistral.ai/v1]
 *      [--query-rewriter=mistral]
 * }</pre>
 *
 * <p>{@code --embedding-model=mistral-embed} embeds with Mistral's API instead (the key from the
 * environment variable {@code MISTRAL_API_KEY}; each distinct text is embedded once per run and
 * shared by all configurations); the configurations then use no query instruction. This is how the
 * multilingual model's quality is measured with a real key, e.g. on the frozen set's non-English questions:
 * {@code MISTRAL_API_KEY=... java -cp benchmarks/target/benchmarks.jar io.ragmail.benchmarks.RetrievalQuality
 * --questions=frozen --embedding-model=mistral-embed --configs=lucene-hybrid}.
 *
 * <p>{@code --questions=tuning} (the default) uses the questions the store's defaults were tuned on;
 * {@code held-out} the ones written afterwards and never used to choose a setting; {@code +unanswerable}
 * adds the sample corpus's unanswerable questions (evidence-strength table); {@code frozen} is the
 * frozen evaluation set of issue 13 (its own corpus; evaluate once, tune nothing on it).
 * {@code lucene-hybrid} is also evaluated as the pipeline searches a mail ({@code +mail-query}), and with
 * {@code --query-rewriter=mistral} (key from {@code MISTRAL_API_KEY}) as the daemon searches it when a
 * Mistral key is set: non-English mail also searched with Mistral's English rewrite ({@code +rewrite}).
 */
public final class RetrievalQuality {

    /** The configuration that is also evaluated through {@code MailSearch}, under its name plus {@link #MAIL_SUFFIX}. */
    public static final String MAIL_SEARCHED = "lucene-hybrid";
    public static final String MAIL_SUFFIX = "+mail-query";
    /** Added to {@link #MAIL_SUFFIX} for the mail searched with a {@link QueryRewriter} as well. */
    public static final String REWRITE_SUFFIX = "+rewrite";

    private RetrievalQuality() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        String embedding = options.getOrDefault("embedding-model", BGE);
        EmbeddingModel model = new CachingEmbeddingModel(embeddingModel(embedding, System.getenv("MISTRAL_API_KEY"),
                options.getOrDefault("mistral-base-url", "https://api.mistral.ai/v1")));
        String set = options.getOrDefault("questions", "tuning");
        List<KnowledgeDocument> documents = set.equals("frozen") ? FrozenEvaluationSet.documents() : SampleKnowledge.documents();
        System.out.println("embedding model: " + embedding);
        QueryRewriter rewriter = queryRewriter(options.get("query-rewriter"), System.getenv("MISTRAL_API_KEY"),
                options.getOrDefault("mistral-base-url", "https://api.mistral.ai/v1"));
        Map<String, RetrievalEvaluation.Report> reports;
        try {
            reports = run(configurations(options.get("configs"), embedding.equals(BGE)), documents, questions(set), model, rewriter);
        } finally {
            if (rewriter instanceof AutoCloseable closeable) {
                closeable.close();
            }
        }
        print(reports, System.out, options.containsKey("misses"));
        if (options.containsKey("outcomes")) {
            printOutcomes(reports, System.out);
        }
    }

    /** The in-process default model's option value. */
    public static final String BGE = "bge-small-en";
    /** Mistral's multilingual embedding model's option value (and API name). */
    public static final String MISTRAL_EMBED = "mistral-embed";

    /** The model {@code --embedding-model} names; {@code mistral-embed} needs an API key. */
    public static EmbeddingModel embeddingModel(String name, String mistralApiKey, String mistralBaseUrl) {
        return switch (name) {
            case BGE -> new BgeSmallEnV15QuantizedEmbeddingModel();
            case MISTRAL_EMBED -> {
                if (mistralApiKey == null || mistralApiKey.isBlank()) {
                    throw new IllegalArgumentException("--embedding-model=mistral-embed needs the environment variable MISTRAL_API_KEY");
                }
                yield dev.langchain4j.model.mistralai.MistralAiEmbeddingModel.builder().apiKey(mistralApiKey).baseUrl(mistralBaseUrl)
                        .modelName(MISTRAL_EMBED).maxRetries(10).build(); // retries absorb 429s of a small plan
            }
            default -> throw new IllegalArgumentException("--embedding-model must be " + BGE + " or " + MISTRAL_EMBED + ", was " + name);
        };
    }

    private static List<SampleQuestion> questions(String set) {
        return switch (set) {
            case "tuning" -> SampleKnowledge.questions();
            case "held-out" -> SampleKnowledge.heldOutQuestions();
            case "frozen" -> FrozenEvaluationSet.questions();
            case "tuning+unanswerable" -> concat(SampleKnowledge.questions(), SampleKnowledge.unanswerableQuestions());
            case "held-out+unanswerable" -> concat(SampleKnowledge.heldOutQuestions(), SampleKnowledge.unanswerableQuestions());
            default -> throw new IllegalArgumentException("--questions must be tuning, held-out, tuning+unanswerable or "
                    + "held-out+unanswerable or frozen, was " + set);
        };
    }

    private static List<SampleQuestion> concat(List<SampleQuestion> a, List<SampleQuestion> b) {
        List<SampleQuestion> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** The rewriter {@code --query-rewriter} names: none by default, {@code mistral} with an API key. */
    public static QueryRewriter queryRewriter(String name, String apiKey, String baseUrl) {
        if (name == null || name.equals("none")) {
            return QueryRewriter.NONE;
        }
        if (!name.equals("mistral")) {
            throw new IllegalArgumentException("--query-rewriter must be none or mistral, was " + name);
        }
        if (apiKey == null || apiKey.isBlank()) {
            throw new IllegalArgumentException("--query-rewriter=mistral needs the environment variable MISTRAL_API_KEY");
        }
        return MistralQueryRewriter.builder().apiKey(apiKey).baseUrl(baseUrl).build();
    }

    /** Builds each configuration from the documents in a fresh temporary directory and evaluates it. */
    public static Map<String, RetrievalEvaluation.Report> run(List<StoreConfiguration> configurations,
            List<KnowledgeDocument> documents, List<SampleQuestion> questions, EmbeddingModel model) throws Exception {
        return run(configurations, documents, questions, model, QueryRewriter.NONE);
    }

    /** Like the run without a rewriter; with one, {@link #MAIL_SEARCHED} is also evaluated with it ({@link #REWRITE_SUFFIX}). */
    public static Map<String, RetrievalEvaluation.Report> run(List<StoreConfiguration> configurations,
            List<KnowledgeDocument> documents, List<SampleQuestion> questions, EmbeddingModel model,
            QueryRewriter rewriter) throws Exception {
        Map<String, RetrievalEvaluation.Report> reports = new LinkedHashMap<>();
        for (StoreConfiguration c : configurations) {
            Path dir = Files.createTempDirectory("ragmail-quality-" + c.name());
            KnowledgeStore store = c.open(dir, model);
            try {
                store.upsert(documents);
                c.flush(store, dir);
                reports.put(c.name(), RetrievalEvaluation.evaluate(store, questions));
                if (c.name().equals(MAIL_SEARCHED)) {
                    // the same store searched as the pipeline searches a mail (MailSearch)
                    reports.put(c.name() + MAIL_SUFFIX, RetrievalEvaluation.evaluateAsMail(store, questions));
                    if (rewriter != QueryRewriter.NONE) {
                        reports.put(c.name() + MAIL_SUFFIX + REWRITE_SUFFIX,
                                RetrievalEvaluation.evaluateAsMail(store, questions, rewriter));
                    }
                }
            } finally {
                c.close(store);
                Measurements.deleteRecursively(dir);
            }
        }
        return reports;
    }

    /** The configurations named (comma-separated), or all available ones when {@code names} is null. */
    public static List<StoreConfiguration> configurations(String names) {
        return configurations(names, true);
    }

    /** Like {@link #configurations(String)}; {@code bge} false leaves out bge's query instruction (another model). */
    public static List<StoreConfiguration> configurations(String names, boolean bge) {
        String prefix = bge ? io.ragmail.core.knowledge.LuceneKnowledgeStore.BGE_QUERY_INSTRUCTION : "";
        List<StoreConfiguration> all = new ArrayList<>(bge ? LuceneStoreConfigurations.allForBge() : LuceneStoreConfigurations.all());
        all.add(LuceneStoreConfigurations.configuration("lucene-hybrid-plain-rrf",
                b -> b.queryPrefix(prefix).keepTopOfEachRanking(0)));
        all.addAll(BaselineConfigurations.all().subList(0, 1)); // the JSON-file store ranks exactly like the in-memory one
        if (names == null) {
            return all;
        }
        List<String> wanted = Arrays.asList(names.split(","));
        List<StoreConfiguration> chosen = all.stream().filter(c -> wanted.contains(c.name())).toList();
        if (chosen.size() != wanted.size()) {
            throw new IllegalArgumentException("configs must name some of " + all.stream().map(StoreConfiguration::name).toList()
                    + ", was " + names);
        }
        return chosen;
    }

    /** Markdown tables: overall, then recall@5 / MRR per category. */
    public static void print(Map<String, RetrievalEvaluation.Report> reports, PrintStream out, boolean misses) {
        if (reports.isEmpty()) {
            out.println("no configuration to evaluate");
            return;
        }
        RetrievalEvaluation.Report any = reports.values().iterator().next();
        out.printf(Locale.ROOT, "%d questions%n%n", any.outcomes().size());
        out.println("| configuration | recall@5 | MRR@10 |");
        out.println("| --- | ---: | ---: |");
        reports.forEach((name, r) -> out.printf(Locale.ROOT, "| %s | %.3f | %.3f |%n", name, r.overall().recallAt5(), r.overall().mrr()));
        out.println();
        StringBuilder header = new StringBuilder("| category (questions) |");
        StringBuilder rule = new StringBuilder("| --- |");
        for (String name : reports.keySet()) {
            header.append(' ').append(name).append(" R@5 / MRR |");
            rule.append(" ---: |");
        }
        out.println(header);
        out.println(rule);
        for (QuestionCategory category : QuestionCategory.values()) {
            var m = any.byCategory().get(category);
            if (m == null || category == QuestionCategory.UNANSWERABLE) {
                continue;
            }
            StringBuilder row = new StringBuilder("| " + category.name().toLowerCase(Locale.ROOT) + " (" + m.questions() + ") |");
            for (RetrievalEvaluation.Report r : reports.values()) {
                var cm = r.byCategory().get(category);
                row.append(String.format(Locale.ROOT, " %.2f / %.2f |", cm.recallAt5(), cm.mrr()));
            }
            out.println(row);
        }
        printEvidence(reports, out);
        if (misses) {
            reports.forEach((name, r) -> {
                out.printf("%n%s misses (not in top 5):%n", name);
                r.misses().forEach(o -> out.printf("  %s [%s] rank %d: %s -> %s%n", o.question().id(),
                        o.question().category(), o.rank(), o.question().text(), o.question().expectedSourceIds()));
            });
        }
    }

    /**
     * Evidence strength against unanswerable questions, when the set has any: the threshold that keeps
     * 95 % of the answerable questions, the share of unanswerable ones below it (caught), and the same
     * at the review policy's default threshold.
     */
    static void printEvidence(Map<String, RetrievalEvaluation.Report> reports, PrintStream out) {
        RetrievalEvaluation.Report any = reports.values().iterator().next();
        long unanswerable = any.outcomes().stream().filter(o -> !o.question().answerable()).count();
        if (unanswerable == 0) {
            return;
        }
        double policy = io.ragmail.core.review.DefaultReviewPolicy.DEFAULT_MIN_EVIDENCE;
        out.printf(Locale.ROOT, "%nEvidence strength: %d answerable, %d unanswerable questions%n%n",
                any.outcomes().size() - unanswerable, unanswerable);
        out.printf(Locale.ROOT, "| configuration | threshold keeping 95%% | answerable kept | unanswerable caught "
                + "| at policy default %.2f: kept / caught |%n", policy);
        out.println("| --- | ---: | ---: | ---: | ---: |");
        reports.forEach((name, r) -> {
            double t = r.thresholdKeeping(0.95);
            if (Double.isNaN(t)) {
                out.printf("| %s | n/a (no evidence signal) | | | |%n", name);
                return;
            }
            out.printf(Locale.ROOT, "| %s | %.3f | %.3f | %.3f | %.3f / %.3f |%n", name, t, r.answerableKept(t),
                    r.unanswerableCaught(t), r.answerableKept(policy), r.unanswerableCaught(policy));
        });
        // what the default review policy does (language-dependent thresholds), per kind
        out.printf(Locale.ROOT, "%nSent to review by the evidence rule of the default policy (%.2f; %.2f for mail detected as "
                + "not English), share per kind:%n%n", policy, io.ragmail.core.review.DefaultReviewPolicy.DEFAULT_MIN_EVIDENCE_NON_ENGLISH);
        StringBuilder header = new StringBuilder("| kind (questions) |");
        StringBuilder rule = new StringBuilder("| --- |");
        for (String name : reports.keySet()) {
            header.append(' ').append(name).append(" |");
            rule.append(" ---: |");
        }
        out.println(header);
        out.println(rule);
        for (QuestionCategory category : QuestionCategory.values()) {
            long n = any.outcomes().stream().filter(o -> o.question().category() == category).count();
            if (n == 0) {
                continue;
            }
            StringBuilder row = new StringBuilder("| " + category.name().toLowerCase(Locale.ROOT) + " (" + n + ") |");
            for (RetrievalEvaluation.Report r : reports.values()) {
                long flagged = r.outcomes().stream().filter(o -> o.question().category() == category)
                        .filter(RetrievalEvaluation.Outcome::flaggedByDefaultPolicy).count();
                row.append(String.format(Locale.ROOT, " %.2f |", (double) flagged / n));
            }
            out.println(row);
        }
    }

    /** One line per question: id, category, language, rank, evidence (for calibration plots). */
    static void printOutcomes(Map<String, RetrievalEvaluation.Report> reports, PrintStream out) {
        reports.forEach((name, r) -> r.outcomes().forEach(o -> out.printf(Locale.ROOT, "OUTCOME\t%s\t%s\t%s\t%s\t%s\t%d\t%.4f%n",
                name, o.question().id(), o.question().category(), o.question().language(), o.detectedLanguage(), o.rank(),
                o.evidence())));
    }

    static Map<String, String> options(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (String a : args) {
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("options look like --name=value, was " + a);
            }
            int eq = a.indexOf('=');
            options.put(eq < 0 ? a.substring(2) : a.substring(2, eq), eq < 0 ? "" : a.substring(eq + 1));
        }
        return options;
    }
}
