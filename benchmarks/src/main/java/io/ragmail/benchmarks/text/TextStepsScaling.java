package io.ragmail.benchmarks.text;

import com.sun.management.ThreadMXBean;
import io.ragmail.core.Draft;
import io.ragmail.core.DraftRequest;
import io.ragmail.core.EmailAddress;
import io.ragmail.core.InboundMail;
import io.ragmail.core.Passage;
import io.ragmail.core.TokenUsage;
import io.ragmail.core.ledger.SqliteLedger;
import io.ragmail.core.mime.MimeMailParser;
import io.ragmail.core.review.GroundingCheck;
import io.ragmail.core.triage.Triage;
import io.ragmail.testkit.mail.AdversarialText;
import io.ragmail.testkit.mail.AdversarialText.Shape;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Issue 8: how the time and allocation of one mail's text steps (parse with quote stripping, triage,
 * grounding check of a reply as long as the mail) grow with the size of generated adversarial input.
 * Linear steps take ten times as long for ten times the input; a quadratic one a hundred times.
 *
 * <p>Run: {@code mvn -B -q -pl benchmarks -am package -DskipTests}, then
 * {@code java -cp benchmarks/target/benchmarks.jar io.ragmail.benchmarks.text.TextStepsScaling
 * [--shapes APOSTROPHE_DIGITS,...] [--sizes 10k,100k,1m,2m] [--timeout 60] [--warmup 256]}. A measurement slower
 * than the timeout is reported as such and ends the run for that shape (the JVM exits so that a
 * runaway regular expression stops burning a core); run one shape per JVM for old code.
 * {@code --nested 6} instead parses a 20 MiB mail nested 6 levels deep three times and prints the
 * CPU time and bytes allocated.
 */
public final class TextStepsScaling {

    private TextStepsScaling() {
    }

    public static void main(String[] args) throws Exception {
        List<Shape> shapes = List.of(Shape.BLANKS_WITHOUT_LINE_BREAK, Shape.APOSTROPHE_DIGITS, Shape.ATTRIBUTION_WORDS,
                Shape.DIGITS_WITH_SEPARATORS, Shape.MIXED);
        List<Integer> sizes = List.of(10 * 1024, 100 * 1024, 1024 * 1024, 2 * 1024 * 1024);
        int timeoutSeconds = 60;
        int warmupKib = 256;
        for (int i = 0; i + 1 < args.length; i += 2) {
            switch (args[i]) {
                case "--shapes" -> shapes = java.util.Arrays.stream(args[i + 1].split(",")).map(Shape::valueOf).toList();
                case "--sizes" -> sizes = java.util.Arrays.stream(args[i + 1].split(",")).map(TextStepsScaling::size).toList();
                case "--timeout" -> timeoutSeconds = Integer.parseInt(args[i + 1]);
                case "--warmup" -> warmupKib = Integer.parseInt(args[i + 1]);
                case "--nested" -> {
                    nested(Integer.parseInt(args[i + 1]));
                    return;
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Path dir = Files.createTempDirectory("text-steps");
        SqliteLedger ledger = SqliteLedger.open(dir.resolve("ledger.db"));
        MimeMailParser parser = MimeMailParser.create();
        Triage triage = Triage.builder().ourAddresses(List.of(EmailAddress.of("support@shop.example"))).build();
        GroundingCheck grounding = GroundingCheck.standard();
        ExecutorService runner = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "text-steps");
            t.setDaemon(true);
            return t;
        });
        // warm-up: the JIT compiles the scanners and patterns before anything is timed (--warmup 0
        // for old code, whose quadratic steps would take minutes here)
        for (int i = 0; i < 3 && warmupKib > 0; i++) {
            for (Shape shape : shapes) {
                oneMail(parser, triage, grounding, ledger, shape, warmupKib * 1024, 99);
            }
        }
        // CPU time of the measuring thread: on a shared machine wall time mostly measures the neighbours
        System.out.println("| shape | input | CPU ms (median of 3) | wall ms | MB allocated |");
        System.out.println("| --- | ---: | ---: | ---: | ---: |");
        for (Shape shape : shapes) {
            for (int size : sizes) {
                List<long[]> runs = new ArrayList<>();
                for (int run = 0; run < 3; run++) {
                    Future<long[]> result = runner.submit(() -> oneMail(parser, triage, grounding, ledger, shape, size, 1));
                    try {
                        runs.add(result.get(timeoutSeconds, TimeUnit.SECONDS));
                    } catch (TimeoutException e) {
                        System.out.printf(Locale.ROOT, "| %s | %s | | > %d000 (timed out) | |%n", shape, label(size), timeoutSeconds);
                        System.exit(0);
                    }
                    if (runs.get(run)[2] > 5_000) {
                        break; // one slow run says enough
                    }
                }
                runs.sort((a, b) -> Long.compare(a[0], b[0]));
                long[] median = runs.get(runs.size() / 2);
                System.out.printf(Locale.ROOT, "| %s | %s | %d | %d | %.0f |%n", shape, label(size), median[0], median[2], median[1] / 1e6);
            }
        }
        ledger.close();
        System.exit(0);
    }

