package io.ragmail.core;

/**
 * Root of every exception ragmail throws. Callers decide what to do by type, never by message:
 * {@link RetriableException} for faults that may pass (timeouts, dropped connections, 429, 5xx) and
 * {@link NonRetriableException} for faults that will not (bad credentials, bad configuration,
 * malformed input).
 *
 * <p>Messages never contain secrets; the {@link #component()} names the dependency that failed
 * ({@code "imap"}, {@code "smtp"}, {@code "mistral"}, {@code "odoo"}, {@code "ledger"}, …).
 */
public class RagmailException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String component;

    public RagmailException(String component, String message) {
        this(component, message, null);
    }

    public RagmailException(String component, String message, Throwable cause) {
        super(message, cause);
        this.component = component == null ? "unknown" : component;
    }

    /** The dependency or stage that failed, such as {@code "imap"} or {@code "drafter"}. */
    public String component() {
        return component;
    }
}
