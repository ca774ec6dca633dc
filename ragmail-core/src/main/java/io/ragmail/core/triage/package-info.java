/** Deciding whether a mail is answered at all: loop and auto-reply guards (RFC 3834) and reply rate limits. */
package io.ragmail.core.triage;
