package io.ragmail.daemon;

import io.ragmail.core.Draft;
import io.ragmail.core.Drafter;
import io.ragmail.core.EmailAddress;
import io.ragmail.core.MailAccount;
import io.ragmail.core.MailKey;
import io.ragmail.core.MailSecurity;
import io.ragmail.core.Pipeline;
import io.ragmail.core.RetryPolicy;
import io.ragmail.core.erp.JsonFileErpClient;
import io.ragmail.core.imap.ImapDraftsSink;
import io.ragmail.core.imap.ImapMailSource;
import io.ragmail.core.knowledge.FileKnowledgeIngester;
import io.ragmail.core.knowledge.LuceneKnowledgeStore;
import io.ragmail.core.ledger.LedgerEntry;
import io.ragmail.core.ledger.MailState;
import io.ragmail.core.ledger.SqliteLedger;
import io.ragmail.core.mistral.MistralDrafter;
import io.ragmail.core.smtp.SmtpMailSink;
import io.ragmail.core.template.TemplateDrafter;
import io.ragmail.core.verify.AuthenticationResultsVerifier;
import io.ragmail.health.HealthMonitor;
import io.ragmail.health.HealthServer;
import io.ragmail.testkit.TestMailServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/**
 * ragmail on a sample support inbox, with nothing to configure: an embedded mail server (GreenMail)
 * holding 13 realistic customer mails, a small knowledge base of products and safety data sheets
 * indexed by the real {@link LuceneKnowledgeStore} with the in-process embedding model, customer
 * records from a JSON file ({@link JsonFileErpClient}), and the health server with its dashboard.
 * It prints what ragmail decided for each mail and why, shows two replies, then keeps the dashboard
 * up until Ctrl-C ({@code --once} exits after the table). With {@code MISTRAL_API_KEY} set it drafts
 * with Mistral; without, with the offline template drafter.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Answer a sample support inbox on an embedded mail server and show what ragmail decided.",
                "Needs no configuration, no network and no API key (set MISTRAL_API_KEY to draft with Mistral)."})
final class DemoCommand implements Callable<Integer> {

    static final String SUPPORT = "support@northmoor.example";
    static final String PASSWORD = "demo-password";
    /** The authserv-id of the demo's "own" receiving server, as written in the sample mails. */
    static final String AUTHSERV_ID = "mx.northmoor.example";
    private static final String RESOURCES = "/io/ragmail/daemon/demo/";

    @Spec
    CommandSpec spec;

    @Option(names = "--once", description = "Exit after the table instead of serving the dashboard until Ctrl-C.")
    boolean once;

    @Option(names = "--port", defaultValue = "8080",
            description = "Port of the health server and dashboard on 127.0.0.1 (default ${DEFAULT-VALUE}; 0 = any free port).")
    int port;

    @Option(names = "--data-dir", description = "Where the ledger and index go (default: a new temporary folder).")
    Path dataDir;

    @Option(names = "--timeout", defaultValue = "120", description = "Seconds to wait for the inbox to be processed.")
    int timeoutSeconds;

    @Option(names = "--mail-server", paramLabel = "HOST",
            description = "Use this IMAP/SMTP server instead of the embedded one (no sample mail is delivered: its inbox is answered).")
    String mailServer;

    @Option(names = "--imap-port", defaultValue = "993", description = "With --mail-server: IMAP port (SSL).")
    int imapPort;

    @Option(names = "--smtp-port", defaultValue = "587", description = "With --mail-server: SMTP port (STARTTLS).")
    int smtpPort;

    @Option(names = "--user", description = "With --mail-server: the mailbox's login and address.")
    String user;

    @Option(names = "--password-env", defaultValue = "RAGMAIL_DEMO_PASSWORD",
            description = "With --mail-server: the environment variable holding the password (default ${DEFAULT-VALUE}).")
    String passwordEnv;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Path dir = dataDir != null ? Files.createDirectories(dataDir) : Files.createTempDirectory("ragmail-demo");
        Instant started = Instant.now();
        try (DemoMailbox mailbox = mailServer == null ? DemoMailbox.embedded() : DemoMailbox.external(this)) {
            out.printf("Mail server: %s; %s%n", mailbox.description(), mailbox.delivered() > 0
                    ? mailbox.delivered() + " sample mails are waiting in " + mailbox.address() + "'s inbox."
                    : "answering " + mailbox.address() + "'s inbox.");
            Map<MailKey, List<String>> passagesUsed = new ConcurrentHashMap<>();
            try (LuceneKnowledgeStore knowledge = LuceneKnowledgeStore.builder().directory(dir.resolve("index")).build();
                 SqliteLedger ledger = SqliteLedger.open(dir.resolve("ledger.db"));
                 HealthMonitor health = HealthMonitor.builder().ledger(ledger).dataDirectory(dir)
                         .components(List.of("imap", "smtp", "knowledge", "ledger", "disk", "memory")).build()) {
                int documents = ingestSampleKnowledge(knowledge, dir.resolve("knowledge"));
                out.printf("Knowledge: %d documents (products, safety data sheets, FAQ) indexed with the in-process model.%n",
                        documents);
                Drafter drafter = recording(chooseDrafter(out), passagesUsed);
                try (HealthServer server = startHealthServer(health, out);
                     ImapMailSource source = ImapMailSource.builder().account(mailbox.imap()).build();
                     SmtpMailSink sink = SmtpMailSink.builder().account(mailbox.smtp()).sentFolder(mailbox.imap()).build();
                     ImapDraftsSink drafts = ImapDraftsSink.builder().account(mailbox.imap()).build();
                     Pipeline pipeline = Pipeline.builder()
                             .source(source).sink(sink).reviewSink(drafts).ledger(ledger)
                             .knowledge(knowledge)
                             .erp(JsonFileErpClient.fromJson(resource("customers.json"), "the demo's customers.json"))
                             .senderVerifier(AuthenticationResultsVerifier.builder().authservId(AUTHSERV_ID).build())
                             .drafter(drafter)
                             .from(EmailAddress.of(mailbox.address()))
                             .pollWait(Duration.ofMillis(500))
                             .retryPolicy(RetryPolicy.builder().initialDelay(Duration.ofSeconds(1))
                                     .maxDelay(Duration.ofSeconds(5)).build())
                             .listener(health)
                             .build()) {
                    pipeline.start();
                    boolean done = awaitInbox(ledger, mailbox.delivered(), Duration.ofSeconds(timeoutSeconds));
                    if (!done) {
                        out.println("Timed out waiting for the pipeline; the table shows what is done so far.");
                    }
                    printTable(out, ledger, passagesUsed);
                    printReplies(out, mailbox, ledger);
                    out.printf("Processed in %.1f s. Ledger: %s%n",
                            Duration.between(started, Instant.now()).toMillis() / 1000.0, dir.resolve("ledger.db"));
                    if (once) {
                        return done ? 0 : 1;
                    }
                    out.printf("Dashboard: http://127.0.0.1:%d/  (health: /health, metrics: /metrics). Press Ctrl-C to stop.%n",
                            server.getPort());
                    out.flush();
                    awaitCtrlC();
                    return 0;
                }
            }
        }
    }

    // ---------------------------------------------------------------- assembly

    private static int ingestSampleKnowledge(LuceneKnowledgeStore store, Path folder) throws IOException {
        Files.createDirectories(folder);
        for (String name : lines(resource("knowledge/index.txt"))) {
            try (InputStream in = resource("knowledge/" + name)) {
                Files.write(folder.resolve(name), in.readAllBytes());
            }
        }
        FileKnowledgeIngester.builder().store(store).folder(folder).build().sync();
        return (int) Files.list(folder).count();
    }

    private Drafter chooseDrafter(PrintWriter out) {
        String key = System.getenv("MISTRAL_API_KEY");
        if (key != null && !key.isBlank()) {
            out.println("Drafter: Mistral (MISTRAL_API_KEY is set).");
            return MistralDrafter.builder().apiKey(key).build();
        }
        out.println("Drafter: the offline template drafter (no MISTRAL_API_KEY): it quotes the passages it found and "
                + "the customer's own records; set MISTRAL_API_KEY to draft with Mistral.");
        return TemplateDrafter.builder().autoSend(true).signature("Northmoor Chemicals customer support").build();
    }

    /** Remembers which passages each draft used, for the table. */
    private static Drafter recording(Drafter drafter, Map<MailKey, List<String>> used) {
        return request -> {
            Draft draft = drafter.draft(request);
            used.put(request.mail().key(), draft.usedSourceIds());
            return draft;
        };
    }

    private HealthServer startHealthServer(HealthMonitor health, PrintWriter out) {
        try {
            return HealthServer.builder().monitor(health).bind("127.0.0.1").port(port).build().start();
        } catch (RuntimeException e) {
            out.printf("Port %d is busy (%s); the dashboard takes a free port instead.%n", port, e.getMessage());
            return HealthServer.builder().monitor(health).bind("127.0.0.1").port(0).build().start();
        }
    }

    /** Until every delivered mail is in the ledger and none is still in progress. */
    private static boolean awaitInbox(SqliteLedger ledger, int delivered, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Map<MailState, Long> counts = ledger.countByState();
            long total = counts.values().stream().mapToLong(Long::longValue).sum();
            long open = counts.entrySet().stream().filter(e -> !e.getKey().isTerminal()).mapToLong(Map.Entry::getValue).sum();
            if (total >= Math.max(1, delivered) && open == 0) {
                return true;
            }
            Thread.sleep(200);
        }
        return false;
    }

    private static void awaitCtrlC() throws InterruptedException {
        CountDownLatch stop = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown, "ragmail-demo-stop"));
        stop.await();
    }

    // ---------------------------------------------------------------- report

    static void printTable(PrintWriter out, SqliteLedger ledger, Map<MailKey, List<String>> passagesUsed) {
        List<LedgerEntry> entries = new ArrayList<>();
        for (MailState state : MailState.values()) {
            entries.addAll(ledger.inState(state, Integer.MAX_VALUE));
        }
        entries.sort(Comparator.comparing((LedgerEntry e) -> e.mail().sentAt() == null ? Instant.MAX : e.mail().sentAt())
                .thenComparing(LedgerEntry::receivedAt));
        out.println();
        out.printf("%-3s %-30s %-34s %-8s %s%n", "#", "FROM", "SUBJECT", "DECISION", "WHY / PASSAGES USED");
        int row = 1;
        for (LedgerEntry entry : entries) {
            out.printf("%-3d %-30s %-34s %-8s %s%n", row++, cut(entry.mail().from().address(), 30),
                    cut(entry.mail().subject(), 34), decision(entry.state()), cut(why(entry, passagesUsed), 120));
        }
        out.println();
    }

    private static String decision(MailState state) {
        return switch (state) {
            case SENT -> "sent";
            case REVIEW -> "review";
            case SKIPPED -> "skipped";
            case DEAD -> "failed";
            default -> state.name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    private static String why(LedgerEntry entry, Map<MailKey, List<String>> passagesUsed) {
        List<String> used = passagesUsed.getOrDefault(entry.key(), List.of());
        String passages = used.isEmpty() ? "" : "passages: " + String.join(", ", used);
        return switch (entry.state()) {
            case SENT -> passages.isEmpty() ? "answered" : passages;
            case REVIEW -> String.join("; ", entry.reply() == null ? List.of() : entry.reply().reviewNotes())
                    + (passages.isEmpty() ? "" : " | " + passages);
            default -> entry.reason();
        };
    }

    private static void printReplies(PrintWriter out, DemoMailbox mailbox, SqliteLedger ledger) {
        Optional<LedgerEntry> sent = first(ledger, MailState.SENT, "S00042");
        Optional<LedgerEntry> review = first(ledger, MailState.REVIEW, "");
        sent.ifPresent(e -> printReply(out, "Sent to " + e.mail().from().address(), e));
        review.ifPresent(e -> printReply(out, "Filed in Drafts for a person to review (reply to "
                + e.mail().from().address() + ")", e));
    }

    /** The first mail in the state whose subject or text mentions {@code hint}, else the first one. */
    private static Optional<LedgerEntry> first(SqliteLedger ledger, MailState state, String hint) {
        List<LedgerEntry> entries = ledger.inState(state, Integer.MAX_VALUE);
        return entries.stream().filter(e -> e.reply() != null)
                .filter(e -> (e.mail().subject() + e.mail().text()).contains(hint)).findFirst()
                .or(() -> entries.stream().filter(e -> e.reply() != null).findFirst());
    }

    private static void printReply(PrintWriter out, String title, LedgerEntry entry) {
        out.println("--- " + title + " ---");
        out.println("Subject: " + entry.reply().subject());
        entry.reply().reviewNotes().forEach(note -> out.println("Review note: " + note));
        out.println();
        entry.reply().text().lines().forEach(line -> out.println("  " + line));
        out.println();
    }

    private static String cut(String s, int max) {
        String flat = s.replaceAll("\\s+", " ").strip();
        return flat.length() <= max ? flat : flat.substring(0, max - 1) + "…";
    }

    // ---------------------------------------------------------------- resources and mailbox

    static InputStream resource(String name) {
        InputStream in = DemoCommand.class.getResourceAsStream(RESOURCES + name);
        if (in == null) {
            throw new IllegalStateException("demo resource missing from the jar: " + name);
        }
        return in;
    }

    private static List<String> lines(InputStream in) throws IOException {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
        }
    }

    /** The mailbox the demo answers: the embedded server with sample mail, or a real one. */
    private interface DemoMailbox extends AutoCloseable {
        MailAccount imap();

        MailAccount smtp();

        String address();

        String description();

        int delivered();

        @Override
        void close();

        static DemoMailbox embedded() throws IOException {
            TestMailServer server = new TestMailServer().start();
            server.createUser(SUPPORT, PASSWORD);
            int count = 0;
            for (String name : lines(resource("inbox/index.txt"))) {
                try (InputStream in = resource("inbox/" + name)) {
                    server.deliver(SUPPORT, in.readAllBytes());
                    count++;
                }
            }
            int delivered = count;
            return new DemoMailbox() {
                public MailAccount imap() { return server.imapAccount(SUPPORT, PASSWORD); }
                public MailAccount smtp() { return server.smtpAccount(); }
                public String address() { return SUPPORT; }
                public String description() {
                    return "embedded (GreenMail) on 127.0.0.1, IMAP " + server.imapPort() + ", SMTP " + server.smtpPort();
                }
                public int delivered() { return delivered; }
                public void close() { server.close(); }
            };
        }

        static DemoMailbox external(DemoCommand options) {
            if (options.user == null) {
                throw new IllegalArgumentException("--mail-server needs --user (the mailbox's login and address)");
            }
            String password = System.getenv(options.passwordEnv);
            if (password == null) {
                throw new IllegalArgumentException("--mail-server needs the password in the environment variable "
                        + options.passwordEnv);
            }
            MailAccount imap = new MailAccount(options.mailServer, options.imapPort, MailSecurity.SSL, options.user, password);
            MailAccount smtp = new MailAccount(options.mailServer, options.smtpPort, MailSecurity.STARTTLS, options.user, password);
            return new DemoMailbox() {
                public MailAccount imap() { return imap; }
                public MailAccount smtp() { return smtp; }
                public String address() { return options.user; }
                public String description() { return options.mailServer; }
                public int delivered() { return 0; }
                public void close() { }
            };
        }
    }
}
