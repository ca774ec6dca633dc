package io.ragmail.benchmarks.drafting;

import io.ragmail.core.Draft;
import io.ragmail.core.DraftRequest;
import io.ragmail.core.EmailAddress;
import io.ragmail.core.InboundMail;
import io.ragmail.core.MailKey;
import io.ragmail.core.Passage;
import io.ragmail.core.Pipeline;
import io.ragmail.core.imap.ImapDraftsSink;
import io.ragmail.core.imap.ImapMailSource;
import io.ragmail.core.ledger.MailState;
import io.ragmail.core.ledger.SqliteLedger;
import io.ragmail.core.mistral.MistralDrafter;
import io.ragmail.core.smtp.SmtpMailSink;
import io.ragmail.testkit.FakeDrafter;
import io.ragmail.testkit.TestMailServer;
import io.ragmail.testkit.mistral.FakeMistralServer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Issue 4's drafting throughput: {@link FakeMistralServer} answering after 800 ms with its own limit
 * of 10 requests/s; mails delivered to GreenMail and answered by the full {@link Pipeline}
 * (IMAP source, SQLite ledger, {@link MistralDrafter} limited to 10 requests/s, SMTP sink) at the
 * recommended concurrency and at concurrency 1; plus the drafter alone, to tell the mail side's cost
 * from Mistral's.
 *
 * <p>Run: {@code mvn -B -q -pl benchmarks -am -DskipTests -Pdrafting-throughput package}
 * (arguments with {@code -Dexec.args="--mails 1000 --concurrency 32 --sequential-mails 100 --drafter-only 300 --mail-only 500"};
 * a count of 0 skips that run).
 */
public final class DraftingThroughput {

    static final String SUPPORT = "support@shop.example";
    static final String PASSWORD = "support-secret";
    /**
     * The fake model's answer: confident, citing nothing and naming no code or number, so that the
     * grounding check passes without a knowledge store and every mail is sent (SMTP and the Sent
     * copy), which is the path issue 4 measures. A reply citing a passage the pipeline was not given
     * would go to review (the IMAP Drafts path) instead.
     */
    static final String REPLY = "{\"reply\":\"Hello, thank you for your question: acetone is in stock.\",\"language\":\"en\","
            + "\"confidence\":0.9,\"used_sources\":[],\"needs_human\":false,\"reason\":\"\"}";

    private DraftingThroughput() {
    }

    /** {@code steadyPerSecond}: mails/s between the 10th and the 90th percentile of completions (warm-up and tail left out). */
    record Result(String label, int mails, int concurrency, double seconds, double steadyPerSecond, long requests,
            long rateLimited, long sent, long review, long other) {
        double perSecond() {
            return mails / seconds;
        }
    }

