package io.ragmail.it;

import io.ragmail.core.Drafter;
import io.ragmail.core.Pipeline;
import io.ragmail.core.RetriableException;
import io.ragmail.core.imap.ImapMailSource;
import io.ragmail.core.ledger.MailState;
import io.ragmail.core.ledger.SqliteLedger;
import io.ragmail.testkit.FakeDrafter;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class GracefulShutdownTest extends MailboxTestBase {

    @Test
    void close_lets_mail_in_flight_finish_and_fetches_nothing_new() throws Exception {
        CountDownLatch drafting = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        FakeDrafter fake = new FakeDrafter();
        Drafter slow = request -> {
            drafting.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RetriableException("drafter", "interrupted");
            }
            return fake.draft(request);
        };
        try (SqliteLedger ledger = rig.openLedger(); ImapMailSource source = rig.newSource()) {
            Pipeline pipeline = rig.pipeline(ledger, source, slow).build();
            pipeline.start();
            rig.deliverQuestion(1);
            assertThat(drafting.await(60, TimeUnit.SECONDS)).isTrue();

            CompletableFuture<Void> closing = CompletableFuture.runAsync(pipeline::close);
            // Generous bounds: they only stop a hung test and must not flake on a loaded 2-core CI
            // (close() itself waits up to shutdownTimeout for each thread).
            await().atMost(Duration.ofSeconds(60)).until(() -> !pipeline.isRunning());
            rig.deliverQuestion(2); // arrives during shutdown: left for the next run
            release.countDown();
            closing.get(60, TimeUnit.SECONDS);

            assertThat(rig.count(ledger, MailState.SENT)).isEqualTo(1);
            assertThat(rig.total(ledger)).isEqualTo(1);
        }
        assertThat(rig.repliesTo(MailboxRig.customer(1))).hasSize(1);
        assertThat(rig.folder("INBOX")).filteredOn(m -> !m.flags().contains("\\Seen")).hasSize(1);
    }

    @Test
    void mail_still_in_flight_after_the_shutdown_timeout_is_resumed_on_the_next_start() {
        Drafter hanging = request -> {
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new RetriableException("drafter", "interrupted by shutdown");
        };
        try (SqliteLedger ledger = rig.openLedger(); ImapMailSource source = rig.newSource()) {
            Pipeline pipeline = rig.pipeline(ledger, source, hanging).shutdownTimeout(Duration.ofMillis(500)).build();
            pipeline.start();
            rig.deliverQuestion(1);
            await().atMost(Duration.ofSeconds(60)).until(() -> rig.count(ledger, MailState.DRAFTING) == 1);
            pipeline.close();
        }

        try (SqliteLedger ledger = rig.openLedger();
             ImapMailSource source = rig.newSource();
             Pipeline pipeline = rig.pipeline(ledger, source, new FakeDrafter()).build()) {
            pipeline.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> rig.count(ledger, MailState.SENT) == 1);
        }
        assertThat(rig.repliesTo(MailboxRig.customer(1))).hasSize(1);
    }

    @Test
    void a_thread_waiting_in_awaitTermination_returns_once_close_completed_from_another_thread() throws Exception {
        try (SqliteLedger ledger = rig.openLedger(); ImapMailSource source = rig.newSource()) {
            Pipeline pipeline = rig.pipeline(ledger, source, new FakeDrafter()).build();
            pipeline.start();
            CompletableFuture<Void> waiting = CompletableFuture.runAsync(() -> {
                try {
                    pipeline.awaitTermination();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            // the pipeline answers mail while the waiter blocks
            rig.deliverQuestion(1);
            await().atMost(Duration.ofSeconds(60)).until(() -> rig.count(ledger, MailState.SENT) == 1);
            assertThat(waiting).isNotDone();
            assertThat(pipeline.awaitTermination(Duration.ofMillis(10))).isFalse();

            CompletableFuture.runAsync(pipeline::close);

            waiting.get(60, TimeUnit.SECONDS);
            assertThat(pipeline.isRunning()).isFalse();
            assertThat(pipeline.failure()).isEmpty();
            assertThat(pipeline.awaitTermination(Duration.ZERO)).isTrue();
        }
    }

    @Test
    void awaitTermination_returns_at_once_for_a_pipeline_closed_without_being_started() throws Exception {
        try (SqliteLedger ledger = rig.openLedger(); ImapMailSource source = rig.newSource()) {
            Pipeline pipeline = rig.pipeline(ledger, source, new FakeDrafter()).build();
            pipeline.close();
            assertThat(pipeline.awaitTermination(Duration.ZERO)).isTrue();
        }
    }
}
