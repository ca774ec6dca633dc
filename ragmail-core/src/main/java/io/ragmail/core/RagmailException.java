package io.ragmail.core;

/**
 * Root of every exception ragmail throws. Callers decide what to do by type, never by message:
 * {@link RetriableException} for faults that may pass (timeouts, dropped connections, 429, 5xx) and
 * {@link NonRetriableException} for faults that will not (bad credentials, bad configuration,
 * malformed input).
 *
 * <p>Messages never contain secrets; the {@link #component()} names the dependency that failed, in
 * the {@link Component} vocabulary ({@code "imap"}, {@code "smtp"}, {@code "mistral"}, {@code "odoo"},
 * {@code "ledger"}, …), which the pipeline's events and the health components use too.
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

    /** The dependency that failed, such as {@link Component#IMAP}; {@code "unknown"} when none was given. */
    public String component() {
        return component;
    }
}
