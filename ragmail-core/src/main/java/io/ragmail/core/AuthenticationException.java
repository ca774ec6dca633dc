package io.ragmail.core;

/**
 * A service rejected our credentials (IMAP/SMTP login, Mistral 401/403, Odoo access denied). Not
 * retried as such, and critical: every mail would fail the same way until an operator fixes the
 * credentials, so mail waits (in RETRY, without using up its attempts) instead of going DEAD.
 */
public class AuthenticationException extends NonRetriableException {

    private static final long serialVersionUID = 1L;

    public AuthenticationException(String component, String message) {
        super(component, message);
    }

    public AuthenticationException(String component, String message, Throwable cause) {
        super(component, message, cause);
    }
}
