package io.ragmail.daemon.runtime;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs periodic components (Odoo sync, folder re-scan, backups) so that one failing never stops the
 * others: a failure marks the component down in {@link DaemonStats} and the next attempt comes after
 * an exponential backoff (30 s, 1 min, 2 min … capped at the component's interval); a success marks it
 * up and records the time for health ("last success", "lag").
 *
 * <pre>{@code
 * supervisor.every("odoo-sync", Duration.ofMinutes(10), Duration.ZERO, sync::runOnce);
 * }</pre>
 */
public final class Supervisor {

    public static final Duration FIRST_BACKOFF = Duration.ofSeconds(30);
    private static final Logger log = LoggerFactory.getLogger(Supervisor.class);

    /** What health shows of one supervised component. */
    public record State(String name, Instant lastSuccess, Instant lastFailure, String lastError, int failuresInARow, long restarts) {
    }

    /** A task that may fail. */
    @FunctionalInterface
    public interface Task {
        void run() throws Exception;
    }

    private final ScheduledExecutorService executor;
    private final Clock clock;
    private final DaemonStats stats;
    private final Map<String, State> states = new ConcurrentHashMap<>();

    public Supervisor(ScheduledExecutorService executor, Clock clock, DaemonStats stats) {
        this.executor = executor;
        this.clock = clock;
        this.stats = stats;
    }

    /** Runs {@code task} after {@code firstDelay}, then every {@code interval} after each success. */
    public void every(String name, Duration interval, Duration firstDelay, Task task) {
        states.put(name, new State(name, null, null, "", 0, 0));
        schedule(name, interval, firstDelay, task);
    }

    private void schedule(String name, Duration interval, Duration delay, Task task) {
        if (executor.isShutdown()) {
            return;
        }
        executor.schedule(() -> {
            Duration next = runOnce(name, interval, task);
            schedule(name, interval, next, task);
        }, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Runs the task once now and returns the delay until the next run. */
    Duration runOnce(String name, Duration interval, Task task) {
        State was = states.getOrDefault(name, new State(name, null, null, "", 0, 0));
        try {
            task.run();
            states.put(name, new State(name, clock.instant(), was.lastFailure(), was.lastError(), 0, was.restarts()));
            stats.componentUp(name);
            return interval;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return interval;
        } catch (Exception | LinkageError e) {
            int failures = was.failuresInARow() + 1;
            Duration backoff = FIRST_BACKOFF.multipliedBy(1L << Math.min(failures - 1, 20));
            if (backoff.compareTo(interval) > 0) {
                backoff = interval;
            }
            String error = e.getClass().getSimpleName() + ": " + e.getMessage();
            states.put(name, new State(name, was.lastSuccess(), clock.instant(), error, failures, was.restarts() + 1));
            stats.componentDown(name, error, false);
            log.warn("{} failed ({}); restarting it in {}", name, error, DurationText.of(backoff));
            return backoff;
        }
    }

    public Map<String, State> states() {
        return Map.copyOf(states);
    }
}
