package io.ragmail.it;

import io.ragmail.core.AuthenticationException;
import io.ragmail.core.Component;
import io.ragmail.core.Draft;
import io.ragmail.core.Drafter;
import io.ragmail.core.NonRetriableException;
import io.ragmail.core.Pipeline;
import io.ragmail.core.RetriableException;
import io.ragmail.core.RetryPolicy;
import io.ragmail.core.event.ComponentDownEvent;
import io.ragmail.core.event.MailDeadEvent;
import io.ragmail.core.event.PipelineListener;
import io.ragmail.core.event.RetryScheduledEvent;
import io.ragmail.core.imap.ImapMailSource;
import io.ragmail.core.ledger.LedgerEntry;
import io.ragmail.core.ledger.MailState;
import io.ragmail.core.ledger.SqliteLedger;
import io.ragmail.testkit.FakeDrafter;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** What the pipeline does when a stage fails: retry with backoff, the failed-mail queue, credentials, listeners. */
class FailureHandlingTest extends MailboxTestBase {

    /** Fails the first {@code failures} calls with the given fault, then drafts like {@link FakeDrafter}. */
    private static Drafter failingFirst(int failures, RuntimeException fault, AtomicInteger calls) {
        FakeDrafter working = new FakeDrafter();
        return request -> {
            if (calls.incrementAndGet() <= failures) {
                throw fault;
            }
            return working.draft(request);
        };
    }

    @Test
    void a_passing_fault_is_retried_with_backoff_until_the_mail_is_answered() {
        AtomicInteger calls = new AtomicInteger();
        List<RetryScheduledEvent> retries = new CopyOnWriteArrayList<>();
        List<ComponentDownEvent> downs = new CopyOnWriteArrayList<>();
        PipelineListener listener = new PipelineListener() {
            @Override
            public void onRetryScheduled(RetryScheduledEvent event) {
                retries.add(event);
            }

            @Override
            public void onComponentDown(ComponentDownEvent event) {
                downs.add(event);
            }
        };
        Drafter drafter = failingFirst(2, new RetriableException("mistral", "503 Service Unavailable"), calls);
        try (SqliteLedger ledger = rig.openLedger();
             ImapMailSource source = rig.newSource();
             Pipeline pipeline = rig.pipeline(ledger, source, drafter).listener(listener).build()) {
            pipeline.start();
            rig.deliverQuestion(1);
            await().atMost(Duration.ofSeconds(30)).until(() -> rig.count(ledger, MailState.SENT) == 1);
        }
        assertThat(calls).hasValue(3);
        assertThat(retries).extracting(RetryScheduledEvent::attempt).containsExactly(1, 2);
        assertThat(retries.get(0).error()).contains("503 Service Unavailable");
        assertThat(downs).extracting(ComponentDownEvent::component).containsExactly(Component.MISTRAL);
        assertThat(rig.repliesTo(MailboxRig.customer(1))).hasSize(1);
    }

