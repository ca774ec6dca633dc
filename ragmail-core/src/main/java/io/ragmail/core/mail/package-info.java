/**
 * Helpers for adapters that talk to mail servers: {@link io.ragmail.core.mail.MailSessions} (Jakarta
 * Mail sessions with ragmail's timeouts and TLS settings for a {@link io.ragmail.core.MailAccount}) and
 * {@link io.ragmail.core.mail.MailErrors} (a server's error as a typed ragmail exception, with secrets
 * masked). The plumbing behind the IMAP and SMTP adapters is in {@code mail.internal}, which is not API.
 */
package io.ragmail.core.mail;
