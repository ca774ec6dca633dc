package io.ragmail.core.mail.internal;

import io.ragmail.testkit.odoo.SettableClock;
import jakarta.mail.MessagingException;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The pool behind the SMTP and IMAP sinks, with plain connection objects: which connection a
 * borrower gets, when one is checked, replaced or closed, and how many are lent at once. (The sinks'
 * own tests run it against GreenMail, including a server restart.)
 */
class ConnectionPoolTest {

    /** A stand-in connection: a number, whether it still answers, whether it was closed. */
    static final class Conn {
        final int id;
        volatile boolean alive = true;
        volatile boolean closed;
        int checks;

        Conn(int id) {
            this.id = id;
        }
    }

    private final SettableClock clock = new SettableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final List<Conn> opened = new CopyOnWriteArrayList<>();
    private final AtomicInteger next = new AtomicInteger();

    private ConnectionPool<Conn> pool(int max, Duration borrowTimeout) {
        return new ConnectionPool<>("test", new ConnectionPool.Settings(max, Duration.ofSeconds(1), Duration.ofSeconds(60), clock),
                borrowTimeout, () -> {
                    Conn c = new Conn(next.incrementAndGet());
                    opened.add(c);
                    return c;
                }, c -> {
                    c.checks++;
                    return c.alive;
                }, c -> c.closed = true);
    }

    @Test
    void a_connection_given_back_healthy_serves_the_next_borrower_without_a_check() throws Exception {
        ConnectionPool<Conn> pool = pool(2, Duration.ofSeconds(1));
        ConnectionPool.Lease<Conn> first = pool.borrow();
        assertThat(first.reused()).isFalse();
        pool.release(first, true);

        ConnectionPool.Lease<Conn> second = pool.borrow();

        assertThat(second.reused()).isTrue();
        assertThat(second.connection()).isSameAs(first.connection());
        assertThat(second.connection().checks).isZero();
        assertThat(opened).hasSize(1);
    }

    @Test
    void a_connection_that_failed_is_closed_and_never_lent_again() throws Exception {
        ConnectionPool<Conn> pool = pool(2, Duration.ofSeconds(1));
        ConnectionPool.Lease<Conn> first = pool.borrow();
        pool.release(first, false);

        ConnectionPool.Lease<Conn> second = pool.borrow();

        assertThat(first.connection().closed).isTrue();
        assertThat(second.connection()).isNotSameAs(first.connection());
        assertThat(second.reused()).isFalse();
    }

    @Test
    void a_connection_idle_for_a_while_is_checked_and_replaced_when_it_no_longer_answers() throws Exception {
        ConnectionPool<Conn> pool = pool(2, Duration.ofSeconds(1));
        ConnectionPool.Lease<Conn> first = pool.borrow();
        pool.release(first, true);
        clock.advance(Duration.ofSeconds(5));
        first.connection().alive = false; // e.g. the server restarted

        ConnectionPool.Lease<Conn> second = pool.borrow();

        assertThat(first.connection().checks).isEqualTo(1);
        assertThat(first.connection().closed).isTrue();
        assertThat(second.connection()).isNotSameAs(first.connection());
    }

    @Test
    void a_connection_idle_for_a_while_that_still_answers_is_reused() throws Exception {
        ConnectionPool<Conn> pool = pool(2, Duration.ofSeconds(1));
        ConnectionPool.Lease<Conn> first = pool.borrow();
        pool.release(first, true);
        clock.advance(Duration.ofSeconds(5));

        ConnectionPool.Lease<Conn> second = pool.borrow();

        assertThat(second.connection()).isSameAs(first.connection());
        assertThat(first.connection().checks).isEqualTo(1);
    }

    @Test
    void a_connection_idle_longer_than_max_idle_is_closed_without_asking_it() throws Exception {
        ConnectionPool<Conn> pool = pool(2, Duration.ofSeconds(1));
        ConnectionPool.Lease<Conn> first = pool.borrow();
        pool.release(first, true);
        clock.advance(Duration.ofMinutes(2));

        ConnectionPool.Lease<Conn> second = pool.borrow();

        assertThat(first.connection().closed).isTrue();
        assertThat(first.connection().checks).isZero();
        assertThat(second.connection()).isNotSameAs(first.connection());
    }

