/** Sender verification from our own receiving server's {@code Authentication-Results} (RFC 8601). */
package io.ragmail.core.verify;
