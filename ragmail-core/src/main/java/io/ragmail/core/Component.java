package io.ragmail.core;

import java.util.List;

/**
 * The names of ragmail's components: one vocabulary for {@link RagmailException#component()}, the
 * pipeline's events ({@code ComponentDownEvent}, {@code RetryScheduledEvent}, {@code MailDeadEvent}),
 * the component a mail waits on in the ledger, and what operators see: the components of
 * {@code /health}, the {@code component} label of the metrics, the alerts.
 *
 * <p>A component is the dependency an operator can fix (the IMAP server, Mistral, Odoo), not the
 * pipeline stage that called it. The pipeline names a failure after the component its exception names;
 * only a failure that names none (an exception other than a {@link RagmailException}, thrown by an
 * adapter of your own) is named after the role that failed: {@link #DRAFTER}, {@link #ERP},
 * {@link #KNOWLEDGE}, the sink's or source's {@code name()}, or {@link #PIPELINE}.
 *
 * <p>Your own adapter names its component in its exceptions and in {@link MailSource#name()} /
 * {@link MailSink#name()}, with one of these names when it stands for the same thing, else a short
 * lower-case name of its own, the same in both places:
 *
 * <pre>{@code
 * throw new RetriableException(Component.SMTP, "relay refused the connection");
 * throw new RetriableException("eml-folder", "cannot read " + inbox);
 * }</pre>
 */
public final class Component {

    /** The IMAP server: {@code ImapMailSource} and {@code ImapDraftsSink}, which share its account. */
    public static final String IMAP = "imap";
    /** The SMTP server of {@code SmtpMailSink}. */
    public static final String SMTP = "smtp";
    /** Odoo, through {@code OdooErpClient} and the knowledge sync. */
    public static final String ODOO = "odoo";
    /** The Mistral API, through {@code MistralDrafter}. */
    public static final String MISTRAL = "mistral";
    /** The knowledge store: its index, its embedding model, its files. */
    public static final String KNOWLEDGE = "knowledge";
    /** The processing ledger. */
    public static final String LEDGER = "ledger";
    /** An ERP client other than Odoo ({@code JsonFileErpClient}), or one whose failure names no component. */
    public static final String ERP = "erp";
    /** A drafter whose failure names no component (Mistral's failures name {@link #MISTRAL}). */
    public static final String DRAFTER = "drafter";
    /** The pipeline itself: a failure outside every dependency (a bug, an attempt that never ended). */
    public static final String PIPELINE = "pipeline";
    /** The disk of the data directory (a health probe). */
    public static final String DISK = "disk";
    /** The JVM's heap (a health probe). */
    public static final String MEMORY = "memory";

    /** Every name above. */
    public static final List<String> ALL =
            List.of(IMAP, SMTP, ODOO, MISTRAL, KNOWLEDGE, LEDGER, ERP, DRAFTER, PIPELINE, DISK, MEMORY);

    private Component() {
    }
}
