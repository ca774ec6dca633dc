package io.ragmail.core;

/**
 * A fault that trying again will not fix: rejected credentials, a bad configuration value, input
 * that cannot be processed. The mail concerned goes to the failed-mail queue (DEAD) with this error
 * so an operator can act and retry it.
 */
public class NonRetriableException extends RagmailException {

    private static final long serialVersionUID = 1L;

    public NonRetriableException(String component, String message) {
        super(component, message);
    }

    public NonRetriableException(String component, String message, Throwable cause) {
        super(component, message, cause);
    }
}
