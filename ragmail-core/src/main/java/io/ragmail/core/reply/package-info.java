/** Composing replies: threading headers, subjects, loop-prevention headers. */
package io.ragmail.core.reply;
