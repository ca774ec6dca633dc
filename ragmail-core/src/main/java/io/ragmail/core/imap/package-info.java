/** IMAP adapters: the inbound mail source and the Drafts-folder review sink. */
package io.ragmail.core.imap;