    @Test
    void no_more_than_max_connections_are_lent_at_once_and_a_borrower_waits_for_one() throws Exception {
        ConnectionPool<Conn> pool = pool(2, Duration.ofSeconds(10));
        ConnectionPool.Lease<Conn> a = pool.borrow();
        ConnectionPool.Lease<Conn> b = pool.borrow();
        java.util.concurrent.atomic.AtomicReference<Thread> borrower = new java.util.concurrent.atomic.AtomicReference<>();
        CompletableFuture<ConnectionPool.Lease<Conn>> third = CompletableFuture.supplyAsync(() -> {
            borrower.set(Thread.currentThread());
            try {
                return pool.borrow();
            } catch (MessagingException e) {
                throw new IllegalStateException(e);
            }
        });
        // the third borrower is parked waiting for a permit (not merely not yet started), and has
        // neither opened a third connection nor been given one of the two that are lent
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> borrower.get() != null
                && borrower.get().getState() == Thread.State.TIMED_WAITING
                && java.util.concurrent.locks.LockSupport.getBlocker(borrower.get()) != null);
        assertThat(third).isNotDone();
        assertThat(opened).hasSize(2);

        pool.release(a, true);

        assertThat(third.get(10, TimeUnit.SECONDS).connection()).isSameAs(a.connection());
        assertThat(opened).hasSize(2);
        pool.release(b, true);
    }

    @Test
    void a_borrower_that_finds_no_free_connection_in_time_gets_an_error_naming_the_pool() throws Exception {
        ConnectionPool<Conn> pool = pool(1, Duration.ofMillis(50));
        pool.borrow();

        assertThatThrownBy(pool::borrow).isInstanceOf(MessagingException.class).hasMessageContaining("test connection");
    }

    @Test
    void a_connection_that_cannot_be_opened_does_not_use_up_a_place() {
        ConnectionPool<Conn> pool = new ConnectionPool<>("test", new ConnectionPool.Settings(1, Duration.ZERO,
                Duration.ofSeconds(1), clock), Duration.ofMillis(50), () -> {
                    throw new MessagingException("refused");
                }, c -> true, c -> c.closed = true);

        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(pool::borrow).hasMessage("refused");
        }
    }

    @Test
    void closing_closes_idle_connections_and_those_given_back_afterwards() throws Exception {
        ConnectionPool<Conn> pool = pool(3, Duration.ofSeconds(1));
        ConnectionPool.Lease<Conn> idle = pool.borrow();
        ConnectionPool.Lease<Conn> busy = pool.borrow();
        pool.release(idle, true);

        pool.close();
        pool.release(busy, true);

        assertThat(idle.connection().closed).isTrue();
        assertThat(busy.connection().closed).isTrue();
        assertThat(pool.idleCount()).isZero();
        assertThatThrownBy(pool::borrow).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void with_max_idle_zero_no_connection_is_kept() throws Exception {
        ConnectionPool<Conn> pool = new ConnectionPool<>("test", new ConnectionPool.Settings(2, Duration.ZERO, Duration.ZERO,
                clock), Duration.ofSeconds(1), () -> new Conn(next.incrementAndGet()), c -> true, c -> c.closed = true);
        ConnectionPool.Lease<Conn> first = pool.borrow();
        pool.release(first, true);

        assertThat(first.connection().closed).isTrue();
        assertThat(pool.borrow().connection()).isNotSameAs(first.connection());
    }

    @Test
    void settings_name_what_is_wrong() {
        assertThatThrownBy(() -> new ConnectionPool.Settings(0, Duration.ZERO, Duration.ZERO, clock))
                .hasMessageContaining("maxConnections must be at least 1, was 0");
        assertThatThrownBy(() -> new ConnectionPool.Settings(1, Duration.ofSeconds(2), Duration.ofSeconds(1), clock))
                .hasMessageContaining("checkAfterIdle");
    }
}
