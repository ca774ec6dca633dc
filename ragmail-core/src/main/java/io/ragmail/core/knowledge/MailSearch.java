package io.ragmail.core.knowledge;

import io.ragmail.core.EvidenceStrength;
import io.ragmail.core.InboundMail;
import io.ragmail.core.KnowledgeQuery;
import io.ragmail.core.KnowledgeStore;
import io.ragmail.core.Passage;
import io.ragmail.core.TokenUsage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Searches the knowledge base for a mail: with the bounded query of {@link MailQuery} (the new text,
 * not the quoted thread or the signature), and, when the mail asks several questions, once more per
 * question, merging the results in turns so that each question's best page has a place; with a
 * {@link QueryRewriter}, a mail in another language than the knowledge base's is also searched with
 * its query rewritten into that language; then measures how strongly the passages support an answer
 * ({@link EvidenceStrength}).
 *
 * <pre>{@code
 * MailSearch search = MailSearch.builder().store(store).build();
 * MailSearch.Result result = search.search(mail);
 * DraftRequest request = new DraftRequest(mail, result.passages(), facts, sender, withheld, result.evidence());
 * }</pre>
 */
public final class MailSearch {

    /** Passages handed to the drafter. */
    public static final int DEFAULT_MAX_RESULTS = KnowledgeQuery.DEFAULT_MAX_RESULTS;
    /** Passages of each result whose match signals count for the evidence: the answer may be second or third. */
    public static final int EVIDENCE_DEPTH = 3;
    /**
     * Cosine similarity (bge-small-en-v1.5, with its query instruction) at which a passage counts as
     * fully close in meaning, and the one at which it counts as not close at all; bge puts unrelated
     * texts of one domain around 0.5 (docs/knowledge.md, "Evidence strength").
     */
    public static final double SIMILARITY_HIGH = 0.80;
    public static final double SIMILARITY_LOW = 0.55;
    /** The language of the knowledge base's documents, as {@link QueryLanguage} names it. */
    public static final String DEFAULT_KNOWLEDGE_LANGUAGE = "en";

    private static final Logger LOG = LoggerFactory.getLogger(MailSearch.class);

    private final KnowledgeStore store;
    private final MailQuery mailQuery;
    private final int maxResults;
    private final Map<String, String> filters;
    private final QueryRewriter queryRewriter;
    private final String knowledgeLanguage;

