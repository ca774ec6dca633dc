package io.ragmail.daemon;

import io.ragmail.config.LayeredConfig;
import io.ragmail.daemon.logging.LoggingSetup;
import io.ragmail.daemon.runtime.Daemon;
import io.ragmail.daemon.runtime.DaemonStartException;
import io.ragmail.daemon.runtime.DataDirLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code ragmail run}: the daemon. Validates the configuration (exit 2), takes the data dir (exit 4
 * when another instance has it), sets up logging, starts (exit 3 when a dependency needed at start is
 * unreachable) and runs until SIGTERM or SIGINT: the first signal stops gracefully and exits 0, a
 * second one exits at once (the ledger has every mail; unfinished ones resume on the next start).
 */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the daemon: answer mail until stopped (SIGTERM/SIGINT).",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:stopped cleanly", "2:configuration error (every problem listed)",
                "3:a dependency needed at start is unreachable", "4:another instance holds the data dir"})
final class RunCommand extends ConfiguredCommand implements Callable<Integer> {

    @Option(names = "--no-console-log", description = "Log to files only (default: console and files).")
    boolean noConsole;

    private final CountDownLatch stop = new CountDownLatch(1);
    private final AtomicInteger signals = new AtomicInteger();

    @Override
    public Integer call() throws Exception {
        LayeredConfig config = loadConfig();
        if (config == null || !validate(config)) {
            return ExitCodes.CONFIG;
        }
        DataDirLock lock;
        try {
            lock = DataDirLock.acquire(config.dataDir());
        } catch (DataDirLock.InstanceLockedException e) {
            err().println("ragmail: " + e.getMessage());
            return ExitCodes.LOCKED;
        } catch (IOException e) {
            err().println("ragmail: data dir " + config.dataDir().toAbsolutePath() + " is not writable: " + e.getMessage());
            return ExitCodes.DEPENDENCY;
        }
        LoggingSetup.configure(config, !noConsole);
        Logger log = LoggerFactory.getLogger(RunCommand.class);
        config.warnings().forEach(w -> log.warn("configuration: {}", w));
        Daemon daemon = Daemon.builder().config(config).lock(lock).build();
        installSignalHandlers(log);
        Thread hook = new Thread(daemon::close, "ragmail-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            daemon.start();
        } catch (DaemonStartException e) {
            log.error("cannot start: {}", e.getMessage());
            err().println("ragmail: cannot start (" + e.component() + "): " + e.getMessage());
            return ExitCodes.DEPENDENCY;
        }
        stop.await();
        daemon.close();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down
        }
        return ExitCodes.OK;
    }

    /** First SIGTERM/SIGINT: graceful stop. Second: exit at once; the ledger keeps every mail. */
    @SuppressWarnings("restriction")
    private void installSignalHandlers(Logger log) {
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), signal -> {
                    if (signals.incrementAndGet() == 1) {
                        log.info("SIG{} received: stopping gracefully (send it again to exit at once)", name);
                        stop.countDown();
                    } else {
                        log.warn("second signal: exiting at once; unfinished mail resumes from the ledger on the next start");
                        Runtime.getRuntime().halt(130);
                    }
                });
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                log.debug("cannot handle SIG{}: {}", name, e.toString());
            }
        }
    }
}
