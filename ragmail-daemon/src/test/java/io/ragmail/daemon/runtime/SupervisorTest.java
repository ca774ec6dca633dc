package io.ragmail.daemon.runtime;

import io.ragmail.testkit.odoo.SettableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class SupervisorTest {

    private final SettableClock clock = new SettableClock(Instant.parse("2026-03-01T10:00:00Z"));
    private final DaemonStats stats = new DaemonStats(clock, ZoneOffset.UTC);
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();

    @Test
    void a_failing_component_is_restarted_with_exponential_backoff_capped_at_its_interval_and_shown_down_until_it_recovers() {
        Supervisor supervisor = new Supervisor(executor, clock, stats);
        AtomicInteger calls = new AtomicInteger();
        Supervisor.Task odooDownThreeTimes = () -> {
            if (calls.incrementAndGet() <= 5) {
                throw new IllegalStateException("Odoo unreachable");
            }
        };
        Duration interval = Duration.ofMinutes(10);

        assertThat(supervisor.runOnce("odoo-sync", interval, odooDownThreeTimes)).isEqualTo(Duration.ofSeconds(30));
        assertThat(supervisor.runOnce("odoo-sync", interval, odooDownThreeTimes)).isEqualTo(Duration.ofMinutes(1));
        assertThat(supervisor.runOnce("odoo-sync", interval, odooDownThreeTimes)).isEqualTo(Duration.ofMinutes(2));
        assertThat(supervisor.runOnce("odoo-sync", interval, odooDownThreeTimes)).isEqualTo(Duration.ofMinutes(4));
        assertThat(supervisor.runOnce("odoo-sync", interval, odooDownThreeTimes)).isEqualTo(Duration.ofMinutes(8));
        assertThat(stats.down()).containsKey("odoo-sync");
        assertThat(supervisor.states().get("odoo-sync").restarts()).isEqualTo(5);

        clock.advance(Duration.ofMinutes(1));
        assertThat(supervisor.runOnce("odoo-sync", interval, odooDownThreeTimes)).isEqualTo(interval);
        assertThat(stats.down()).doesNotContainKey("odoo-sync");
        assertThat(supervisor.states().get("odoo-sync").lastSuccess()).isEqualTo(clock.instant());
        assertThat(supervisor.states().get("odoo-sync").failuresInARow()).isZero();
        executor.shutdownNow();
    }

    @Test
    void one_failing_component_does_not_stop_another() throws Exception {
        Supervisor supervisor = new Supervisor(executor, clock, stats);
        AtomicInteger healthy = new AtomicInteger();
        supervisor.every("broken", Duration.ofMillis(50), Duration.ZERO, () -> {
            throw new IllegalStateException("always");
        });
        supervisor.every("knowledge-rescan", Duration.ofMillis(20), Duration.ZERO, healthy::incrementAndGet);

        DaemonFixture.await("the healthy component keeps running", Duration.ofSeconds(10), () -> healthy.get() >= 5);
        assertThat(stats.down()).containsOnlyKeys("broken");
        executor.shutdownNow();
    }
}