    private MailSearch(Builder b) {
        this.store = b.store;
        this.queryRewriter = b.queryRewriter;
        this.knowledgeLanguage = b.knowledgeLanguage;
        this.mailQuery = b.mailQuery;
        this.maxResults = b.maxResults;
        this.filters = Map.copyOf(b.filters);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The passages for a mail and how strongly they support an answer. */
    public Result search(InboundMail mail) {
        return search(mailQuery.of(mail));
    }

    /** The passages for a subject and plain-text body. */
    public Result search(String subject, String body) {
        return search(mailQuery.of(subject, body));
    }

    private Result search(MailQuery.Queries queries) {
        if (queries.whole().isBlank()) {
            return new Result(List.of(), EvidenceStrength.UNKNOWN, queries);
        }
        List<Passage> whole = store.search(new KnowledgeQuery(queries.whole(), maxResults, filters));
        String language = QueryLanguage.detect(queries.whole());
        Optional<QueryRewriter.Rewritten> rewritten = rewrite(queries.whole(), language);
        List<Passage> translated = rewritten.map(r -> store.search(new KnowledgeQuery(r.query(), maxResults, filters)))
                .orElse(List.of());
        TokenUsage usage = rewritten.map(QueryRewriter.Rewritten::usage).orElse(TokenUsage.NONE);
        String rewrittenQuery = rewritten.map(QueryRewriter.Rewritten::query).orElse("");
        boolean codesCount = language.isEmpty() || language.equals(knowledgeLanguage);
        if (queries.parts().isEmpty()) {
            EvidenceStrength evidence = evidence(List.of(whole), language, codesCount);
            if (rewritten.isEmpty()) {
                return new Result(whole, evidence, queries);
            }
            // the original's first passage keeps the first place: a rewrite can add passages, not lose them
            return new Result(merge(List.of(whole, translated), maxResults),
                    stronger(evidence, evidence(List.of(translated), language, true)), queries, rewrittenQuery, usage);
        }
        List<List<Passage>> perPart = new ArrayList<>();
        for (String part : queries.parts()) {
            perPart.add(store.search(new KnowledgeQuery(part, maxResults, filters)));
        }
        List<List<Passage>> all = new ArrayList<>();
        all.add(whole);
        if (rewritten.isPresent()) {
            all.add(translated);
        }
        all.addAll(perPart);
        // every question must be answered: the evidence is that of the worst-supported question
        EvidenceStrength evidence = evidence(perPart, language, codesCount);
        if (rewritten.isPresent()) {
            evidence = stronger(evidence, evidence(List.of(translated), language, true));
        }
        return new Result(merge(all, maxResults), evidence, queries, rewrittenQuery, usage);
    }

    /**
     * The query in the knowledge base's language when the mail is in another (recognised) language
     * and a rewriter is set; empty otherwise, and when the rewriter fails: the original is searched
     * alone. The log names the failure, never the mail's text.
     */
    private Optional<QueryRewriter.Rewritten> rewrite(String query, String language) {
        if (queryRewriter == QueryRewriter.NONE || language.isEmpty() || language.equals(knowledgeLanguage)) {
            return Optional.empty();
        }
        try {
            Optional<QueryRewriter.Rewritten> rewritten = queryRewriter.rewrite(
                    new QueryRewriter.Request(query, language, knowledgeLanguage));
            Objects.requireNonNull(rewritten, "the query rewriter returned null");
            return rewritten.filter(r -> !r.query().strip().equalsIgnoreCase(query.strip()));
        } catch (RuntimeException e) {
            LOG.warn("query rewriting failed ({}); searching with the original query only", e.getClass().getSimpleName());
            return Optional.empty();
        }
    }

    /** The stronger of two measurements of one mail (the weaker when one is unknown is not a measurement). */
    private static EvidenceStrength stronger(EvidenceStrength a, EvidenceStrength b) {
        if (!b.known()) {
            return a;
        }
        if (!a.known()) {
            return b;
        }
        return b.score() > a.score()
                ? new EvidenceStrength(b.score(), b.language(), b.detail() + " (query rewritten into the knowledge base's language)")
                : a;
    }

    /**
     * The results in turns: the whole mail's first, each question's first, the whole mail's second,
     * and so on, each source once (its first passage met). One question's product pages cannot fill
     * every place.
     */
    static List<Passage> merge(List<List<Passage>> results, int maxResults) {
        Map<String, Passage> merged = new LinkedHashMap<>();
        int longest = results.stream().mapToInt(List::size).max().orElse(0);
        for (int rank = 0; rank < longest && merged.size() < maxResults; rank++) {
            for (List<Passage> result : results) {
                if (rank < result.size() && merged.size() < maxResults) {
                    merged.putIfAbsent(result.get(rank).sourceId(), result.get(rank));
                }
            }
        }
        return List.copyOf(merged.values());
    }

    /**
     * The weakest of the results' evidence; a result's evidence is that of its best-supported passage
     * among the first {@link #EVIDENCE_DEPTH}; a passage's is {@link #passageEvidence}. Unknown when the
     * store reports no match signals, or returns nothing at all (no knowledge base configured, such as
     * {@code NoopKnowledgeStore}: there is nothing to measure, and a rule on evidence must not fire).
     */
    public static EvidenceStrength evidence(List<List<Passage>> results, String language) {
        return evidence(results, language, language.isEmpty() || language.equals(DEFAULT_KNOWLEDGE_LANGUAGE));
    }

    /**
     * Like {@link #evidence(List, String)}; {@code codesCount} false leaves the code match out
     * ({@link #passageEvidence(Passage, boolean)}), for results of a query in another language than
     * the knowledge base's.
     */
    public static EvidenceStrength evidence(List<List<Passage>> results, String language, boolean codesCount) {
        double weakest = Double.NaN;
        String detail = "";
        for (List<Passage> result : results) {
            double best = Double.NaN;
            Passage bestPassage = null;
            for (int i = 0; i < Math.min(EVIDENCE_DEPTH, result.size()); i++) {
                Passage p = result.get(i);
                double e = passageEvidence(p, codesCount);
                if (!Double.isNaN(e) && (bestPassage == null || e > best)) {
                    best = e;
                    bestPassage = p;
                }
            }
            if (bestPassage == null) {
                continue; // nothing returned, or no signals: this result says nothing either way
            }
            if (Double.isNaN(weakest) || best < weakest) {
                weakest = best;
                detail = String.format(Locale.ROOT, "best passage %s: similarity %.2f, %.0f%% of the question's distinctive words",
                        bestPassage.sourceId(), bestPassage.similarity(), 100 * bestPassage.queryCoverage())
                        + (!codesCount || Double.isNaN(bestPassage.codeMatch()) ? ""
                                : String.format(Locale.ROOT, ", %.0f%% of its codes", 100 * bestPassage.codeMatch()));
            }
        }
        return Double.isNaN(weakest) ? EvidenceStrength.UNKNOWN : new EvidenceStrength(weakest, language, detail);
    }

    /**
     * One passage's support for an answer, 0..1: the mean of how much of the question's distinctive
     * (rare) words it holds and how close it is in meaning (cosine scaled from {@link #SIMILARITY_LOW}
     * to {@link #SIMILARITY_HIGH}). Both are needed: a close neighbour of an unknown product shares the
     * meaning but not the name; a page that repeats the words may be about something else.
     *
     * <p>When the question names codes (product code, CAS or UN number), the share of them the passage
     * holds exactly counts at least as much: a code the customer wrote and the page holds is the
     * strongest evidence a mail can give, while the greeting and filler words around a short code
     * question ("Dear team, please quote 10 x ACE-500 delivered to Antwerp") pull the word coverage
     * down. An unknown code ({@code ACE-9000}) matches nothing and adds nothing.
     */
    public static double passageEvidence(Passage p) {
        return passageEvidence(p, true);
    }

    /**
     * Like {@link #passageEvidence(Passage)}; {@code codesCount} false leaves the code match out. For a
     * mail in another language than the knowledge base's, a code only shows that the product exists:
     * what the customer asks about it is in words the index cannot match ("können Sie NAOH-010 nach
     * Deutschland liefern, und wie lange dauert die Lieferung?"), so the code must not make weak
     * retrieval look strong.
     */
    public static double passageEvidence(Passage p, boolean codesCount) {
        if (Double.isNaN(p.similarity()) || Double.isNaN(p.queryCoverage())) {
            return Double.NaN;
        }
        double closeness = clamp((p.similarity() - SIMILARITY_LOW) / (SIMILARITY_HIGH - SIMILARITY_LOW));
        double evidence = (closeness + clamp(p.queryCoverage())) / 2;
        return !codesCount || Double.isNaN(p.codeMatch()) ? evidence : Math.max(evidence, clamp(p.codeMatch()));
    }

    private static double clamp(double value) {
        return Math.max(0, Math.min(1, value));
    }

    /**
     * What a search found.
     *
     * @param passages       best first, at most {@code maxResults}
     * @param evidence       how strongly they support an answer
     * @param queries        what was searched for
     * @param rewrittenQuery the query rewritten into the knowledge base's language, also searched; empty when none
     * @param usage          tokens the rewriting cost ({@link TokenUsage#NONE} without rewriting)
     */
    public record Result(List<Passage> passages, EvidenceStrength evidence, MailQuery.Queries queries, String rewrittenQuery,
            TokenUsage usage) {
        public Result {
            passages = List.copyOf(passages);
            Objects.requireNonNull(evidence, "evidence");
            Objects.requireNonNull(queries, "queries");
            Objects.requireNonNull(rewrittenQuery, "rewrittenQuery");
            Objects.requireNonNull(usage, "usage");
        }

        /** A result of the mail's own words, without rewriting. */
        public Result(List<Passage> passages, EvidenceStrength evidence, MailQuery.Queries queries) {
            this(passages, evidence, queries, "", TokenUsage.NONE);
        }
    }

    /** Settings of a {@link MailSearch}; {@link #store} is required. */
    public static final class Builder {
        private KnowledgeStore store;
        private MailQuery mailQuery = MailQuery.defaults();
        private int maxResults = DEFAULT_MAX_RESULTS;
        private Map<String, String> filters = Map.of();
        private QueryRewriter queryRewriter = QueryRewriter.NONE;
        private String knowledgeLanguage = DEFAULT_KNOWLEDGE_LANGUAGE;

        private Builder() {
        }

        /**
         * Rewrites the query of a mail in another language than the knowledge base's (such as
         * {@code MistralQueryRewriter}); both queries are searched and the results merged. Default
         * {@link QueryRewriter#NONE}.
         */
        public Builder queryRewriter(QueryRewriter queryRewriter) {
            this.queryRewriter = queryRewriter;
            return this;
        }

        /**
         * The language of the knowledge base ({@code en}, {@code de}, {@code fr}, {@code es}, {@code it},
         * {@code nl}); mail detected in another language is rewritten. Default {@value #DEFAULT_KNOWLEDGE_LANGUAGE}.
         */
        public Builder knowledgeLanguage(String knowledgeLanguage) {
            this.knowledgeLanguage = knowledgeLanguage;
            return this;
        }

        /** The knowledge store to search. Required. */
        public Builder store(KnowledgeStore store) {
            this.store = store;
            return this;
        }

        /** How a mail becomes queries; default {@link MailQuery#defaults()}. */
        public Builder mailQuery(MailQuery mailQuery) {
            this.mailQuery = mailQuery;
            return this;
        }

        /** Passages per result; default {@link #DEFAULT_MAX_RESULTS}. */
        public Builder maxResults(int maxResults) {
            this.maxResults = maxResults;
            return this;
        }

        /** Metadata filters every passage must match; default none. */
        public Builder filters(Map<String, String> filters) {
            this.filters = filters;
            return this;
        }

        public MailSearch build() {
            if (store == null) {
                throw new IllegalArgumentException("store must be set");
            }
            Objects.requireNonNull(mailQuery, "mailQuery");
            Objects.requireNonNull(filters, "filters");
            if (queryRewriter == null) {
                throw new IllegalArgumentException("queryRewriter must not be null (QueryRewriter.NONE for none)");
            }
            if (knowledgeLanguage == null || !QueryLanguage.LANGUAGES.contains(knowledgeLanguage)) {
                throw new IllegalArgumentException("knowledgeLanguage must be one of " + QueryLanguage.LANGUAGES
                        + ", was " + knowledgeLanguage);
            }
            if (maxResults < 1) {
                throw new IllegalArgumentException("maxResults must be at least 1, was " + maxResults);
            }
            return new MailSearch(this);
        }
    }
}
