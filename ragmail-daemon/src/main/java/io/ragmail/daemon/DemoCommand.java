package io.ragmail.daemon;

import io.ragmail.core.EmailAddress;
import io.ragmail.core.MailAccount;
import io.ragmail.core.Pipeline;
import io.ragmail.core.RetryPolicy;
import io.ragmail.core.imap.ImapDraftsSink;
import io.ragmail.core.imap.ImapMailSource;
import io.ragmail.core.ledger.LedgerEntry;
import io.ragmail.core.ledger.MailState;
import io.ragmail.core.ledger.SqliteLedger;
import io.ragmail.core.smtp.SmtpMailSink;
import io.ragmail.testkit.FakeDrafter;
import io.ragmail.testkit.TestMailServer;
import io.ragmail.testkit.TestMessage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Runs the whole pipeline on an embedded mail server (GreenMail) with a handful of sample mails —
 * customer questions, an out-of-office reply, a bounce, list mail — and prints what became of each.
 * Needs no network, no account and no API key.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Answer sample mail on an embedded mail server and show what happened to each.")
final class DemoCommand implements Callable<Integer> {

    private static final String SUPPORT = "support@shop.example";
    private static final String PASSWORD = "demo-password";

    @Option(names = "--data-dir", description = "Where the demo ledger goes (default: a new temporary folder).")
    Path dataDir;

    @Option(names = "--timeout", defaultValue = "60", description = "Seconds to wait for all mail to be processed.")
    int timeoutSeconds;

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        Path dir = dataDir != null ? Files.createDirectories(dataDir) : Files.createTempDirectory("ragmail-demo");
        try (TestMailServer server = new TestMailServer().start()) {
            server.createUser(SUPPORT, PASSWORD);
            int delivered = deliverSamples(server);
            out.printf("Embedded mail server on 127.0.0.1 (IMAP %d, SMTP %d); %d sample mails in %s's inbox.%n",
                    server.imapPort(), server.smtpPort(), delivered, SUPPORT);

            MailAccount imap = server.imapAccount(SUPPORT, PASSWORD);
            FakeDrafter drafter = new FakeDrafter();
            try (SqliteLedger ledger = SqliteLedger.open(dir.resolve("ledger.db"));
                 ImapMailSource source = ImapMailSource.builder().account(imap).build();
                 SmtpMailSink sink = SmtpMailSink.builder().account(server.smtpAccount()).sentFolder(imap, "Sent").build();
                 ImapDraftsSink drafts = ImapDraftsSink.builder().account(imap).build();
                 Pipeline pipeline = Pipeline.builder()
                         .source(source).sink(sink).reviewSink(drafts).ledger(ledger).drafter(drafter)
                         .from(EmailAddress.of(SUPPORT))
                         .pollWait(Duration.ofMillis(500))
                         .retryPolicy(RetryPolicy.builder().initialDelay(Duration.ofSeconds(1)).maxDelay(Duration.ofSeconds(5)).build())
                         .build()) {
                pipeline.start();
                Instant deadline = Instant.now().plusSeconds(timeoutSeconds);
                Map<MailState, Long> counts = ledger.countByState();
                while (total(counts) < delivered || open(counts) > 0) {
                    if (Instant.now().isAfter(deadline)) {
                        out.println("Timed out waiting for the pipeline; partial results follow.");
                        break;
                    }
                    Thread.sleep(200);
                    counts = ledger.countByState();
                }
                report(out, ledger, server);
                out.printf("Ledger: %s%n", dir.resolve("ledger.db"));
                counts = ledger.countByState();
                return open(counts) == 0 && total(counts) == delivered ? 0 : 1;
            }
        }
    }

    private static int deliverSamples(TestMailServer server) {
        List<Runnable> samples = new ArrayList<>();
        samples.add(() -> server.deliver("Ada Lovelace <ada@customers.example>", SUPPORT, "Safety data sheet for acetone?",
                "Hello,\n\ncould you send me the safety data sheet for ACE-500 (acetone, CAS 67-64-1)?\n\nThanks,\nAda", Map.of()));
        samples.add(() -> server.deliver("Grace Hopper <grace@customers.example>", SUPPORT, "Where is my order S00042?",
                "Hi, my order S00042 has not arrived yet. Can you check?\n\n> earlier mail quoted here\n> more quoted text", Map.of()));
        samples.add(() -> server.deliver("Linus <linus@customers.example>", SUPPORT, "Re: Bulk prices",
                "Do you offer a discount from 20 drums of IPA-200?", Map.of()));
        samples.add(() -> server.deliver("Holiday <holiday@customers.example>", SUPPORT, "Out of office",
                "I am away until Monday.", Map.of("Auto-Submitted", "auto-replied", "X-Autoreply", "yes")));
        samples.add(() -> server.deliver("Mail Delivery System <MAILER-DAEMON@mx.customers.example>", SUPPORT,
                "Undelivered Mail Returned to Sender", "This is the mail system: your mail could not be delivered.",
                Map.of("Return-Path", "<>")));
        samples.add(() -> server.deliver("Chemistry news <news@lists.example>", SUPPORT, "Weekly digest",
                "This week in chemistry...", Map.of("List-Id", "<news.lists.example>", "Precedence", "list")));
        samples.forEach(Runnable::run);
        return samples.size();
    }

    private static void report(PrintStream out, SqliteLedger ledger, TestMailServer server) {
        List<LedgerEntry> entries = new ArrayList<>();
        for (MailState state : MailState.values()) {
            entries.addAll(ledger.inState(state, Integer.MAX_VALUE));
        }
        entries.sort(Comparator.comparing(LedgerEntry::receivedAt));
        out.println();
        out.printf("%-8s  %-44s  %-36s  %s%n", "STATE", "FROM", "SUBJECT", "WHY");
        for (LedgerEntry entry : entries) {
            out.printf("%-8s  %-44s  %-36s  %s%n", entry.state(), cut(entry.mail().from().toString(), 44),
                    cut(entry.mail().subject(), 36), why(entry));
        }
        server.received("ada@customers.example").stream().findFirst().ifPresent(reply -> printReply(out, reply));
    }

    /** The skip reason or error, or for a reply filed for review the reasons a person sees on it. */
    private static String why(LedgerEntry entry) {
        if (entry.state() == MailState.REVIEW && entry.reply() != null) {
            return String.join("; ", entry.reply().reviewNotes());
        }
        return entry.reason();
    }

    private static void printReply(PrintStream out, TestMessage reply) {
        out.println();
        out.println("The reply Ada received:");
        for (String header : List.of("From", "To", "Subject", "Message-ID", "In-Reply-To", "References", "Auto-Submitted", "X-Loop")) {
            reply.header(header).ifPresent(value -> out.printf("  %s: %s%n", header, value));
        }
        out.println();
        reply.text().lines().forEach(line -> out.println("  " + line));
        out.println();
    }

    /** Mails in the ledger, whatever their state. */
    private static long total(Map<MailState, Long> counts) {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Mails in a state that is not terminal yet (still to be processed or retried). */
    private static long open(Map<MailState, Long> counts) {
        return counts.entrySet().stream().filter(e -> !e.getKey().isTerminal()).mapToLong(e -> e.getValue()).sum();
    }

    private static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
