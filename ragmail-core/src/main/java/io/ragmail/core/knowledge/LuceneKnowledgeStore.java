package io.ragmail.core.knowledge;

import dev.langchain4j.model.embedding.EmbeddingModel;
import io.ragmail.core.KnowledgeDocument;
import io.ragmail.core.KnowledgeQuery;
import io.ragmail.core.KnowledgeStore;
import io.ragmail.core.NonRetriableException;
import io.ragmail.core.Passage;
import io.ragmail.core.RagmailException;
import io.ragmail.core.RetriableException;
import io.ragmail.core.internal.Settings;
import io.ragmail.core.knowledge.internal.Chunker;
import io.ragmail.core.knowledge.internal.Codes;
import io.ragmail.core.knowledge.internal.DocumentBatches;
import io.ragmail.core.knowledge.internal.DefaultEmbeddingModel;
import io.ragmail.core.knowledge.internal.Embeddings;
import io.ragmail.core.knowledge.internal.IdentifierAnalyzer;
import io.ragmail.core.knowledge.internal.IndexRecovery;
import io.ragmail.core.knowledge.internal.KeepLastCommits;
import io.ragmail.core.knowledge.internal.StopWords;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.miscellaneous.PerFieldAnalyzerWrapper;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.SortedDocValuesField;
import io.ragmail.core.knowledge.internal.EditDistance;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.util.VectorUtil;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.FuzzyQuery;
import org.apache.lucene.util.BytesRef;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.PrefixQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The default {@link KnowledgeStore}: one on-disk Lucene index searched two ways at once. BM25 over
 * the chunk text (plus a field that keeps identifiers such as {@code ACE-500} or {@code 67-64-1}
 * whole) finds exact codes; an HNSW vector search over embeddings finds paraphrases; the rankings
 * are fused with reciprocal rank fusion, and the first source of each ranking keeps a place among the
 * first five. Metadata filters apply to all. Each passage carries its cosine similarity to the query
 * and the share of the query's distinctive words it holds, from which {@link MailSearch} measures
 * whether the knowledge base holds an answer at all.
 *
 * <p>Upserts replace all chunks of a source atomically and skip documents whose content hash is
 * unchanged (no embedding call). Searches run concurrently with writes and always see one consistent
 * commit. The index records the embedding model that made its vectors and refuses another one (or
 * re-embeds, when asked). A damaged newest commit is rolled back to the previous one on open.
 *
 * <pre>{@code
 * try (LuceneKnowledgeStore store = LuceneKnowledgeStore.builder()
 *         .directory(dataDir.resolve("knowledge"))
 *         .build()) {
 *     store.upsert(List.of(new KnowledgeDocument("faq:shipping", "Shipping", "We ship within 2 days.")));
 *     List<Passage> passages = store.search(KnowledgeQuery.of("how fast do you ship?"));
 * }
 * }</pre>
 */
public final class LuceneKnowledgeStore implements KnowledgeStore, KnowledgeCatalog {

    /**
     * Chunk size in characters: about 375 tokens, a whole product page or FAQ answer or a few SDS
     * sections, still under bge's 512-token limit with the title in front (see docs/knowledge.md).
     */
    public static final int DEFAULT_CHUNK_SIZE = 1500;
    /** Overlap between neighbouring chunks in characters, so a sentence cut at a boundary is whole in one of them. */
    public static final int DEFAULT_CHUNK_OVERLAP = 150;
    /** Chunks embedded per call to the embedding model. */
    public static final int DEFAULT_EMBEDDING_BATCH_SIZE = 32;
    /** Hits taken from each of BM25 and vector search before fusion. */
    public static final int DEFAULT_CANDIDATES = 50;
    /**
     * The {@code k} of reciprocal rank fusion: score = sum of weight / (k + rank). Lower than the
     * textbook 60, so that a source at the top of one ranking beats one that is middling in all of them
     * (measured: docs/knowledge.md).
     */
    public static final int DEFAULT_RRF_K = 10;
    /** Weight of the BM25 ranking in the fusion. */
    public static final double DEFAULT_KEYWORD_WEIGHT = 1.0;
    /** Weight of the vector ranking in the fusion. */
    public static final double DEFAULT_VECTOR_WEIGHT = 1.0;
    /**
     * Weight of the third ranking, documents holding the query's identifiers (such as {@code ACE-500}
     * or {@code 67-64-1}) as whole tokens; it only exists when the query has identifiers. Above the
     * others: an exact identifier is the strongest evidence a mail can give.
     */
    public static final double DEFAULT_IDENTIFIER_WEIGHT = 1.5;
    /**
     * At most this many passages of one source in one result: one, so that five results are five
     * sources rather than five slices of one long PDF.
     */
    public static final int DEFAULT_MAX_PASSAGES_PER_SOURCE = 1;
    /** Boost of a query word found in a chunk's title over one found in its text, in the BM25 ranking. */
    public static final double DEFAULT_TITLE_BOOST = 1.0;
    /** Whether query words the index does not hold (typos) are matched fuzzily in the BM25 ranking. */
    public static final boolean DEFAULT_FUZZY_TYPOS = true;
    /** Whether the BM25 fields use the full Snowball English stop word list rather than Lucene's short one. */
    public static final boolean DEFAULT_FULL_STOP_WORDS = true;
    /**
     * The first this many sources of every single ranking (BM25, identifiers, vectors) are sure of a
     * place in the fused result, so fusion cannot drop what one ranking alone put on top (measured:
     * docs/knowledge.md); 0 is plain fusion.
     */
    public static final int DEFAULT_KEEP_TOP_OF_EACH_RANKING = 1;
    /** How the rankings are combined: reciprocal rank fusion (relative score fusion measured worse). */
    public static final Fusion DEFAULT_FUSION = Fusion.RRF;
    /**
     * The instruction bge-small-en-v1.5 expects before a search query (not before passages); used as
     * the query prefix when the default model is used and no {@link Builder#queryPrefix} is set.
     */
    public static final String BGE_QUERY_INSTRUCTION = "Represent this sentence for searching relevant passages: ";

    /** Commit user data key: the name of the model that made the vectors. */
    public static final String MODEL_KEY = "ragmail.embedding.model";
    /** Commit user data key: the dimension of the vectors. */
    public static final String DIMENSION_KEY = "ragmail.embedding.dimension";
    /**
     * Commit user-data key of how the chunks were cut and their words indexed (chunk size, overlap,
     * stop words), for example {@code 1500/150/full-stop-words}.
     */
    public static final String CHUNKING_KEY = "ragmail.chunking";

    /** Searches run at open with the default in-process model; none with a model of the caller's own. */
    public static final int DEFAULT_WARM_UP_SEARCHES = 5;
    /** Typical customer questions: words, an identifier, a typo, so every ranking and the coverage run once. */
    private static final List<String> WARM_UP_QUERIES = List.of(
            "How long does delivery take to our warehouse?",
            "Please send the safety data sheet for ACE-500, CAS 67-64-1.",
            "Can we return unopened products for a refund?",
            "Is this product flamable, and how should we store the drums?",
            "Which payment methods do you accept for invoices?");

