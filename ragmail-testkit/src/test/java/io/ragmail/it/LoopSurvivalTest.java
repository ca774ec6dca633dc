package io.ragmail.it;

import io.ragmail.core.Drafter;
import io.ragmail.core.Pipeline;
import io.ragmail.core.ReviewPolicy;
import io.ragmail.core.RetryPolicy;
import io.ragmail.core.event.PipelineListener;
import io.ragmail.core.event.PipelineStoppedEvent;
import io.ragmail.core.event.RetryScheduledEvent;
import io.ragmail.core.imap.ImapMailSource;
import io.ragmail.core.ledger.LedgerEntry;
import io.ragmail.core.ledger.MailState;
import io.ragmail.core.ledger.SqliteLedger;
import io.ragmail.testkit.FakeDrafter;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Neither the fetch loop nor a worker dies silently of an {@link Error}, and every attempt counts, so
 * no mail is drafted (and paid for) again and again without end.
 */
class LoopSurvivalTest extends MailboxTestBase {

    @Test
    void an_error_thrown_by_the_source_does_not_end_the_fetch_loop() {
        try (SqliteLedger ledger = rig.openLedger();
             ImapMailSource imap = rig.newSource();
             FaultySource source = new FaultySource(imap, 2, () -> new NoClassDefFoundError("org/example/Missing"), 0);
             Pipeline pipeline = rig.pipeline(ledger, imap, new FakeDrafter()).source(source)
                     .sleeper(d -> { }).build()) {
            Instant started = pipeline.lastProgress();
            pipeline.start();
            rig.deliverQuestion(1);

            await().atMost(Duration.ofSeconds(30)).until(() -> rig.count(ledger, MailState.SENT) == 1);
            assertThat(pipeline.isRunning()).isTrue();
            assertThat(pipeline.lastProgress()).isAfter(started);
        }
        assertThat(rig.repliesTo(MailboxRig.customer(1))).hasSize(1);
    }

    @Test
    void a_fetch_loop_that_dies_all_the_same_reports_the_pipeline_stopped() throws InterruptedException {
        List<PipelineStoppedEvent> stopped = new CopyOnWriteArrayList<>();
        try (SqliteLedger ledger = rig.openLedger();
             ImapMailSource imap = rig.newSource();
             FaultySource source = new FaultySource(imap, Integer.MAX_VALUE, () -> new OutOfMemoryError("Java heap space"), 0);
             Pipeline pipeline = rig.pipeline(ledger, imap, new FakeDrafter()).source(source)
                     // even backing off fails: the loop's own recovery cannot run
                     .sleeper(d -> { throw new OutOfMemoryError("Java heap space"); })
                     .listener(new PipelineListener() {
                         @Override
                         public void onStopped(PipelineStoppedEvent event) {
                             stopped.add(event);
                         }
                     })
                     .build()) {
            pipeline.start();

            // a main blocked in awaitTermination wakes up without anyone calling close()
            assertThat(pipeline.awaitTermination(Duration.ofSeconds(30))).isTrue();
            assertThat(pipeline.isRunning()).isFalse();
            assertThat(pipeline.failure()).containsInstanceOf(OutOfMemoryError.class);
            assertThat(stopped).singleElement().satisfies(e -> assertThat(e.failure()).isPresent());
        }
    }

