package io.ragmail.benchmarks.knowledge;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel;
import io.ragmail.core.KnowledgeQuery;
import io.ragmail.core.Passage;
import io.ragmail.core.knowledge.LuceneKnowledgeStore;
import io.ragmail.core.knowledge.QueryLanguage;
import io.ragmail.testkit.knowledge.SampleKnowledge;
import io.ragmail.testkit.knowledge.SampleQuestion;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.WordlistLoader;
import org.apache.lucene.analysis.snowball.SnowballFilter;
import org.apache.lucene.util.IOUtils;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.Term;
import org.apache.lucene.store.FSDirectory;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Per-question raw material for choosing an evidence signal, one JSON line each: the hybrid store's
 * first five passages (source, similarity, coverage), the first source of the BM25-only and the
 * vector-only rankings, and each query term with its document frequency and which of the first five
 * passages hold it (terms cut approximately as the store cuts them). Tuning, held-out and unanswerable
 * sample questions only: never the frozen set.
 *
 * <pre>{@code
 * java -cp benchmarks/target/benchmarks.jar io.ragmail.benchmarks.knowledge.EvidenceFeatures > features.jsonl
 * }</pre>
 */
public final class EvidenceFeatures {

    private EvidenceFeatures() {
    }

    public static void main(String[] args) throws Exception {
        EmbeddingModel model = new CachingEmbeddingModel(new BgeSmallEnV15QuantizedEmbeddingModel());
        List<SampleQuestion> questions = new ArrayList<>(SampleKnowledge.questions());
        questions.addAll(SampleKnowledge.heldOutQuestions());
        questions.addAll(SampleKnowledge.unanswerableQuestions());
        ObjectMapper json = new ObjectMapper();
        // the store's analysis, rebuilt from Lucene's public parts: the Snowball stop list, and identifiers
        // as runs of letters and digits joined by - . / _ (the store's own classes are internal)
        Analyzer analyzer = new EnglishAnalyzer(snowballStopWords());
        Path hybridDir = Files.createTempDirectory("ragmail-evf-h");
        Path bm25Dir = Files.createTempDirectory("ragmail-evf-b");
        Path vectorDir = Files.createTempDirectory("ragmail-evf-v");
        try (LuceneKnowledgeStore hybrid = open(hybridDir, model, 1, 1.5, 1);
                LuceneKnowledgeStore bm25 = open(bm25Dir, model, 1, 1.5, 0);
                LuceneKnowledgeStore vector = open(vectorDir, model, 0, 0, 1)) {
            for (LuceneKnowledgeStore s : List.of(hybrid, bm25, vector)) {
                s.upsert(SampleKnowledge.documents());
                s.optimize();
            }
            try (DirectoryReader reader = DirectoryReader.open(FSDirectory.open(hybridDir))) {
                for (SampleQuestion q : questions) {
                    List<Passage> passages = hybrid.search(new KnowledgeQuery(q.text(), 5, Map.of()));
                    List<Passage> b = bm25.search(new KnowledgeQuery(q.text(), 5, Map.of()));
                    List<Passage> v = vector.search(new KnowledgeQuery(q.text(), 5, Map.of()));
                    Map<String, Object> line = new LinkedHashMap<>();
                    line.put("id", q.id());
                    line.put("category", q.category().name());
                    line.put("answerable", q.answerable());
                    line.put("language", QueryLanguage.detect(q.text()));
                    line.put("rank", RetrievalEvaluation.rank(q, passages));
                    line.put("text", q.text());
                    line.put("bm25Top", b.stream().map(Passage::sourceId).toList());
                    line.put("vectorTop", v.stream().map(Passage::sourceId).toList());
                    line.put("vectorSims", v.stream().map(Passage::similarity).toList());
                    List<Map<String, Object>> ps = new ArrayList<>();
                    List<Set<String>> held = new ArrayList<>();
                    for (Passage p : passages) {
                        ps.add(Map.of("source", p.sourceId(), "sim", p.similarity(), "cov", p.queryCoverage()));
                        Set<String> t = terms(analyzer, p.title() + "\n" + p.text());
                        t.addAll(identifiers(p.title() + "\n" + p.text()));
                        held.add(t);
                    }
                    line.put("passages", ps);
                    List<Map<String, Object>> ts = new ArrayList<>();
                    for (String field : List.of("text", "ident")) {
                        for (String term : field.equals("text") ? terms(analyzer, q.text()) : identifiers(q.text())) {
                            List<Boolean> in = held.stream().map(h -> h.contains(term)).toList();
                            ts.add(Map.of("term", term, "field", field, "df", reader.docFreq(new Term(field, term)),
                                    "in", in));
                        }
                    }
                    line.put("docs", reader.numDocs());
                    line.put("terms", ts);
                    System.out.println(json.writeValueAsString(line));
                }
            }
        } finally {
            Measurements.deleteRecursively(hybridDir);
            Measurements.deleteRecursively(bm25Dir);
            Measurements.deleteRecursively(vectorDir);
        }
    }

    private static LuceneKnowledgeStore open(Path dir, EmbeddingModel model, double keyword, double identifier, double vector) {
        return LuceneKnowledgeStore.builder().directory(dir).embeddingModel(model).queryPrefix(LuceneKnowledgeStore.BGE_QUERY_INSTRUCTION)
                .keywordWeight(keyword).identifierWeight(identifier).vectorWeight(vector).build();
    }

    private static Set<String> terms(Analyzer analyzer, String text) throws IOException {
        Set<String> terms = new LinkedHashSet<>();
        try (TokenStream stream = analyzer.tokenStream("text", text)) {
            CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
            stream.reset();
            while (stream.incrementToken()) {
                terms.add(term.toString());
            }
            stream.end();
        }
        return terms;
    }

    /** Lower-cased runs of letters and digits joined by - . / _ that hold a separator, or letters and digits. */
    private static Set<String> identifiers(String text) {
        Set<String> ids = new LinkedHashSet<>();
        int i = 0;
        while (i < text.length()) {
            if (!Character.isLetterOrDigit(text.charAt(i))) {
                i++;
                continue;
            }
            int start = i;
            while (i < text.length() && (Character.isLetterOrDigit(text.charAt(i)) || ("-./_".indexOf(text.charAt(i)) >= 0
                    && i + 1 < text.length() && Character.isLetterOrDigit(text.charAt(i + 1))))) {
                i++;
            }
            String token = text.substring(start, i).toLowerCase(Locale.ROOT);
            boolean separator = token.chars().anyMatch(c -> "-./_".indexOf(c) >= 0);
            boolean letter = token.chars().anyMatch(Character::isLetter);
            boolean digit = token.chars().anyMatch(Character::isDigit);
            if (separator || (letter && digit)) {
                ids.add(token);
            }
        }
        return ids;
    }

    private static CharArraySet snowballStopWords() throws IOException {
        try (Reader reader = IOUtils.getDecodingReader(SnowballFilter.class, "english_stop.txt", StandardCharsets.UTF_8)) {
            return WordlistLoader.getSnowballWordSet(reader);
        }
    }
}