    static final String F_KIND = "kind";
    static final String F_SOURCE_ID = "source_id";
    static final String F_SOURCE_ID_DV = "source_id_dv";
    static final String F_TITLE = "title";
    static final String F_TITLE_TEXT = "title_text";
    static final String F_TEXT = "text";
    static final String F_IDENT = "ident";
    static final String F_VECTOR = "vector";
    static final String F_HASH = "hash";
    static final String F_FULL_TEXT = "full_text";
    static final String F_CHUNK = "chunk";
    static final String META_PREFIX = "meta.";
    static final String META_KEYS = "meta_keys";
    static final String SOURCE_META_PREFIX = "source_meta.";
    static final String KIND_SOURCE = "source";
    static final String KIND_CHUNK = "chunk";

    private static final Logger LOG = LoggerFactory.getLogger(LuceneKnowledgeStore.class);
    private static final String COMPONENT = "knowledge";
    private static final int MAX_QUERY_TERMS = 256;
    private static final int FUZZY_EXPANSIONS = 16;
    private static final Set<String> PASSAGE_FIELDS = Set.of(F_TITLE, F_TEXT);

    /** How opening the index went. */
    public enum OpenOutcome {
        /** No index was there; a new one was created. */
        CREATED,
        /** The existing index opened as it was. */
        OPENED,
        /** The newest commit was unreadable; the index was rolled back to the last good commit. */
        ROLLED_BACK,
        /** The index was unreadable; it was moved aside and a new, empty one was created. */
        RECREATED_EMPTY,
        /** The index was made by another embedding model; every source was re-embedded. */
        REBUILT_FOR_NEW_MODEL,
        /**
         * The index was cut into chunks of another size or overlap, or indexed with another stop word
         * list; every source was split again and re-embedded.
         */
        REBUILT_FOR_NEW_CHUNKING
    }

    private final Path path;
    private final Directory directory;
    private final IndexWriter writer;
    private final SearcherManager searchers;
    private final Analyzer analyzer;
    private final EmbeddingModel embeddingModel;
    private final Chunker chunker;
    private final Builder settings;
    private final String modelName;
    private final String queryPrefix;
    private final int dimension;
    private final OpenOutcome openOutcome;
    private final ReentrantLock writeLock = new ReentrantLock();
    private volatile boolean closed;

