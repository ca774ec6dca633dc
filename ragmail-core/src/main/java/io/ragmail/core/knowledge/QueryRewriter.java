package io.ragmail.core.knowledge;

import io.ragmail.core.TokenUsage;

import java.util.Objects;
import java.util.Optional;

/**
 * Rewrites a mail's search query into the knowledge base's language and vocabulary, for mail written
 * in another language than the knowledge base (a German question over English pages). {@link
 * MailSearch} searches with the original query <em>and</em> the rewritten one and merges the results,
 * so a rewrite can only add passages; it asks only for mail whose detected language differs from the
 * knowledge base's. The default is {@link #NONE}: no rewriting.
 *
 * <pre>{@code
 * MailSearch search = MailSearch.builder()
 *         .store(store)
 *         .queryRewriter(MistralQueryRewriter.builder().apiKey(apiKey).build())
 *         .build();
 * }</pre>
 *
 * <p>An implementation should return {@link Optional#empty()} when it cannot rewrite (timeout, service
 * down): the original query is then searched alone. {@code MailSearch} also treats an exception as
 * "no rewrite", logs it without the mail's text and goes on.
 */
@FunctionalInterface
public interface QueryRewriter {

    /** No rewriting: every mail is searched with its own words only. */
    QueryRewriter NONE = request -> Optional.empty();

    /** The query in the knowledge base's language, or empty when it cannot be rewritten. */
    Optional<Rewritten> rewrite(Request request);

    /**
     * What to rewrite.
     *
     * @param query          the mail's bounded search query (see {@link MailQuery}); untrusted customer text
     * @param language       the mail's detected language, such as {@code de}
     * @param targetLanguage the knowledge base's language, such as {@code en}
     */
    record Request(String query, String language, String targetLanguage) {
        public Request {
            Objects.requireNonNull(query, "query");
            Objects.requireNonNull(language, "language");
            Objects.requireNonNull(targetLanguage, "targetLanguage");
        }
    }

    /**
     * A rewritten query.
     *
     * @param query the query to search with, not blank
     * @param usage tokens the rewrite cost ({@link TokenUsage#NONE} when it cost none)
     */
    record Rewritten(String query, TokenUsage usage) {
        public Rewritten {
            Objects.requireNonNull(query, "query");
            if (query.isBlank()) {
                throw new IllegalArgumentException("query must not be blank");
            }
            Objects.requireNonNull(usage, "usage");
        }
    }
}
