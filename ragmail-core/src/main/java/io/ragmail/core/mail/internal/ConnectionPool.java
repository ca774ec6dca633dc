package io.ragmail.core.mail.internal;

import jakarta.mail.MessagingException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A small pool of mail server connections (an SMTP {@code Transport} or an IMAP {@code Store}),
 * internal to the sinks: at most {@code maxConnections} are open at once, each used by one thread at
 * a time. A connection idle for less than {@code checkAfterIdle} is reused as it is; one idle that
 * long or longer is first checked ({@code NOOP}; a {@code checkAfterIdle} of zero checks every
 * reuse); one idle longer than {@code maxIdle} is closed and replaced, so a
 * server's idle timeout never meets a stale connection. A connection that failed is closed, never
 * returned; with a {@code maxIdle} of zero none is kept. Idle times are measured with the injected
 * {@link Clock}.
 *
 * <pre>{@code
 * ConnectionPool<Transport> pool = new ConnectionPool<>("smtp", ConnectionPool.Settings.DEFAULT, Duration.ofSeconds(30),
 *         this::connect, Transport::isConnected, this::closeQuietly);
 * pool.use("SMTP", transport -> {
 *     transport.sendMessage(message, recipients);
 *     return null;
 * });
 * }</pre>
 *
 * @param <C> the connection type
 */
public final class ConnectionPool<C> implements AutoCloseable {

    /** Opens a new, connected connection. */
    @FunctionalInterface
    public interface Connector<C> {
        C open() throws MessagingException;
    }

    /** Whether an idle connection still answers (a {@code NOOP}); must not throw. */
    @FunctionalInterface
    public interface Check<C> {
        boolean alive(C connection);
    }

    /** Closes a connection; failures are the closer's to swallow. */
    @FunctionalInterface
    public interface Closer<C> {
        void close(C connection);
    }

    /** A call made on a borrowed connection (see {@link #use(String, Use)}). */
    @FunctionalInterface
    public interface Use<C, T> {
        T apply(C c) throws MessagingException;
    }

    /** A borrowed connection; {@code reused} when it served an earlier call. */
    public record Lease<C>(C connection, boolean reused) {
        public Lease {
            Objects.requireNonNull(connection, "connection");
        }
    }

    /**
     * How a pool reuses connections: at most {@code maxConnections}, checked after {@code
     * checkAfterIdle}, replaced after {@code maxIdle}, idle time by {@code clock}.
     */
    public record Settings(int maxConnections, Duration checkAfterIdle, Duration maxIdle, Clock clock) {
        /** 4 connections, each checked before reuse, replaced after 60 s idle. */
        public static final Settings DEFAULT = new Settings(4, Duration.ZERO, Duration.ofSeconds(60), Clock.systemUTC());

        public Settings {
            Objects.requireNonNull(checkAfterIdle, "checkAfterIdle");
            Objects.requireNonNull(maxIdle, "maxIdle");
            Objects.requireNonNull(clock, "clock");
            if (maxConnections < 1) {
                throw new IllegalArgumentException("maxConnections must be at least 1, was " + maxConnections);
            }
            if (checkAfterIdle.isNegative() || maxIdle.compareTo(checkAfterIdle) < 0) {
                throw new IllegalArgumentException("need 0 <= checkAfterIdle <= maxIdle, were " + checkAfterIdle
                        + " and " + maxIdle);
            }
        }
    }

