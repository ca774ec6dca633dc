package io.ragmail.daemon;

import io.ragmail.core.MailKey;
import io.ragmail.core.ledger.LedgerEntry;
import io.ragmail.core.ledger.LedgerConflictException;
import io.ragmail.core.ledger.MailState;
import io.ragmail.core.ledger.SqliteLedger;
import io.ragmail.config.LayeredConfig;
import io.ragmail.daemon.runtime.Daemon;
import io.ragmail.daemon.runtime.Tombstones;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code ragmail queue}: the failed-mail queue (DEAD) in the ledger. Works while the daemon runs: the
 * SQLite ledger is in WAL mode, and each change is one transaction that the daemon sees at its next
 * look (a retried mail is picked up within {@code ragmail.imap.poll-interval}).
 */
@Command(name = "queue", mixinStandardHelpOptions = true,
        description = "The failed-mail queue: list, show, retry or drop failed mail.",
        subcommands = {QueueCommand.List_.class, QueueCommand.Show.class, QueueCommand.Retry.class, QueueCommand.Drop.class})
final class QueueCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static Clock clock = Clock.systemUTC();

    /** Shared: opens the ledger of the configured data dir. */
    abstract static class QueueSub extends ConfiguredCommand implements Callable<Integer> {

        @Override
        public Integer call() throws Exception {
            LayeredConfig config = loadConfig();
            if (config == null) {
                return ExitCodes.CONFIG;
            }
            Path dataDir = config.dataDir();
            Path file = dataDir.resolve(Daemon.LEDGER_FILE);
            if (!Files.isRegularFile(file)) {
                err().println("ragmail: no ledger at " + file.toAbsolutePath() + " (ragmail.data.dir)");
                return ExitCodes.CONFIG;
            }
            try (SqliteLedger ledger = SqliteLedger.open(file); Tombstones tombstones = new Tombstones(dataDir)) {
                return run(ledger, tombstones, out());
            }
        }

        abstract int run(SqliteLedger ledger, Tombstones tombstones, PrintWriter out);

        static List<LedgerEntry> queue(SqliteLedger ledger, Tombstones tombstones) {
            return ledger.inState(MailState.DEAD, Integer.MAX_VALUE);
        }

        /** A key as printed by {@code list}: the Message-ID, or {@code mailbox|Message-ID} when several mailboxes share it. */
        static Optional<LedgerEntry> find(SqliteLedger ledger, String key) {
            int bar = key.indexOf('|');
            if (bar > 0) {
                return ledger.find(new MailKey(key.substring(0, bar), key.substring(bar + 1)));
            }
            for (MailState state : MailState.values()) {
                for (LedgerEntry e : ledger.inState(state, Integer.MAX_VALUE)) {
                    if (e.key().messageId().equals(key) || e.key().messageId().equals("<" + key + ">")) {
                        return Optional.of(e);
                    }
                }
            }
            return Optional.empty();
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the failed mail (oldest first).")
    static final class List_ extends QueueSub {
        @Override
        int run(SqliteLedger ledger, Tombstones tombstones, PrintWriter out) {
            List<LedgerEntry> dead = queue(ledger, tombstones);
            out.printf("%d failed mail%s%n", dead.size(), dead.size() == 1 ? "" : "s");
            for (LedgerEntry e : dead) {
                out.printf("%s|%s  failed %s  attempts %d  from %s  \"%s\"%n    %s%n", e.key().mailbox(), e.key().messageId(),
                        e.updatedAt(), e.attempts(), e.mail().from(), cut(e.mail().subject(), 60), e.reason());
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one mail's ledger entry and history.")
    static final class Show extends QueueSub {
        @Parameters(paramLabel = "KEY", description = "Message-ID, or mailbox|Message-ID as list prints it.")
        String key;

        @Override
        int run(SqliteLedger ledger, Tombstones tombstones, PrintWriter out) {
            Optional<LedgerEntry> found = find(ledger, key);
            if (found.isEmpty()) {
                err().println("ragmail: no mail " + key + " in the ledger");
                return ExitCodes.FAILED;
            }
            LedgerEntry e = found.get();
            out.printf("key:       %s|%s%nstate:     %s%s%nfrom:      %s%nsubject:   %s%nreceived:  %s%nupdated:   %s%nattempts:  %d%nreason:    %s%n",
                    e.key().mailbox(), e.key().messageId(), e.state(), "",
                    e.mail().from(), e.mail().subject(), e.receivedAt(), e.updatedAt(), e.attempts(), e.reason());
            out.println("history:");
            for (SqliteLedger.Transition t : ledger.history(e.key())) {
                out.printf("  %s  %s -> %s  %s%n", t.at(), t.from() == null ? "-" : t.from(), t.to(), t.detail());
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "retry", mixinStandardHelpOptions = true,
            description = "Put failed mail back into processing; the running daemon picks it up within its poll interval.")
    static final class Retry extends QueueSub {
        @Parameters(paramLabel = "KEY", arity = "0..*", description = "Message-IDs (or mailbox|Message-ID).")
        List<String> keys = new ArrayList<>();

        @Option(names = "--all", description = "Retry every failed mail.")
        boolean all;

        @Override
        int run(SqliteLedger ledger, Tombstones tombstones, PrintWriter out) {
            List<LedgerEntry> targets = new ArrayList<>();
            if (all) {
                targets.addAll(queue(ledger, tombstones));
            } else if (keys.isEmpty()) {
                err().println("ragmail: give KEY… or --all");
                return ExitCodes.FAILED;
            }
            int missing = 0;
            for (String k : keys) {
                Optional<LedgerEntry> e = find(ledger, k);
                if (e.isPresent()) {
                    targets.add(e.get());
                } else {
                    err().println("ragmail: no mail " + k + " in the ledger");
                    missing++;
                }
            }
            int retried = 0;
            for (LedgerEntry e : targets) {
                try {
                    ledger.requeue(e.key(), Instant.now(clock));
                    retried++;
                    out.println("retrying " + e.key().mailbox() + "|" + e.key().messageId());
                } catch (LedgerConflictException ex) {
                    err().println("ragmail: " + e.key().messageId() + " is " + ex.actual() + ", not failed; left as it is");
                    missing++;
                }
            }
            out.println(retried + " mail" + (retried == 1 ? "" : "s") + " put back into processing");
            return missing == 0 ? ExitCodes.OK : ExitCodes.FAILED;
        }
    }

    @Command(name = "drop", mixinStandardHelpOptions = true,
            description = "Give up on failed mail: DEAD becomes SKIPPED, it is never answered (the mail stays on the server for a person).")
    static final class Drop extends QueueSub {
        @Parameters(paramLabel = "KEY", arity = "1..*", description = "Message-IDs (or mailbox|Message-ID).")
        List<String> keys = new ArrayList<>();

        @Override
        int run(SqliteLedger ledger, Tombstones tombstones, PrintWriter out) {
            int problems = 0;
            for (String k : keys) {
                Optional<LedgerEntry> e = find(ledger, k);
                if (e.isEmpty() || e.get().state() != MailState.DEAD) {
                    err().println("ragmail: " + k + (e.isEmpty() ? " is not in the ledger" : " is " + e.get().state() + ", not failed"));
                    problems++;
                    continue;
                }
                ledger.drop(e.get().key(), "dropped by an operator (ragmail queue drop)", Instant.now(clock));
                out.println("dropped " + e.get().key().mailbox() + "|" + e.get().key().messageId());
            }
            return problems == 0 ? ExitCodes.OK : ExitCodes.FAILED;
        }
    }

    private static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
