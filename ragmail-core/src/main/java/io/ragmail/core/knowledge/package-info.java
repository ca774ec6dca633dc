/**
 * The default knowledge stores: {@link io.ragmail.core.knowledge.LuceneKnowledgeStore} (hybrid BM25 +
 * vector search in one on-disk Lucene index), {@link io.ragmail.core.knowledge.EmbeddingStoreKnowledgeStore}
 * (any langchain4j embedding store) and {@link io.ragmail.core.knowledge.FileKnowledgeIngester}, which
 * keeps a store in sync with a folder of documents; {@link io.ragmail.core.knowledge.MailSearch}, which
 * searches for a mail and measures the evidence, optionally with a {@link io.ragmail.core.knowledge.QueryRewriter}.
 */
package io.ragmail.core.knowledge;