    private record Idle<C>(C connection, Instant since) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionPool.class);

    private final String name;
    private final Duration checkAfterIdle;
    private final Duration maxIdle;
    private final Clock clock;
    private final Duration borrowTimeout;
    private final Connector<C> connector;
    private final Check<C> check;
    private final Closer<C> closer;
    private final Semaphore permits;
    private final Deque<Idle<C>> idle = new ArrayDeque<>(); // guarded by itself; most recently used first
    private volatile boolean closed;

    /**
     * @param name           for logs, e.g. {@code "smtp"}
     * @param borrowTimeout  how long {@link #borrow()} waits for a free connection when all are in use
     */
    public ConnectionPool(String name, Settings settings, Duration borrowTimeout, Connector<C> connector,
            Check<C> check, Closer<C> closer) {
        this.name = Objects.requireNonNull(name, "name");
        Objects.requireNonNull(settings, "settings");
        this.checkAfterIdle = settings.checkAfterIdle();
        this.maxIdle = settings.maxIdle();
        this.clock = settings.clock();
        this.borrowTimeout = Objects.requireNonNull(borrowTimeout, "borrowTimeout");
        this.connector = Objects.requireNonNull(connector, "connector");
        this.check = Objects.requireNonNull(check, "check");
        this.closer = Objects.requireNonNull(closer, "closer");
        this.permits = new Semaphore(settings.maxConnections(), true);
    }

    /**
     * A connection for the calling thread: an idle one that is still good, else a new one.
     *
     * @throws MessagingException when a new connection cannot be opened, or none became free within
     *                            the borrow timeout, or the thread was interrupted (its flag set again)
     */
    public Lease<C> borrow() throws MessagingException {
        if (closed) {
            throw new IllegalStateException(name + " connection pool is closed");
        }
        try {
            if (!permits.tryAcquire(borrowTimeout.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new MessagingException("no free " + name + " connection within " + borrowTimeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MessagingException("interrupted while waiting for a " + name + " connection", e);
        }
        try {
            Idle<C> candidate;
            while ((candidate = pollIdle()) != null) {
                Duration idleFor = Duration.between(candidate.since(), clock.instant());
                if (idleFor.compareTo(maxIdle) > 0) {
                    LOG.debug("{} connection idle for {}: closing it", name, idleFor);
                    closer.close(candidate.connection());
                } else if (idleFor.compareTo(checkAfterIdle) >= 0 && !check.alive(candidate.connection())) {
                    LOG.debug("{} connection idle for {} no longer answers: closing it", name, idleFor);
                    closer.close(candidate.connection());
                } else {
                    return new Lease<>(candidate.connection(), true);
                }
            }
            return new Lease<>(connector.open(), false);
        } catch (MessagingException | RuntimeException | Error e) {
            permits.release();
            throw e;
        }
    }

    /** Gives the connection back: kept for reuse when {@code healthy}, else closed. */
    public void release(Lease<C> lease, boolean healthy) {
        Objects.requireNonNull(lease, "lease");
        try {
            if (healthy && !closed && !maxIdle.isZero()) {
                synchronized (idle) {
                    idle.addFirst(new Idle<>(lease.connection(), clock.instant()));
                }
                if (closed) { // closed meanwhile: do not leave it behind
                    closeIdle();
                }
            } else {
                closer.close(lease.connection());
            }
        } finally {
            permits.release();
        }
    }

    /**
     * Runs {@code call} on a borrowed connection and gives it back: kept for reuse when the call
     * returned normally, else closed. An {@link IllegalStateException} from the call (Jakarta Mail's
     * "not connected") becomes a {@link MessagingException} {@code "<protocol> connection lost: ..."}.
     *
     * @param protocol for the message of a lost connection, e.g. {@code "SMTP"}
     * @throws MessagingException as {@link #borrow()}, or from the call
     */
    public <T> T use(String protocol, Use<C, T> call) throws MessagingException {
        Lease<C> lease = borrow();
        boolean healthy = false;
        try {
            T result = call.apply(lease.connection());
            healthy = true;
            return result;
        } catch (IllegalStateException e) { // Jakarta Mail's "not connected"
            throw new MessagingException(protocol + " connection lost: " + e.getMessage(), e);
        } finally {
            release(lease, healthy);
        }
    }

    /** Closes the idle connections; connections in use are closed when they come back. */
    @Override
    public void close() {
        closed = true;
        closeIdle();
    }

    /** How many connections wait idle (for tests and diagnostics). */
    public int idleCount() {
        synchronized (idle) {
            return idle.size();
        }
    }

    private Idle<C> pollIdle() {
        synchronized (idle) {
            return idle.pollFirst();
        }
    }

    private void closeIdle() {
        Idle<C> c;
        while ((c = pollIdle()) != null) {
            closer.close(c.connection());
        }
    }
}
