/** Implementation details of the knowledge stores (analyzers, embedding helpers, index recovery); not a public API. */
package io.ragmail.core.knowledge.internal;