    /** Parse alone of a 20 MiB mail nested {@code levels} deep: CPU time and bytes allocated. */
    private static void nested(int levels) {
        MimeMailParser parser = MimeMailParser.create();
        byte[] raw = io.ragmail.testkit.mail.HostileMails.nested(20, levels);
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (int run = 0; run < 3; run++) {
            long allocatedBefore = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
            long cpuStarted = threads.getCurrentThreadCpuTime();
            InboundMail mail = parser.parse(raw);
            System.out.printf(Locale.ROOT, "| nested %d levels | %.1f MB | %d | %.0f | %s |%n", levels, raw.length / 1e6,
                    (threads.getCurrentThreadCpuTime() - cpuStarted) / 1_000_000,
                    (threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - allocatedBefore) / 1e6,
                    mail.attachments().isEmpty() ? "attachment not found" : "attachment listed");
        }
    }

    /** Milliseconds and bytes allocated for one generated mail through parse, triage and grounding check. */
    static long[] oneMail(MimeMailParser parser, Triage triage, GroundingCheck grounding, SqliteLedger ledger,
            Shape shape, int size, long seed) {
        String body = AdversarialText.text(shape, size, seed);
        byte[] raw = AdversarialText.mail("Question " + seed, body, seed);
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long allocatedBefore = threads.getThreadAllocatedBytes(Thread.currentThread().getId());
        long started = System.nanoTime();
        long cpuStarted = threads.getCurrentThreadCpuTime();
        InboundMail mail = parser.parse(raw);
        triage.decide(mail, ledger, Instant.parse("2025-03-03T10:00:00Z"));
        Draft draft = new Draft(body, "en", 0.9, List.of("kb-1"), false, "", TokenUsage.NONE);
        grounding.problems(new DraftRequest(mail, List.of(new Passage("kb-1", "Acetone", "Acetone ACE-500, EUR 1,200.00", 0.9)),
                Optional.empty()), draft);
        long cpuMillis = (threads.getCurrentThreadCpuTime() - cpuStarted) / 1_000_000;
        long millis = (System.nanoTime() - started) / 1_000_000;
        return new long[] {cpuMillis, threads.getThreadAllocatedBytes(Thread.currentThread().getId()) - allocatedBefore, millis};
    }

    private static int size(String s) {
        String v = s.strip().toLowerCase(Locale.ROOT);
        if (v.endsWith("k")) {
            return Integer.parseInt(v.substring(0, v.length() - 1)) * 1024;
        }
        if (v.endsWith("m")) {
            return Integer.parseInt(v.substring(0, v.length() - 1)) * 1024 * 1024;
        }
        return Integer.parseInt(v);
    }

    private static String label(int size) {
        return size >= 1024 * 1024 ? size / (1024 * 1024) + " MiB" : size / 1024 + " KiB";
    }
}
