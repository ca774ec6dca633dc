/** Robust MIME parsing of inbound mail into InboundMail. */
package io.ragmail.core.mime;