    private LuceneKnowledgeStore(Builder b) throws IOException {
        this.settings = b.copy();
        this.path = b.directory;
        this.embeddingModel = b.embeddingModel != null ? b.embeddingModel : DefaultEmbeddingModel.create();
        this.modelName = b.embeddingModelName != null ? b.embeddingModelName : DefaultEmbeddingModel.nameOf(embeddingModel);
        this.dimension = embeddingDimension(embeddingModel);
        this.queryPrefix = b.queryPrefix != null ? b.queryPrefix
                : DefaultEmbeddingModel.MODEL_NAME.equals(DefaultEmbeddingModel.nameOf(embeddingModel)) ? BGE_QUERY_INSTRUCTION : "";
        this.chunker = new Chunker(b.chunkSize, b.chunkOverlap);
        this.analyzer = new PerFieldAnalyzerWrapper(new EnglishAnalyzer(b.fullStopWords ? StopWords.english() : EnglishAnalyzer.ENGLISH_STOP_WORDS_SET),
                Map.of(F_IDENT, new IdentifierAnalyzer()));

        Files.createDirectories(path);
        Directory dir = FSDirectory.open(path);
        OpenOutcome outcome;
        try {
            IndexRecovery.Result recovery = IndexRecovery.recover(dir, b.verifyChecksumsOnOpen);
            outcome = !recovery.indexExists() ? OpenOutcome.CREATED
                    : recovery.rolledBack() ? OpenOutcome.ROLLED_BACK : OpenOutcome.OPENED;
        } catch (IOException e) {
            if (!b.recreateIfUnrecoverable) {
                dir.close();
                throw new KnowledgeIndexCorruptedException(path, e);
            }
            dir.close();
            Path aside = path.resolveSibling(path.getFileName() + ".corrupt-"
                    + DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss").format(b.clock.instant().atZone(b.clock.getZone())));
            Files.move(path, aside);
            Files.createDirectories(path);
            LOG.error("knowledge index in {} is unreadable ({}); moved it to {} and created an empty index: "
                    + "re-sync every source", path, e.toString(), aside);
            dir = FSDirectory.open(path);
            outcome = OpenOutcome.RECREATED_EMPTY;
        }
        this.directory = dir;

        IndexWriterConfig config = new IndexWriterConfig(analyzer)
                .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
                .setIndexDeletionPolicy(new KeepLastCommits(2))
                .setCommitOnClose(false);
        IndexWriter w;
        try {
            w = new IndexWriter(directory, config);
        } catch (IOException | RuntimeException e) {
            directory.close();
            throw e;
        }
        this.writer = w;
        try {
            Map<String, String> userData = new HashMap<>();
            Iterable<Map.Entry<String, String>> live = writer.getLiveCommitData();
            if (live != null) {
                live.forEach(entry -> userData.put(entry.getKey(), entry.getValue()));
            }
            String indexed = userData.get(MODEL_KEY);
            String wanted = describe(modelName, dimension);
            boolean fresh = indexed == null && writer.getDocStats().numDocs == 0;
            String indexedDescription = indexed == null ? "an unknown model"
                    : describe(indexed, Integer.parseInt(userData.getOrDefault(DIMENSION_KEY, "0")));
            boolean modelChanged = !fresh && !wanted.equals(indexedDescription);
            if (modelChanged && !b.rebuildOnModelChange) {
                throw new EmbeddingModelMismatchException(indexedDescription, wanted);
            }
            if (fresh) {
                commit();
            }
            this.searchers = new SearcherManager(writer, null);
            // a changed chunk size would otherwise apply only to documents that change later:
            // unchanged ones are skipped by content hash and keep their old chunks forever
            String indexedChunking = userData.get(CHUNKING_KEY);
            if (modelChanged) {
                rebuild("embedding model " + indexedDescription, "embedding model " + wanted);
                outcome = OpenOutcome.REBUILT_FOR_NEW_MODEL;
            } else if (!fresh && indexedChunking != null && !indexedChunking.equals(chunking())) {
                rebuild("chunking " + indexedChunking, "chunking " + chunking());
                outcome = OpenOutcome.REBUILT_FOR_NEW_CHUNKING;
            }
        } catch (IOException | RuntimeException e) {
            writer.rollback();
            directory.close();
            throw e;
        }
        this.openOutcome = outcome;
        LOG.info("knowledge index {} {} ({} chunks, model {})", path, outcome, writer.getDocStats().numDocs, wanted());
        warmUp(b.warmUpSearches != null ? b.warmUpSearches : b.embeddingModel == null ? DEFAULT_WARM_UP_SEARCHES : 0);
    }

    /**
     * A few searches at open, so that the first customer's mail does not pay for the cold ONNX session,
     * tokenizer and JIT (the first searches after start-up took 3.5x the warm median, docs/benchmarks.md).
     * Bounded by count, on the opening thread; a failure only means the first mail pays instead.
     */
    private void warmUp(int searches) {
        long start = System.nanoTime();
        for (int i = 0; i < searches; i++) {
            try {
                search(new KnowledgeQuery(WARM_UP_QUERIES.get(i % WARM_UP_QUERIES.size()), KnowledgeQuery.DEFAULT_MAX_RESULTS, Map.of()));
            } catch (RuntimeException e) {
                LOG.debug("knowledge index warm-up stopped: {}", e.toString());
                return;
            }
        }
        if (searches > 0) {
            LOG.debug("knowledge index warmed up with {} searches in {} ms", searches, (System.nanoTime() - start) / 1_000_000);
        }
    }

    /** A builder; {@link Builder#directory(Path)} is required. */
    public static Builder builder() {
        return new Builder();
    }

    /** A new instance of the default in-process embedding model (quantized bge-small-en-v1.5, 384 dimensions). */
    public static EmbeddingModel defaultEmbeddingModel() {
        return DefaultEmbeddingModel.create();
    }

    /** How opening the index went: created, opened, rolled back, recreated or rebuilt. */
    public OpenOutcome openOutcome() {
        return openOutcome;
    }

    /** The model name and vector dimension recorded in the index, such as {@code bge-small-en-v1.5-q/384}. */
    public String embeddingModelDescription() {
        return wanted();
    }

    private String chunking() {
        return settings.chunkSize + "/" + settings.chunkOverlap + "/"
                + (settings.fullStopWords ? "full-stop-words" : "lucene-stop-words");
    }

    private String wanted() {
        return describe(modelName, dimension);
    }

    private static String describe(String name, int dimension) {
        return name + "/" + dimension;
    }

    @Override
    public List<Passage> search(KnowledgeQuery query) {
        Objects.requireNonNull(query, "query");
        ensureOpen();
        if (query.text().isBlank()) {
            return List.of();
        }
        float[] vector = Embeddings.embed(embeddingModel, queryPrefix + query.text());
        return search(query, vector);
    }

    /**
     * Searches with a query vector already made (by the same model), for callers that embed a mail
     * once and search several times, and for benchmarks that measure search apart from embedding.
     */
    public List<Passage> search(KnowledgeQuery query, float[] queryVector) {
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(queryVector, "queryVector");
        ensureOpen();
        if (queryVector.length != dimension) {
            throw new IllegalArgumentException("queryVector must have " + dimension + " dimensions, had " + queryVector.length);
        }
        try {
            return withSearcher(searcher -> searchWith(searcher, query, queryVector));
        } catch (IOException e) {
            throw new RetriableException(COMPONENT, "knowledge index search failed: " + e, e);
        }
    }

    private List<Passage> searchWith(IndexSearcher searcher, KnowledgeQuery query, float[] vector) throws IOException {
        Query filter = filter(query.filters());
        int candidates = Math.max(settings.candidates, query.maxResults() * 4);
        SourceIds sourceIds = new SourceIds(searcher);
        Map<String, Fused> fused = new HashMap<>();
        List<List<String>> rankings = new ArrayList<>();

        Query keyword = settings.keywordWeight > 0 ? keywordQuery(searcher, query.text(), filter) : null;
        if (keyword != null) {
            rankings.add(addRanks(fused, sourceIds, searcher.search(keyword, candidates), settings.keywordWeight));
        }
        Query identifiers = settings.identifierWeight > 0 ? identifierQuery(query.text(), filter) : null;
        if (identifiers != null) {
            rankings.add(addRanks(fused, sourceIds, searcher.search(identifiers, candidates), settings.identifierWeight));
        }
        if (settings.vectorWeight > 0) {
            rankings.add(addRanks(fused, sourceIds,
                    searcher.search(new KnnFloatVectorQuery(F_VECTOR, vector, candidates, filter), candidates),
                    settings.vectorWeight));
        }
        List<Fused> ranked = new ArrayList<>(fused.values());
        ranked.sort(Fused.BEST_FIRST);
        ranked = keepTopOfEachRanking(ranked, rankings, fused, Math.min(query.maxResults(), KnowledgeQuery.DEFAULT_MAX_RESULTS));

        // stored fields are read only for the passages returned
        StoredFields stored = searcher.storedFields();
        QueryTerms terms = new QueryTerms(searcher.getIndexReader(), terms(F_TEXT, query.text()), terms(F_IDENT, query.text()));
        List<Passage> passages = new ArrayList<>();
        for (Fused source : ranked) {
            for (int doc : source.bestChunks(settings.maxPassagesPerSource)) {
                Document d = stored.document(doc, PASSAGE_FIELDS);
                String title = d.get(F_TITLE);
                String text = d.get(F_TEXT);
                String both = title + "\n" + text;
                Set<String> passageIdentifiers = terms(F_IDENT, both);
                passages.add(new Passage(source.sourceId, title, text, source.score,
                        cosine(searcher, doc, vector), terms.coverage(terms(F_TEXT, both), passageIdentifiers),
                        terms.codeMatch(passageIdentifiers)));
                if (passages.size() == query.maxResults()) {
                    return List.copyOf(passages);
                }
            }
        }
        return List.copyOf(passages);
    }

    /**
     * The fused order, except that the first {@code keepTopOfEachRanking} sources of every single
     * ranking are sure of a place among the first {@code places} (the five a drafter gets by default,
     * or fewer when fewer are asked for): fusion must not drop what one
     * ranking alone was sure of (the FAQ page only the vectors find, the product only BM25 finds).
     * A kept source takes the place of the lowest fused source that no ranking had on top, and keeps
     * its own fused order among the others.
     */
    private List<Fused> keepTopOfEachRanking(List<Fused> ranked, List<List<String>> rankings, Map<String, Fused> fused,
            int places) {
        int keep = settings.keepTopOfEachRanking;
        if (keep == 0 || rankings.size() < 2 || ranked.size() <= places) {
            return ranked;
        }
        Set<String> kept = new LinkedHashSet<>();
        for (int position = 0; position < keep; position++) {
            for (List<String> ranking : rankings) {
                if (position < ranking.size()) {
                    kept.add(ranking.get(position));
                }
            }
        }
        List<Fused> top = new ArrayList<>(ranked.subList(0, places));
        Set<String> inTop = new HashSet<>();
        top.forEach(f -> inTop.add(f.sourceId));
        for (String sourceId : kept) {
            if (inTop.contains(sourceId)) {
                continue;
            }
            int victim = -1;
            for (int i = top.size() - 1; i >= 0; i--) {
                if (!kept.contains(top.get(i).sourceId)) {
                    victim = i;
                    break;
                }
            }
            if (victim < 0) {
                break; // every place is held by some ranking's top: nothing more can be kept
            }
            inTop.remove(top.get(victim).sourceId);
            top.set(victim, fused.get(sourceId));
            inTop.add(sourceId);
        }
        top.sort(Fused.BEST_FIRST);
        List<Fused> result = new ArrayList<>(top);
        for (Fused f : ranked) {
            if (!inTop.contains(f.sourceId)) {
                result.add(f);
            }
        }
        return result;
    }

    /** Cosine similarity of the query vector and a chunk's stored vector; NaN when the chunk has none. */
    private static double cosine(IndexSearcher searcher, int doc, float[] query) throws IOException {
        List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
        LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
        FloatVectorValues values = leaf.reader().getFloatVectorValues(F_VECTOR);
        int local = doc - leaf.docBase;
        if (values == null || values.advance(local) != local) {
            return Double.NaN;
        }
        return VectorUtil.cosine(query, values.vectorValue());
    }

    /**
     * The query's words and identifiers with their rarity (BM25's idf over the chunks), to measure how
     * much of what a query asks about a passage holds. A word or identifier the index does not hold at
     * all (an unknown product name or code, a word in another language) counts as rarest and is covered
     * by no passage, unless it is a typo of a word the passage holds (edit distance of the fuzzy
     * matching; identifiers must match exactly).
     */
    private final class QueryTerms {
        private final Map<String, Double> words = new LinkedHashMap<>();
        private final Map<String, Double> identifiers = new LinkedHashMap<>();
        private final double total;

        QueryTerms(IndexReader reader, Set<String> wordTerms, Set<String> identifierTerms) throws IOException {
            int docs = Math.max(1, reader.numDocs());
            this.total = weigh(reader, docs, F_TEXT, wordTerms, words) + weigh(reader, docs, F_IDENT, identifierTerms, identifiers);
        }

        private static double weigh(IndexReader reader, int docs, String field, Set<String> terms, Map<String, Double> into)
                throws IOException {
            double sum = 0;
            for (String term : terms) {
                int df = reader.docFreq(new Term(field, term));
                double weight = Math.log(1 + (docs - df + 0.5) / (df + 0.5));
                into.put(term, weight);
                sum += weight;
            }
            return sum;
        }

        double coverage(Set<String> passageWords, Set<String> passageIdentifiers) {
            if (total <= 0) {
                return Double.NaN;
            }
            double covered = 0;
            for (Map.Entry<String, Double> term : words.entrySet()) {
                if (passageWords.contains(term.getKey()) || typoOfAny(term.getKey(), passageWords)) {
                    covered += term.getValue();
                }
            }
            for (Map.Entry<String, Double> term : identifiers.entrySet()) {
                if (passageIdentifiers.contains(term.getKey())) {
                    covered += term.getValue();
                }
            }
            return covered / total;
        }

        /**
         * Share of the query's codes ({@link Codes}: {@code ace-500}, {@code un1090}, {@code 67-64-1}, not
         * quantities such as {@code 2.5} or {@code 25kg}) that the passage holds exactly; NaN when the
         * query has none.
         */
        double codeMatch(Set<String> passageIdentifiers) {
            int codes = 0;
            int held = 0;
            for (String identifier : identifiers.keySet()) {
                if (Codes.isCode(identifier)) {
                    codes++;
                    if (passageIdentifiers.contains(identifier)) {
                        held++;
                    }
                }
            }
            return codes == 0 ? Double.NaN : (double) held / codes;
        }

        private boolean typoOfAny(String term, Set<String> passageTerms) {
            int edits = settings.fuzzyTypos ? fuzzyEdits(term) : 0;
            if (edits == 0) {
                return false;
            }
            for (String candidate : passageTerms) {
                if (candidate.charAt(0) == term.charAt(0) && EditDistance.within(term, candidate, edits)) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * Reciprocal rank fusion over sources, not chunks: in each ranking a source takes the rank of its
     * best chunk, and further chunks of the same source do not push other sources down.
     */
    private List<String> addRanks(Map<String, Fused> fused, SourceIds sourceIds, TopDocs hits, double weight) throws IOException {
        Map<Integer, String> ids = sourceIds.of(hits.scoreDocs);
        // best chunk score per source, in rank order (hits are sorted best first)
        Map<String, Float> best = new LinkedHashMap<>();
        for (ScoreDoc hit : hits.scoreDocs) {
            best.putIfAbsent(ids.get(hit.doc), hit.score);
        }
        float max = Float.NEGATIVE_INFINITY;
        float min = Float.POSITIVE_INFINITY;
        for (float score : best.values()) {
            max = Math.max(max, score);
            min = Math.min(min, score);
        }
        int sourceRank = 0;
        for (Map.Entry<String, Float> source : best.entrySet()) {
            sourceRank++;
            double contribution = settings.fusion == Fusion.RRF
                    ? weight / (settings.rrfK + sourceRank)
                    : weight * (max > min ? (source.getValue() - min) / (max - min) : 1.0);
            fused.computeIfAbsent(source.getKey(), Fused::new).score += contribution;
        }
        int chunkRank = 0;
        for (ScoreDoc hit : hits.scoreDocs) {
            chunkRank++;
            fused.get(ids.get(hit.doc)).chunks.merge(hit.doc, weight / (settings.rrfK + chunkRank), Double::sum);
        }
        return List.copyOf(best.keySet());
    }

    /** How the rankings are combined. */
    public enum Fusion {
        /** Reciprocal rank fusion: each ranking adds {@code weight / (k + rank)}; uses ranks only. */
        RRF,
        /**
         * Relative score fusion: each ranking's scores are min-max normalised to 0..1 over its
         * candidates and added, weighted; keeps how much better the best hit is than the rest.
         */
        RELATIVE_SCORE
    }

    /** One source's fused score and its chunks' own fused scores (to pick the best passage). */
    private static final class Fused {
        static final Comparator<Fused> BEST_FIRST = Comparator.<Fused>comparingDouble(f -> -f.score)
                .thenComparing(f -> f.sourceId);
        final String sourceId;
        final Map<Integer, Double> chunks = new HashMap<>();
        double score;

        Fused(String sourceId) {
            this.sourceId = sourceId;
        }

        List<Integer> bestChunks(int max) {
            return chunks.entrySet().stream()
                    .sorted(Map.Entry.<Integer, Double>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                    .limit(max)
                    .map(Map.Entry::getKey)
                    .toList();
        }
    }

    /** Source id of a chunk from doc values (no stored-field decompression), stored field as fallback. */
    private static final class SourceIds {
        private final Map<Integer, String> known = new HashMap<>();
        private final IndexSearcher searcher;
        private final List<LeafReaderContext> leaves;
        private final SortedDocValues[] values;
        private StoredFields stored;

        SourceIds(IndexSearcher searcher) {
            this.searcher = searcher;
            this.leaves = searcher.getIndexReader().leaves();
            this.values = new SortedDocValues[leaves.size()];
        }

        /** Resolves the source ids of all hits, in doc id order (doc values iterate forwards only). */
        Map<Integer, String> of(ScoreDoc[] hits) throws IOException {
            int[] docs = new int[hits.length];
            for (int i = 0; i < hits.length; i++) {
                docs[i] = hits[i].doc;
            }
            Arrays.sort(docs);
            for (int doc : docs) {
                if (!known.containsKey(doc)) {
                    known.put(doc, of(doc));
                }
            }
            return known;
        }

        private String of(int doc) throws IOException {
            int leaf = ReaderUtil.subIndex(doc, leaves);
            LeafReaderContext context = leaves.get(leaf);
            int local = doc - context.docBase;
            SortedDocValues dv = values[leaf];
            if (dv == null || dv.docID() > local) {
                dv = context.reader().getSortedDocValues(F_SOURCE_ID_DV);
                values[leaf] = dv;
            }
            if (dv != null && dv.advanceExact(local)) {
                return dv.lookupOrd(dv.ordValue()).utf8ToString();
            }
            if (stored == null) {
                stored = searcher.storedFields();
            }
            return stored.document(doc, Set.of(F_SOURCE_ID)).get(F_SOURCE_ID);
        }
    }

    /**
     * Chunk documents matching every metadata filter; null when there are no metadata filters, since
     * only chunk documents have text and vector fields (a filter the kNN search would otherwise have
     * to turn into a bit set of every chunk, on every query).
     */
    private static Query filter(Map<String, String> filters) {
        if (filters.isEmpty()) {
            return null;
        }
        BooleanQuery.Builder filter = new BooleanQuery.Builder()
                .add(new TermQuery(new Term(F_KIND, KIND_CHUNK)), BooleanClause.Occur.FILTER);
        new TreeMap<>(filters).forEach((key, value) ->
                filter.add(new TermQuery(new Term(META_PREFIX + key, value)), BooleanClause.Occur.FILTER));
        return filter.build();
    }

    /**
     * The query's words OR-ed over chunk text and title. A word the index does not hold at all (a typo
     * such as {@code tolune}) is matched fuzzily (Levenshtein distance 1 for 4-5 letters, 2 from 6
     * letters, first letter fixed) against the words the index does hold.
     */
    private Query keywordQuery(IndexSearcher searcher, String text, Query filter) throws IOException {
        BooleanQuery.Builder should = new BooleanQuery.Builder();
        int clauses = 0;
        IndexReader reader = searcher.getIndexReader();
        Set<String> terms = terms(F_TEXT, text);
        for (String term : terms) {
            Term inText = new Term(F_TEXT, term);
            Term inTitle = new Term(F_TITLE_TEXT, term);
            int maxEdits = settings.fuzzyTypos ? fuzzyEdits(term) : 0;
            if (maxEdits > 0 && reader.docFreq(inText) == 0 && reader.docFreq(inTitle) == 0) {
                should.add(new FuzzyQuery(inText, maxEdits, 1, FUZZY_EXPANSIONS, true), BooleanClause.Occur.SHOULD);
                should.add(new BoostQuery(new FuzzyQuery(inTitle, maxEdits, 1, FUZZY_EXPANSIONS, true),
                        (float) settings.titleBoost), BooleanClause.Occur.SHOULD);
            } else {
                should.add(new TermQuery(inText), BooleanClause.Occur.SHOULD);
                should.add(new BoostQuery(new TermQuery(inTitle), (float) settings.titleBoost), BooleanClause.Occur.SHOULD);
            }
            clauses += 2;
        }
        return clauses == 0 ? null : filtered(should.build(), filter);
    }

    /** Edits allowed for a misspelt word: none for short words or ones with digits, then 1, then 2. */
    private static int fuzzyEdits(String term) {
        for (int i = 0; i < term.length(); i++) {
            if (!Character.isLetter(term.charAt(i))) {
                return 0;
            }
        }
        return term.length() < 4 ? 0 : term.length() < 6 ? 1 : 2;
    }

    /** Whole identifiers of the query ({@code ace-500}, {@code 67-64-1}); null when it has none. */
    private Query identifierQuery(String text, Query filter) throws IOException {
        BooleanQuery.Builder should = new BooleanQuery.Builder();
        int clauses = 0;
        for (String term : terms(F_IDENT, text)) {
            should.add(new TermQuery(new Term(F_IDENT, term)), BooleanClause.Occur.SHOULD);
            clauses++;
        }
        return clauses == 0 ? null : filtered(should.build(), filter);
    }

    private static Query filtered(Query query, Query filter) {
        if (filter == null) {
            return query;
        }
        return new BooleanQuery.Builder()
                .add(query, BooleanClause.Occur.MUST)
                .add(filter, BooleanClause.Occur.FILTER)
                .build();
    }

    private Set<String> terms(String field, String text) throws IOException {
        Set<String> terms = new LinkedHashSet<>();
        try (TokenStream stream = analyzer.tokenStream(field, text)) {
            CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
            stream.reset();
            while (stream.incrementToken() && terms.size() < MAX_QUERY_TERMS) {
                terms.add(term.toString());
            }
            stream.end();
        }
        return terms;
    }

    @Override
    public void upsert(List<KnowledgeDocument> documents) {
        Objects.requireNonNull(documents, "documents");
        ensureOpen();
        if (documents.isEmpty()) {
            return;
        }
        Map<String, KnowledgeDocument> latest = DocumentBatches.latestPerSource(documents);
        writeLock.lock();
        try {
            Map<String, String> held = hashesOf(latest.keySet());
            List<KnowledgeDocument> changed = new ArrayList<>();
            for (KnowledgeDocument document : latest.values()) {
                if (!KnowledgeCatalog.contentHash(document).equals(held.get(document.sourceId()))) {
                    changed.add(document);
                }
            }
            if (changed.isEmpty()) {
                LOG.debug("knowledge upsert: {} documents unchanged", latest.size());
                return;
            }
            write(changed);
            commit();
            searchers.maybeRefreshBlocking();
            LOG.debug("knowledge upsert: {} changed, {} unchanged", changed.size(), latest.size() - changed.size());
        } catch (IOException e) {
            throw new RetriableException(COMPONENT, "knowledge index write failed: " + e, e);
        } finally {
            writeLock.unlock();
        }
    }

    /** Chunks, embeds and writes documents, a group at a time so memory stays bounded. */
    private void write(List<KnowledgeDocument> documents) throws IOException {
        int group = Math.max(1, settings.embeddingBatchSize * 8);
        List<KnowledgeDocument> pending = new ArrayList<>();
        int chunks = 0;
        for (KnowledgeDocument document : documents) {
            pending.add(document);
            chunks += Math.max(1, document.text().length() / Math.max(1, settings.chunkSize - settings.chunkOverlap));
            if (chunks >= group) {
                writeGroup(pending);
                pending.clear();
                chunks = 0;
            }
        }
        if (!pending.isEmpty()) {
            writeGroup(pending);
        }
    }

    private void writeGroup(List<KnowledgeDocument> documents) throws IOException {
        List<List<String>> chunksPerDoc = new ArrayList<>();
        List<String> toEmbed = new ArrayList<>();
        for (KnowledgeDocument document : documents) {
            List<String> chunks = chunker.split(document.text());
            chunksPerDoc.add(chunks);
            for (String chunk : chunks) {
                toEmbed.add(Chunker.embeddingText(document.title(), chunk));
            }
        }
        // embed everything first: a failing model leaves the index untouched
        List<float[]> vectors = Embeddings.embedAll(embeddingModel, toEmbed, settings.embeddingBatchSize);
        for (float[] vector : vectors) {
            if (vector.length != dimension) {
                throw new NonRetriableException(COMPONENT, "the embedding model returned a vector of "
                        + vector.length + " dimensions; the index holds " + dimension);
            }
        }
        int v = 0;
        for (int d = 0; d < documents.size(); d++) {
            KnowledgeDocument document = documents.get(d);
            List<Document> block = new ArrayList<>();
            block.add(sourceDocument(document));
            List<String> chunks = chunksPerDoc.get(d);
            for (int c = 0; c < chunks.size(); c++) {
                block.add(chunkDocument(document, c, chunks.get(c), vectors.get(v++)));
            }
            writer.updateDocuments(new Term(F_SOURCE_ID, document.sourceId()), block);
        }
    }

    private static Document sourceDocument(KnowledgeDocument document) {
        Document doc = new Document();
        doc.add(new StringField(F_KIND, KIND_SOURCE, Field.Store.NO));
        doc.add(new StringField(F_SOURCE_ID, document.sourceId(), Field.Store.YES));
        doc.add(new StoredField(F_TITLE, document.title()));
        doc.add(new StoredField(F_FULL_TEXT, document.text()));
        doc.add(new StoredField(F_HASH, KnowledgeCatalog.contentHash(document)));
        new TreeMap<>(document.metadata()).forEach((key, value) -> {
            doc.add(new StoredField(META_KEYS, key));
            doc.add(new StoredField(SOURCE_META_PREFIX + key, value));
        });
        return doc;
    }

    private static Document chunkDocument(KnowledgeDocument document, int index, String chunk, float[] vector) {
        Document doc = new Document();
        doc.add(new StringField(F_KIND, KIND_CHUNK, Field.Store.NO));
        doc.add(new StringField(F_SOURCE_ID, document.sourceId(), Field.Store.YES));
        doc.add(new SortedDocValuesField(F_SOURCE_ID_DV, new BytesRef(document.sourceId())));
        doc.add(new StoredField(F_CHUNK, index));
        doc.add(new StoredField(F_TITLE, document.title()));
        doc.add(new TextField(F_TITLE_TEXT, document.title(), Field.Store.NO));
        doc.add(new TextField(F_TEXT, chunk, Field.Store.YES));
        doc.add(new TextField(F_IDENT, document.title() + "\n" + chunk, Field.Store.NO));
        doc.add(new KnnFloatVectorField(F_VECTOR, vector, VectorSimilarityFunction.COSINE));
        document.metadata().forEach((key, value) -> doc.add(new StringField(META_PREFIX + key, value, Field.Store.NO)));
        return doc;
    }

    @Override
    public void delete(Collection<String> sourceIds) {
        Objects.requireNonNull(sourceIds, "sourceIds");
        ensureOpen();
        if (sourceIds.isEmpty()) {
            return;
        }
        writeLock.lock();
        try {
            Term[] terms = sourceIds.stream().distinct().map(id -> new Term(F_SOURCE_ID, id)).toArray(Term[]::new);
            writer.deleteDocuments(terms);
            commit();
            searchers.maybeRefreshBlocking();
        } catch (IOException e) {
            throw new RetriableException(COMPONENT, "knowledge index delete failed: " + e, e);
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public Map<String, String> sourceVersions(String sourceIdPrefix) {
        Objects.requireNonNull(sourceIdPrefix, "sourceIdPrefix");
        ensureOpen();
        Query query = sourcesWhere(sourceIdPrefix.isEmpty() ? new MatchAllDocsQuery()
                : new PrefixQuery(new Term(F_SOURCE_ID, sourceIdPrefix)));
        try {
            return withSearcher(searcher -> {
                Map<String, String> versions = new TreeMap<>();
                StoredFields stored = searcher.storedFields();
                for (ScoreDoc hit : searcher.search(query, Math.max(1, searcher.getIndexReader().maxDoc())).scoreDocs) {
                    Document doc = stored.document(hit.doc, Set.of(F_SOURCE_ID, F_HASH));
                    versions.put(doc.get(F_SOURCE_ID), doc.get(F_HASH));
                }
                return versions;
            });
        } catch (IOException e) {
            throw new RetriableException(COMPONENT, "knowledge index read failed: " + e, e);
        }
    }

    /** Content hashes of the given sources, from the current (own, up to date) view of the index. */
    private Map<String, String> hashesOf(Collection<String> sourceIds) throws IOException {
        searchers.maybeRefreshBlocking();
        return withSearcher(searcher -> {
            Map<String, String> hashes = new HashMap<>();
            StoredFields stored = searcher.storedFields();
            for (String sourceId : sourceIds) {
                TopDocs hits = searcher.search(sourcesWhere(new TermQuery(new Term(F_SOURCE_ID, sourceId))), 1);
                if (hits.scoreDocs.length > 0) {
                    hashes.put(sourceId, stored.document(hits.scoreDocs[0].doc, Set.of(F_HASH)).get(F_HASH));
                }
            }
            return hashes;
        });
    }

    /** The source documents (one per source id, holding its full text and hash) that {@code match}. */
    private static Query sourcesWhere(Query match) {
        return new BooleanQuery.Builder()
                .add(new TermQuery(new Term(F_KIND, KIND_SOURCE)), BooleanClause.Occur.FILTER)
                .add(match, BooleanClause.Occur.FILTER)
                .build();
    }

    private interface SearcherCall<T> {
        T apply(IndexSearcher searcher) throws IOException;
    }

    /** Runs {@code call} on the current snapshot and gives the snapshot back. */
    private <T> T withSearcher(SearcherCall<T> call) throws IOException {
        IndexSearcher searcher = searchers.acquire();
        try {
            return call.apply(searcher);
        } finally {
            searchers.release(searcher);
        }
    }

    /** Splits and re-embeds every source from the full texts stored in the index itself. */
    private void rebuild(String from, String to) throws IOException {
        LOG.warn("knowledge index {} was built with {}; splitting and re-embedding every source with {}", path, from, to);
        List<KnowledgeDocument> sources = withSearcher(searcher -> {
            List<KnowledgeDocument> all = new ArrayList<>();
            StoredFields stored = searcher.storedFields();
            TopDocs hits = searcher.search(new TermQuery(new Term(F_KIND, KIND_SOURCE)),
                    Math.max(1, searcher.getIndexReader().maxDoc()));
            for (ScoreDoc hit : hits.scoreDocs) {
                all.add(toKnowledgeDocument(stored.document(hit.doc)));
            }
            return all;
        });
        writer.deleteAll();
        write(sources);
        commit();
        searchers.maybeRefreshBlocking();
        LOG.info("knowledge index {}: re-embedded {} sources with {}", path, sources.size(), to);
    }

    private static KnowledgeDocument toKnowledgeDocument(Document doc) {
        Map<String, String> metadata = new HashMap<>();
        for (IndexableField key : doc.getFields(META_KEYS)) {
            metadata.put(key.stringValue(), doc.get(SOURCE_META_PREFIX + key.stringValue()));
        }
        return new KnowledgeDocument(doc.get(F_SOURCE_ID), doc.get(F_TITLE), doc.get(F_FULL_TEXT), metadata);
    }

    private void commit() throws IOException {
        writer.setLiveCommitData(Map.of(MODEL_KEY, modelName, DIMENSION_KEY, Integer.toString(dimension),
                CHUNKING_KEY, chunking()).entrySet());
        writer.commit();
    }

    /**
     * Merges the index down to one segment and commits, for after a bulk load or a full sync. Searches
     * keep running meanwhile (on the previous snapshot) and return the same results afterwards; a
     * search over one segment is faster than over many (one HNSW graph, one term dictionary to walk).
     * It rewrites the whole index, so it costs about as long as building the HNSW graph once: call it
     * after large loads, not after every small upsert.
     *
     * <pre>{@code
     * ingester.sync();
     * store.optimize();
     * }</pre>
     *
     * @throws RetriableException the index could not be written
     */
    public void optimize() {
        ensureOpen();
        writeLock.lock();
        try {
            ensureOpen();
            writer.forceMerge(1);
            commit();
            searchers.maybeRefreshBlocking();
            LOG.info("knowledge index {} merged to one segment", path);
        } catch (IOException e) {
            throw new RetriableException(COMPONENT, "knowledge index merge failed: " + e, e);
        } finally {
            writeLock.unlock();
        }
    }

    /** Number of index segments in the current snapshot (for tests, metrics and benchmarks). */
    public int segmentCount() {
        ensureOpen();
        try {
            return withSearcher(searcher -> searcher.getIndexReader().leaves().size());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Number of chunks in the index (for tests, metrics and benchmarks). */
    public int chunkCount() {
        ensureOpen();
        try {
            return withSearcher(searcher -> searcher.count(new TermQuery(new Term(F_KIND, KIND_CHUNK))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int embeddingDimension(EmbeddingModel model) {
        try {
            int dimension = model.dimension();
            if (dimension < 1) {
                throw new NonRetriableException(COMPONENT, "the embedding model reports dimension " + dimension);
            }
            return dimension;
        } catch (RagmailException e) {
            throw e;
        } catch (RuntimeException e) {
            throw Embeddings.translate(e);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the knowledge store is closed");
        }
    }

    /**
     * Closes the index; committed data stays on disk.
     *
     * @throws NonRetriableException when the index cannot be closed cleanly (a disk error); what was
     *                               committed before stays readable
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        writeLock.lock();
        try {
            closed = true;
            try {
                searchers.close();
            } finally {
                try {
                    writer.close();
                } finally {
                    directory.close();
                }
            }
        } catch (IOException e) {
            throw new NonRetriableException(COMPONENT, "closing the knowledge index failed: " + e.getMessage(), e);
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    public String toString() {
        return "LuceneKnowledgeStore[" + path + ", " + wanted() + "]";
    }

    /**
     * Settings of a {@link LuceneKnowledgeStore}. Only {@link #directory(Path)} is required.
     *
     * <pre>{@code
     * LuceneKnowledgeStore store = LuceneKnowledgeStore.builder()
     *         .directory(Path.of("data/knowledge"))
     *         .embeddingModel(myModel)
     *         .chunkSize(1000).chunkOverlap(150)
     *         .build();
     * }</pre>
     */
    public static final class Builder {
        private Path directory;
        private EmbeddingModel embeddingModel;
        private String embeddingModelName;
        private int chunkSize = DEFAULT_CHUNK_SIZE;
        private int chunkOverlap = DEFAULT_CHUNK_OVERLAP;
        private int embeddingBatchSize = DEFAULT_EMBEDDING_BATCH_SIZE;
        private int candidates = DEFAULT_CANDIDATES;
        private int rrfK = DEFAULT_RRF_K;
        private double keywordWeight = DEFAULT_KEYWORD_WEIGHT;
        private double vectorWeight = DEFAULT_VECTOR_WEIGHT;
        private double identifierWeight = DEFAULT_IDENTIFIER_WEIGHT;
        private int maxPassagesPerSource = DEFAULT_MAX_PASSAGES_PER_SOURCE;
        private String queryPrefix;
        private double titleBoost = DEFAULT_TITLE_BOOST;
        private boolean fuzzyTypos = DEFAULT_FUZZY_TYPOS;
        private Fusion fusion = DEFAULT_FUSION;
        private int keepTopOfEachRanking = DEFAULT_KEEP_TOP_OF_EACH_RANKING;
        private boolean fullStopWords = DEFAULT_FULL_STOP_WORDS;
        private boolean rebuildOnModelChange;
        private boolean recreateIfUnrecoverable;
        private boolean verifyChecksumsOnOpen;
        private Clock clock = Clock.systemUTC();
        private Integer warmUpSearches;

        private Builder() {
        }

        private Builder copy() {
            Builder b = new Builder();
            b.directory = directory;
            b.embeddingModel = embeddingModel;
            b.embeddingModelName = embeddingModelName;
            b.chunkSize = chunkSize;
            b.chunkOverlap = chunkOverlap;
            b.embeddingBatchSize = embeddingBatchSize;
            b.candidates = candidates;
            b.rrfK = rrfK;
            b.keywordWeight = keywordWeight;
            b.vectorWeight = vectorWeight;
            b.identifierWeight = identifierWeight;
            b.maxPassagesPerSource = maxPassagesPerSource;
            b.queryPrefix = queryPrefix;
            b.titleBoost = titleBoost;
            b.fuzzyTypos = fuzzyTypos;
            b.fusion = fusion;
            b.keepTopOfEachRanking = keepTopOfEachRanking;
            b.fullStopWords = fullStopWords;
            b.rebuildOnModelChange = rebuildOnModelChange;
            b.recreateIfUnrecoverable = recreateIfUnrecoverable;
            b.verifyChecksumsOnOpen = verifyChecksumsOnOpen;
            b.clock = clock;
            b.warmUpSearches = warmUpSearches;
            return b;
        }

        /** The index folder (created if missing), such as {@code <data dir>/knowledge}. Required. */
        public Builder directory(Path directory) {
            this.directory = directory;
            return this;
        }

        /** The model that embeds chunks and queries; default: in-process quantized bge-small-en-v1.5. */
        public Builder embeddingModel(EmbeddingModel embeddingModel) {
            this.embeddingModel = embeddingModel;
            return this;
        }

        /**
         * The name recorded in the index for the model's vectors; default: the model's
         * {@code modelName()}, or its class name when it reports none.
         */
        public Builder embeddingModelName(String embeddingModelName) {
            this.embeddingModelName = embeddingModelName;
            return this;
        }

        /** Maximum chunk size in characters; default {@link #DEFAULT_CHUNK_SIZE}. */
        public Builder chunkSize(int chunkSize) {
            this.chunkSize = chunkSize;
            return this;
        }

        /** Overlap between neighbouring chunks in characters; default {@link #DEFAULT_CHUNK_OVERLAP}. */
        public Builder chunkOverlap(int chunkOverlap) {
            this.chunkOverlap = chunkOverlap;
            return this;
        }

        /** Chunks per embedding call; default {@link #DEFAULT_EMBEDDING_BATCH_SIZE}. */
        public Builder embeddingBatchSize(int embeddingBatchSize) {
            this.embeddingBatchSize = embeddingBatchSize;
            return this;
        }

        /** Hits taken from each ranking before fusion; default {@link #DEFAULT_CANDIDATES}. */
        public Builder candidates(int candidates) {
            this.candidates = candidates;
            return this;
        }

        /** The {@code k} constant of reciprocal rank fusion; default {@link #DEFAULT_RRF_K}. */
        public Builder rrfK(int rrfK) {
            this.rrfK = rrfK;
            return this;
        }

        /** Weight of the BM25 ranking (0 turns it off); default {@link #DEFAULT_KEYWORD_WEIGHT}. */
        public Builder keywordWeight(double keywordWeight) {
            this.keywordWeight = keywordWeight;
            return this;
        }

        /** Weight of the vector ranking (0 turns it off); default {@link #DEFAULT_VECTOR_WEIGHT}. */
        public Builder vectorWeight(double vectorWeight) {
            this.vectorWeight = vectorWeight;
            return this;
        }

        /** Weight of the whole-identifier ranking (0 turns it off); default {@link #DEFAULT_IDENTIFIER_WEIGHT}. */
        public Builder identifierWeight(double identifierWeight) {
            this.identifierWeight = identifierWeight;
            return this;
        }

        /** At most this many passages of one source per result; default {@link #DEFAULT_MAX_PASSAGES_PER_SOURCE}. */
        public Builder maxPassagesPerSource(int maxPassagesPerSource) {
            this.maxPassagesPerSource = maxPassagesPerSource;
            return this;
        }

        /**
         * Text put before every query before embedding it (bge and e5 models want an instruction);
         * default {@link #BGE_QUERY_INSTRUCTION} with the default model, none with any other model.
         */
        public Builder queryPrefix(String queryPrefix) {
            this.queryPrefix = Objects.requireNonNull(queryPrefix, "queryPrefix");
            return this;
        }

        /** Boost of title matches in the BM25 ranking; default {@link #DEFAULT_TITLE_BOOST}. */
        public Builder titleBoost(double titleBoost) {
            this.titleBoost = titleBoost;
            return this;
        }

        /**
         * Use the full Snowball English stop word list (174 words: pronouns, auxiliaries, question
         * words) instead of Lucene's short default (33 words); default {@link #DEFAULT_FULL_STOP_WORDS}.
         * Changing it changes how text is indexed: rebuild the index after changing it.
         */
        public Builder fullStopWords(boolean fullStopWords) {
            this.fullStopWords = fullStopWords;
            return this;
        }

        /** How the rankings are combined; default {@link #DEFAULT_FUSION}. */
        public Builder fusion(Fusion fusion) {
            this.fusion = Objects.requireNonNull(fusion, "fusion");
            return this;
        }

        /**
         * The first this many sources of each ranking are kept among the results whatever the fused
         * order (0 = plain fusion); default {@link #DEFAULT_KEEP_TOP_OF_EACH_RANKING}.
         */
        public Builder keepTopOfEachRanking(int keepTopOfEachRanking) {
            this.keepTopOfEachRanking = keepTopOfEachRanking;
            return this;
        }

        /** Match query words the index does not hold fuzzily (typos); default {@link #DEFAULT_FUZZY_TYPOS}. */
        public Builder fuzzyTypos(boolean fuzzyTypos) {
            this.fuzzyTypos = fuzzyTypos;
            return this;
        }

        /** Re-embed every source when the index was built by another model, instead of refusing; default false. */
        public Builder rebuildOnModelChange(boolean rebuildOnModelChange) {
            this.rebuildOnModelChange = rebuildOnModelChange;
            return this;
        }

        /**
         * When no commit of the index is readable, move the folder aside and start empty (logged as an
         * error; the caller must re-sync), instead of throwing {@link KnowledgeIndexCorruptedException};
         * default false.
         */
        public Builder recreateIfUnrecoverable(boolean recreateIfUnrecoverable) {
            this.recreateIfUnrecoverable = recreateIfUnrecoverable;
            return this;
        }

        /** Verify every file's checksum on open (reads the whole index; slower open); default false. */
        public Builder verifyChecksumsOnOpen(boolean verifyChecksumsOnOpen) {
            this.verifyChecksumsOnOpen = verifyChecksumsOnOpen;
            return this;
        }

        /**
         * Searches run at open to warm up the embedding model and the search code, so that the first
         * mail after a start is as quick as the rest; default {@value LuceneKnowledgeStore#DEFAULT_WARM_UP_SEARCHES}
         * with the default in-process model, 0 with a model set by {@link #embeddingModel} (with a
         * remote model each would be an API call). 0 turns it off.
         */
        public Builder warmUpSearches(int warmUpSearches) {
            this.warmUpSearches = warmUpSearches;
            return this;
        }

        /** The clock that names a moved-aside corrupt index; default the system UTC clock. */
        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /**
         * Opens (or creates) the index.
         *
         * @throws IllegalArgumentException a setting is invalid (the message names it)
         * @throws EmbeddingModelMismatchException the index was built by another model
         * @throws KnowledgeIndexCorruptedException the index is unreadable
         * @throws RetriableException the folder could not be read or written
         */
        public LuceneKnowledgeStore build() {
            Settings.required(directory, "directory");
            Chunker.checkSettings(chunkSize, chunkOverlap);
            if (embeddingBatchSize < 1) {
                throw new IllegalArgumentException("embeddingBatchSize must be at least 1, was " + embeddingBatchSize);
            }
            if (candidates < 1) {
                throw new IllegalArgumentException("candidates must be at least 1, was " + candidates);
            }
            if (rrfK < 0) {
                throw new IllegalArgumentException("rrfK must be at least 0, was " + rrfK);
            }
            if (!(keywordWeight >= 0) || !(vectorWeight >= 0) || keywordWeight + vectorWeight == 0) {
                throw new IllegalArgumentException("keywordWeight and vectorWeight must be at least 0 and not both 0, were "
                        + keywordWeight + " and " + vectorWeight);
            }
            if (!(identifierWeight >= 0)) {
                throw new IllegalArgumentException("identifierWeight must be at least 0, was " + identifierWeight);
            }
            if (keepTopOfEachRanking < 0) {
                throw new IllegalArgumentException("keepTopOfEachRanking must be at least 0, was " + keepTopOfEachRanking);
            }
            if (maxPassagesPerSource < 1) {
                throw new IllegalArgumentException("maxPassagesPerSource must be at least 1, was " + maxPassagesPerSource);
            }
            if (!(titleBoost > 0) || Double.isInfinite(titleBoost)) {
                throw new IllegalArgumentException("titleBoost must be a positive number, was " + titleBoost);
            }
            Settings.required(clock, "clock");
            if (warmUpSearches != null && (warmUpSearches < 0 || warmUpSearches > 100)) {
                throw new IllegalArgumentException("warmUpSearches must be within 0..100, was " + warmUpSearches);
            }
            try {
                return new LuceneKnowledgeStore(this);
            } catch (IOException e) {
                throw new RetriableException(COMPONENT, "cannot open the knowledge index in " + directory + ": " + e, e);
            }
        }
    }
}