    @Test
    void an_error_in_a_worker_is_a_failed_attempt_and_frees_the_workers_slot() {
        AtomicInteger calls = new AtomicInteger();
        FakeDrafter fake = new FakeDrafter();
        Drafter overflowingOnce = request -> {
            if (calls.incrementAndGet() == 1) {
                throw new StackOverflowError();
            }
            return fake.draft(request);
        };
        List<RetryScheduledEvent> retries = new CopyOnWriteArrayList<>();
        try (SqliteLedger ledger = rig.openLedger();
             ImapMailSource source = rig.newSource();
             Pipeline pipeline = rig.pipeline(ledger, source, overflowingOnce).concurrency(1)
                     .listener(new PipelineListener() {
                         @Override
                         public void onRetryScheduled(RetryScheduledEvent event) {
                             retries.add(event);
                         }
                     })
                     .build()) {
            pipeline.start();
            rig.deliverQuestion(1);
            rig.deliverQuestion(2);

            // A worker frees its slot just after the ledger records SENT: wait for both.
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> rig.count(ledger, MailState.SENT) == 2 && pipeline.inFlight() == 0);
        }
        assertThat(retries).singleElement().satisfies(r -> assertThat(r.attempt()).isEqualTo(1));
        assertThat(rig.repliesTo(MailboxRig.customer(1))).hasSize(1);
        assertThat(rig.repliesTo(MailboxRig.customer(2))).hasSize(1);
    }

    @Test
    void an_exception_outside_the_stages_counts_as_an_attempt_and_the_mail_ends_dead_not_drafted_forever() {
        AtomicInteger drafts = new AtomicInteger();
        FakeDrafter fake = new FakeDrafter();
        Drafter counting = request -> {
            drafts.incrementAndGet();
            return fake.draft(request);
        };
        ReviewPolicy broken = (request, draft) -> {
            throw new IllegalStateException("review policy bug");
        };
        try (SqliteLedger ledger = rig.openLedger();
             ImapMailSource source = rig.newSource();
             Pipeline pipeline = rig.pipeline(ledger, source, counting).reviewPolicy(broken)
                     .retryPolicy(RetryPolicy.builder().maxAttempts(3).initialDelay(Duration.ofMillis(50))
                             .maxDelay(Duration.ofMillis(200)).build())
                     .build()) {
            pipeline.start();
            rig.deliverQuestion(1);

            await().atMost(Duration.ofSeconds(30)).until(() -> rig.count(ledger, MailState.DEAD) == 1);
            LedgerEntry dead = MailboxRig.entries(ledger, MailState.DEAD).get(0);
            assertThat(dead.reason()).contains("gave up after 3 attempts").contains("review policy bug");
            assertThat(dead.attempts()).isEqualTo(3);
        }
        assertThat(drafts).hasValue(3);
        assertThat(rig.repliesTo(MailboxRig.customer(1))).isEmpty();
    }

    @Test
    void a_mail_whose_every_attempt_was_cut_short_goes_to_the_failed_mail_queue_without_another_paid_draft() {
        AtomicInteger started = new AtomicInteger();
        Drafter hanging = request -> {
            started.incrementAndGet();
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            // as a process killed mid-draft
            throw new CrashSwitch.SimulatedCrash("while drafting");
        };
        RetryPolicy threeAttempts = RetryPolicy.builder().maxAttempts(3).initialDelay(Duration.ofMillis(50))
                .maxDelay(Duration.ofMillis(200)).build();
        rig.deliverQuestion(1);
        // three runs, each stopped while drafting the mail
        for (int run = 1; run <= 3; run++) {
            int attempt = run;
            try (SqliteLedger ledger = rig.openLedger(); ImapMailSource source = rig.newSource()) {
                Pipeline pipeline = rig.pipeline(ledger, source, hanging).retryPolicy(threeAttempts)
                        .shutdownTimeout(Duration.ofMillis(300)).build();
                pipeline.start();
                await().atMost(Duration.ofSeconds(30)).until(() -> started.get() == attempt);
                pipeline.close();
            }
        }

        AtomicInteger drafts = new AtomicInteger();
        FakeDrafter fake = new FakeDrafter();
        try (SqliteLedger ledger = rig.openLedger();
             ImapMailSource source = rig.newSource();
             Pipeline pipeline = rig.pipeline(ledger, source, request -> {
                 drafts.incrementAndGet();
                 return fake.draft(request);
             }).retryPolicy(threeAttempts).build()) {
            pipeline.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> rig.count(ledger, MailState.DEAD) == 1);
            assertThat(MailboxRig.entries(ledger, MailState.DEAD).get(0).reason()).contains("gave up after 3 attempts");
        }
        assertThat(started).hasValue(3);
        assertThat(drafts).hasValue(0);
        assertThat(rig.repliesTo(MailboxRig.customer(1))).isEmpty();
    }
}