    @Test
    void a_mail_that_keeps_failing_goes_to_the_failed_mail_queue_with_its_error_and_others_are_still_answered() {
        Drafter drafter = request -> {
            if (request.mail().subject().contains("Question 1 ")) {
                throw new RetriableException("mistral", "timeout after 30s");
            }
            return new FakeDrafter().draft(request);
        };
        List<MailDeadEvent> dead = new CopyOnWriteArrayList<>();
        try (SqliteLedger ledger = rig.openLedger();
             ImapMailSource source = rig.newSource();
             Pipeline pipeline = rig.pipeline(ledger, source, drafter)
                     .retryPolicy(RetryPolicy.builder().maxAttempts(3).initialDelay(Duration.ofMillis(50))
                             .maxDelay(Duration.ofMillis(200)).build())
                     .listener(new PipelineListener() {
                         @Override
                         public void onDead(MailDeadEvent event) {
                             dead.add(event);
                         }
                     })
                     .build()) {
            pipeline.start();
            rig.deliverQuestion(1);
            rig.deliverQuestion(2);
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    rig.count(ledger, MailState.DEAD) == 1 && rig.count(ledger, MailState.SENT) == 1);
            LedgerEntry failed = MailboxRig.entries(ledger, MailState.DEAD).get(0);
            assertThat(failed.mail().from().address()).isEqualTo(MailboxRig.customer(1));
            assertThat(failed.attempts()).isEqualTo(3);
            assertThat(failed.reason()).contains("gave up after 3 attempts").contains("timeout after 30s");
        }
        assertThat(dead).hasSize(1);
        assertThat(rig.repliesTo(MailboxRig.customer(1))).isEmpty();
        assertThat(rig.repliesTo(MailboxRig.customer(2))).hasSize(1);
    }

    @Test
    void a_permanent_fault_is_not_retried() {
        AtomicInteger calls = new AtomicInteger();
        Drafter drafter = failingFirst(Integer.MAX_VALUE, new NonRetriableException("drafter", "prompt rejected"), calls);
        try (SqliteLedger ledger = rig.openLedger();
             ImapMailSource source = rig.newSource();
             Pipeline pipeline = rig.pipeline(ledger, source, drafter).build()) {
            pipeline.start();
            rig.deliverQuestion(1);
            await().atMost(Duration.ofSeconds(30)).until(() -> rig.count(ledger, MailState.DEAD) == 1);
            assertThat(MailboxRig.entries(ledger, MailState.DEAD).get(0).reason()).contains("prompt rejected");
        }
        assertThat(calls).hasValue(1);
    }

    @Test
    void rejected_credentials_are_a_critical_event_and_the_mail_waits_without_using_up_its_attempts() {
        AtomicInteger calls = new AtomicInteger();
        List<ComponentDownEvent> downs = new CopyOnWriteArrayList<>();
        Drafter drafter = failingFirst(Integer.MAX_VALUE, new AuthenticationException("mistral", "401 Unauthorized"), calls);
        try (SqliteLedger ledger = rig.openLedger();
             ImapMailSource source = rig.newSource();
             Pipeline pipeline = rig.pipeline(ledger, source, drafter)
                     .listener(new PipelineListener() {
                         @Override
                         public void onComponentDown(ComponentDownEvent event) {
                             downs.add(event);
                         }
                     })
                     .build()) {
            pipeline.start();
            rig.deliverQuestion(1);
            await().atMost(Duration.ofSeconds(30)).until(() -> rig.count(ledger, MailState.RETRY) == 1);
            LedgerEntry waiting = MailboxRig.entries(ledger, MailState.RETRY).get(0);
            assertThat(waiting.attempts()).isZero();
            assertThat(waiting.reason()).contains("401 Unauthorized");
        }
        assertThat(downs).singleElement().satisfies(event -> {
            assertThat(event.component()).isEqualTo(Component.MISTRAL);
            assertThat(event.critical()).isTrue();
        });
        assertThat(rig.repliesTo(MailboxRig.customer(1))).isEmpty();
    }

    @Test
    void a_listener_that_throws_never_breaks_the_pipeline() {
        PipelineListener broken = new PipelineListener() {
            @Override
            public void onReceived(io.ragmail.core.event.MailReceivedEvent event) {
                throw new IllegalStateException("listener bug");
            }

            @Override
            public void onDrafted(io.ragmail.core.event.ReplyDraftedEvent event) {
                throw new IllegalStateException("listener bug");
            }

            @Override
            public void onSent(io.ragmail.core.event.ReplySentEvent event) {
                throw new IllegalStateException("listener bug");
            }
        };
        AtomicInteger sentSeenByHealthyListener = new AtomicInteger();
        try (SqliteLedger ledger = rig.openLedger();
             ImapMailSource source = rig.newSource();
             Pipeline pipeline = rig.pipeline(ledger, source, new FakeDrafter())
                     .listener(broken)
                     .listener(new PipelineListener() {
                         @Override
                         public void onSent(io.ragmail.core.event.ReplySentEvent event) {
                             sentSeenByHealthyListener.incrementAndGet();
                         }
                     })
                     .build()) {
            pipeline.start();
            for (int i = 0; i < 3; i++) {
                rig.deliverQuestion(i);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> rig.count(ledger, MailState.SENT) == 3);
        }
        assertThat(sentSeenByHealthyListener).hasValue(3);
    }

    @Test
    void an_unsure_draft_is_filed_in_drafts_with_the_reason_and_not_sent() {
        try (SqliteLedger ledger = rig.openLedger();
             ImapMailSource source = rig.newSource();
             Pipeline pipeline = rig.pipeline(ledger, source, new FakeDrafter(0.3)).build()) {
            pipeline.start();
            rig.deliverQuestion(1);
            await().atMost(Duration.ofSeconds(30)).until(() -> rig.count(ledger, MailState.REVIEW) == 1);
        }
        assertThat(rig.repliesTo(MailboxRig.customer(1))).isEmpty();
        assertThat(rig.folder("Drafts")).singleElement().satisfies(draft -> {
            assertThat(draft.flags()).contains("\\Draft");
            assertThat(draft.text()).contains("confidence 0.30 is below 0.70");
        });
    }
}