    public static void main(String[] args) throws Exception {
        int mails = intArg(args, "--mails", 1000);
        int concurrency = intArg(args, "--concurrency", 16);
        int sequentialMails = intArg(args, "--sequential-mails", 100);
        int drafterOnly = intArg(args, "--drafter-only", 300);
        int mailOnly = intArg(args, "--mail-only", 0);
        long latencyMs = intArg(args, "--latency-ms", 800);
        double rate = intArg(args, "--rate", 10);

        System.out.printf("machine: %d cores, %s %s, Java %s%n", Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name"), System.getProperty("os.arch"), System.getProperty("java.version"));
        System.out.printf("fake Mistral: %d ms latency, %.0f requests/s server limit; drafter limited to %.0f requests/s%n",
                latencyMs, rate, rate);

        List<Result> results = new ArrayList<>();
        Result alone = drafterOnly > 0 ? drafterOnly(drafterOnly, concurrency, latencyMs, rate) : null;
        Result concurrent = mails > 0 ? pipeline("pipeline, concurrency " + concurrency, mails, concurrency, latencyMs, rate) : null;
        Result sequential = sequentialMails > 0
                ? pipeline("pipeline, concurrency 1 (sequential)", sequentialMails, 1, latencyMs, rate) : null;
        Result mailSide = mailOnly > 0
                ? pipeline("pipeline with an instant drafter (mail side only), concurrency " + concurrency, mailOnly, concurrency,
                        latencyMs, rate, false) : null;
        for (Result r : new Result[] {alone, concurrent, sequential, mailSide}) {
            if (r != null) {
                results.add(r);
            }
        }

        System.out.println();
        System.out.println("| run | mails | concurrency | seconds | mails/s overall | % of limit | mails/s 10th-90th pct | % of limit | requests | 429s | sent | review | other |");
        System.out.println("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        for (Result r : results) {
            System.out.printf("| %s | %d | %d | %.1f | %.2f | %.0f%% | %.2f | %.0f%% | %d | %d | %d | %d | %d |%n", r.label(),
                    r.mails(), r.concurrency(), r.seconds(), r.perSecond(), 100 * r.perSecond() / rate, r.steadyPerSecond(),
                    100 * r.steadyPerSecond() / rate, r.requests(), r.rateLimited(), r.sent(), r.review(), r.other());
        }
        if (concurrent != null && sequential != null) {
            System.out.printf("%nratio pipeline concurrency %d / sequential: %.1fx%n", concurrency,
                    concurrent.perSecond() / sequential.perSecond());
        }
    }

    static FakeMistralServer mistral(long latencyMs, double rate) {
        return FakeMistralServer.builder().apiKey("bench-key").latency(Duration.ofMillis(latencyMs)).rateLimit(rate)
                .threads(128).replyWith(REPLY).build();
    }

    static MistralDrafter drafter(FakeMistralServer server, double rate) {
        return MistralDrafter.builder().apiKey("bench-key").baseUrl(server.baseUrl()).requestsPerSecond(rate)
                .tokensPerMinute(0).timeout(Duration.ofSeconds(30)).build();
    }

    static Result drafterOnly(int drafts, int concurrency, long latencyMs, double rate) throws Exception {
        try (FakeMistralServer server = mistral(latencyMs, rate); MistralDrafter drafter = drafter(server, rate)) {
            ExecutorService pool = Executors.newFixedThreadPool(concurrency);
            long start = System.nanoTime();
            List<Future<Draft>> futures = new ArrayList<>();
            for (int i = 0; i < drafts; i++) {
                DraftRequest request = request(i);
                futures.add(pool.submit(() -> drafter.draft(request)));
            }
            long ok = 0;
            for (Future<Draft> f : futures) {
                ok += f.get().needsHuman() ? 0 : 1;
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            pool.shutdownNow();
            return new Result("MistralDrafter alone", drafts, concurrency, seconds, drafts / seconds, server.requestCount(),
                    server.rateLimitedCount(), ok, drafts - ok, 0);
        }
    }

    static Result pipeline(String label, int mails, int concurrency, long latencyMs, double rate) throws Exception {
        return pipeline(label, mails, concurrency, latencyMs, rate, true);
    }

    static Result pipeline(String label, int mails, int concurrency, long latencyMs, double rate, boolean mistral)
            throws Exception {
        Path dir = Files.createTempDirectory("ragmail-drafting-bench");
        try (FakeMistralServer server = mistral(latencyMs, rate);
             TestMailServer mail = new TestMailServer().start()) {
            mail.createUser(SUPPORT, PASSWORD);
            for (int i = 0; i < mails; i++) {
                mail.deliver(String.format("customer-%04d@customers.example", i), SUPPORT, "Question " + i + " about acetone",
                        "Hello,\n\nis product ACE-" + i + " in stock?\n\nThanks", Map.of());
            }
            try (SqliteLedger ledger = SqliteLedger.open(dir.resolve("ledger.db"));
                 ImapMailSource source = ImapMailSource.builder().account(mail.imapAccount(SUPPORT, PASSWORD)).build();
                 SmtpMailSink sink = SmtpMailSink.builder().account(mail.smtpAccount())
                         .sentFolder(mail.imapAccount(SUPPORT, PASSWORD), "Sent").build();
                 ImapDraftsSink drafts = ImapDraftsSink.builder().account(mail.imapAccount(SUPPORT, PASSWORD)).build()) {
                Pipeline pipeline = Pipeline.builder()
                        .source(source)
                        .withoutKnowledge()
                        .drafter(mistral ? drafter(server, rate) : new FakeDrafter())
                        .sink(sink)
                        .reviewSink(drafts)
                        .ledger(ledger)
                        .from(EmailAddress.of(SUPPORT))
                        .concurrency(concurrency)
                        .pollWait(Duration.ofMillis(500))
                        .build();
                long start = System.nanoTime();
                pipeline.start();
                long done;
                long at10 = -1;
                long at90 = -1;
                long low = Math.max(1, mails / 10);
                long high = Math.max(low + 1, mails * 9L / 10);
                while ((done = terminal(ledger)) < mails) {
                    if (at10 < 0 && done >= low) {
                        at10 = System.nanoTime();
                        low = done;
                    }
                    if (at90 < 0 && done >= high) {
                        at90 = System.nanoTime();
                        high = done;
                    }
                    TimeUnit.MILLISECONDS.sleep(20);
                }
                long end = System.nanoTime();
                double seconds = (end - start) / 1e9;
                if (at90 < 0) {
                    at90 = end;
                    high = mails;
                }
                double steady = at10 < 0 || at90 <= at10 ? mails / seconds : (high - low) / ((at90 - at10) / 1e9);
                pipeline.close();
                Map<MailState, Long> counts = ledger.countByState();
                long sent = counts.getOrDefault(MailState.SENT, 0L);
                long review = counts.getOrDefault(MailState.REVIEW, 0L);
                return new Result(label, mails, concurrency, seconds, steady, server.requestCount(), server.rateLimitedCount(),
                        sent, review, done - sent - review);
            }
        }
    }

    static long terminal(SqliteLedger ledger) {
        long n = 0;
        for (Map.Entry<MailState, Long> e : ledger.countByState().entrySet()) {
            if (e.getKey().isTerminal()) {
                n += e.getValue();
            }
        }
        return n;
    }

    static DraftRequest request(int i) {
        InboundMail mail = InboundMail.builder()
                .key(new MailKey("INBOX", "<bench-" + i + "@customers.example>"))
                .from(EmailAddress.of(String.format("customer-%04d@customers.example", i)))
                .subject("Question " + i + " about acetone")
                .text("Hello,\n\nis product ACE-" + i + " in stock?\n\nThanks")
                .build();
        return new DraftRequest(mail, List.of(new Passage("kb/acetone", "Acetone ACE-1", "ACE-1 is in stock.", 1.0)),
                Optional.empty());
    }

    static int intArg(String[] args, String name, int fallback) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                return Integer.parseInt(args[i + 1]);
            }
        }
        return fallback;
    }
}
