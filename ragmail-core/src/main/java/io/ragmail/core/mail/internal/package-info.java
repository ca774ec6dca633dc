/** Jakarta Mail plumbing shared by the IMAP and SMTP adapters: internal, not API; it may change in any release. */
package io.ragmail.core.mail.internal;
