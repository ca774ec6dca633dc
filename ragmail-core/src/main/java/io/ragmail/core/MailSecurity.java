package io.ragmail.core;

/** How a mail connection is protected. */
public enum MailSecurity {
    /** Plain text; only for a server on the same host or a test. */
    NONE,
    /** Plain connection upgraded with STARTTLS, which is required. */
    STARTTLS,
    /** TLS from the first byte (IMAPS 993, SMTPS 465). */
    SSL
}
