package io.ragmail.it;

import io.ragmail.core.Drafter;
import io.ragmail.core.EmailAddress;
import io.ragmail.core.MailOutcome;
import io.ragmail.core.NonRetriableException;
import io.ragmail.core.Pipeline;
import io.ragmail.core.event.MailSkippedEvent;
import io.ragmail.core.event.PipelineListener;
import io.ragmail.core.imap.ImapMailSource;
import io.ragmail.core.ledger.LedgerEntry;
import io.ragmail.core.ledger.MailState;
import io.ragmail.core.ledger.SqliteLedger;
import io.ragmail.core.triage.Triage;
import io.ragmail.testkit.FakeDrafter;
import io.ragmail.testkit.odoo.SettableClock;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Mail we did not answer: a person sees the mail that needs one (rate limit, size, given up on), the
 * source hears of every outcome even when telling it failed once, retention never brings a mail back
 * as new, the rate limit holds under concurrency, and a reused Message-ID does not swallow a mail.
 */
class UnansweredMailTest extends MailboxTestBase {

    private static Triage triage(int maxPerSender) {
        return Triage.builder().ourAddresses(List.of(EmailAddress.of(MailboxRig.SUPPORT)))
                .maxRepliesPerSender(maxPerSender).build();
    }

    @Test
    void mail_over_the_senders_rate_limit_or_the_size_cap_is_left_for_a_person_and_an_auto_reply_is_not() {
        List<MailSkippedEvent> skipped = new CopyOnWriteArrayList<>();
        try (SqliteLedger ledger = rig.openLedger();
             ImapMailSource imap = ImapMailSource.builder().account(rig.imap()).maxMessageBytes(20_000).build();
             FaultySource source = FaultySource.recording(imap);
             Pipeline pipeline = rig.pipeline(ledger, imap, new FakeDrafter()).source(source).triage(triage(1))
                     .listener(new PipelineListener() {
                         @Override
                         public void onSkipped(MailSkippedEvent event) {
                             skipped.add(event);
                         }
                     })
                     .build()) {
            pipeline.start();
            String first = rig.server.deliver(MailboxRig.customer(1), MailboxRig.SUPPORT, "Order 1", "Where is order 1?", Map.of());
            await().atMost(Duration.ofSeconds(30)).until(() -> rig.count(ledger, MailState.SENT) == 1);
            String second = rig.server.deliver(MailboxRig.customer(1), MailboxRig.SUPPORT, "Order 2", "Where is order 2?", Map.of());
            String large = rig.server.deliver(MailboxRig.customer(2), MailboxRig.SUPPORT, "Big attachment",
                    "x".repeat(40_000), Map.of());
            String vacation = rig.server.deliver("holiday@customers.example", MailboxRig.SUPPORT, "Out of office",
                    "Away until Monday.", Map.of("Auto-Submitted", "auto-replied"));
            await().atMost(Duration.ofSeconds(30)).until(() -> source.outcomes.size() == 4);

            assertThat(source.outcomes).containsEntry(first, MailOutcome.ANSWERED)
                    .containsEntry(second, MailOutcome.NEEDS_PERSON)
                    .containsEntry(large, MailOutcome.NEEDS_PERSON)
                    .containsEntry(vacation, MailOutcome.IGNORED);
            assertThat(skipped).filteredOn(MailSkippedEvent::needsPerson).hasSize(2);
            assertThat(skipped).filteredOn(e -> !e.needsPerson()).singleElement()
                    .satisfies(e -> assertThat(e.reason()).contains("auto-submitted"));
            // a restart acknowledges the same way: the kind is stored, not read from the reason
            assertThat(MailboxRig.entries(ledger, MailState.SKIPPED)).extracting(e -> e.key().messageId(),
                    e -> e.acknowledgement().orElseThrow())
                    .contains(org.assertj.core.groups.Tuple.tuple(second, MailOutcome.NEEDS_PERSON),
                            org.assertj.core.groups.Tuple.tuple(vacation, MailOutcome.IGNORED));
        }
        assertThat(rig.repliesTo(MailboxRig.customer(1))).hasSize(1);
    }

    @Test
    void mail_given_up_on_is_acknowledged_as_needing_a_person_so_that_it_is_not_yielded_again_as_new() {
        Drafter rejecting = request -> {
            throw new NonRetriableException("drafter", "prompt rejected");
        };
        try (SqliteLedger ledger = rig.openLedger();
             ImapMailSource imap = rig.newSource();
             FaultySource source = FaultySource.recording(imap);
             Pipeline pipeline = rig.pipeline(ledger, imap, rejecting).source(source).build()) {
            pipeline.start();
            String id = rig.deliverQuestion(1);

            await().atMost(Duration.ofSeconds(30)).until(() -> source.outcomes.containsKey(id));
            assertThat(source.outcomes).containsEntry(id, MailOutcome.NEEDS_PERSON);
            assertThat(rig.count(ledger, MailState.DEAD)).isEqualTo(1);
        }
    }

    @Test
    void a_failed_acknowledgement_is_retried_and_purging_never_brings_a_mail_back_as_new() throws Exception {
        SettableClock clock = new SettableClock(Instant.now());
        try (SqliteLedger ledger = rig.openLedger();
             ImapMailSource imap = rig.newSource();
             FaultySource source = new FaultySource(imap, 0, () -> null, 1);
             Pipeline pipeline = rig.pipeline(ledger, imap, new FakeDrafter()).source(source).clock(clock).build()) {
            pipeline.start();
            String id = rig.deliverQuestion(1);
            await().atMost(Duration.ofSeconds(30)).until(() -> rig.count(ledger, MailState.SENT) == 1);
            assertThat(source.outcomes).doesNotContainKey(id); // the first acknowledgement failed

            clock.advance(Duration.ofMinutes(2)); // the sweep's turn
            await().atMost(Duration.ofSeconds(30)).until(() -> source.outcomes.containsKey(id));
            await().atMost(Duration.ofSeconds(30)).until(() -> ledger.unacknowledged(10).isEmpty());
        }
        // retention: a month later the ledger is purged; the mail is still on the server
        try (SqliteLedger ledger = rig.openLedger()) {
            assertThat(ledger.purgeTerminalBefore(Instant.now().plus(Duration.ofDays(31)))).isEqualTo(1);
        }
        rig.markInboxUnread(); // another client marks it unread: the source yields it again

        try (SqliteLedger ledger = rig.openLedger();
             ImapMailSource imap = rig.newSource();
             FaultySource source = FaultySource.recording(imap);
             Pipeline pipeline = rig.pipeline(ledger, imap, new FakeDrafter()).source(source).build()) {
            pipeline.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> !source.outcomes.isEmpty());
            assertThat(source.outcomes.values()).containsExactly(MailOutcome.ANSWERED);
        }
        assertThat(rig.repliesTo(MailboxRig.customer(1))).hasSize(1);
    }

    @Test
    void concurrent_mails_from_one_sender_get_no_more_replies_than_the_limit() {
        int limit = 3;
        int mails = 8;
        // Holds each draft until four are being drafted at once (or a short while passes), so that
        // mails from one sender are in flight together, as they are on a busy day.
        CountDownLatch together = new CountDownLatch(4);
        FakeDrafter fake = new FakeDrafter();
        Drafter slow = request -> {
            together.countDown();
            try {
                together.await(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return fake.draft(request);
        };
        for (int i = 0; i < mails; i++) {
            rig.server.deliver(MailboxRig.customer(1), MailboxRig.SUPPORT, "Question " + i, "Is ACE-" + i + " in stock?",
                    Map.of());
        }
        try (SqliteLedger ledger = rig.openLedger();
             ImapMailSource source = rig.newSource();
             Pipeline pipeline = rig.pipeline(ledger, source, slow).triage(triage(limit)).concurrency(4).build()) {
            pipeline.start();
            await().atMost(Duration.ofSeconds(60)).until(() -> rig.total(ledger) == mails && MailboxRig.allTerminal(ledger));

            assertThat(rig.count(ledger, MailState.SENT)).isEqualTo(limit);
            assertThat(rig.count(ledger, MailState.SKIPPED)).isEqualTo(mails - limit);
        }
        assertThat(rig.repliesTo(MailboxRig.customer(1))).hasSize(limit);
    }

    @Test
    void by_default_a_busy_customers_fourth_question_of_the_day_is_answered() {
        for (int i = 1; i <= 4; i++) {
            rig.server.deliver(MailboxRig.customer(1), MailboxRig.SUPPORT, "Order " + i, "Where is order S0004" + i + "?",
                    Map.of());
        }
        try (SqliteLedger ledger = rig.openLedger();
             ImapMailSource source = rig.newSource();
             Pipeline pipeline = rig.pipeline(ledger, source, new FakeDrafter()).build()) {
            pipeline.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> rig.total(ledger) == 4 && MailboxRig.allTerminal(ledger));
            assertThat(rig.count(ledger, MailState.SENT)).isEqualTo(4);
        }
        assertThat(rig.repliesTo(MailboxRig.customer(1))).hasSize(4);
    }

    @Test
    void two_senders_mails_with_the_same_message_id_are_both_answered() {
        try (SqliteLedger ledger = rig.openLedger();
             ImapMailSource source = rig.newSource();
             Pipeline pipeline = rig.pipeline(ledger, source, new FakeDrafter()).build()) {
            pipeline.start();
            rig.server.deliver(MailboxRig.SUPPORT, raw(MailboxRig.customer(1), "<order-form@template.example>", "Order"));
            await().atMost(Duration.ofSeconds(30)).until(() -> rig.count(ledger, MailState.SENT) == 1);
            // a second customer's mailer reuses the Message-ID (a broken template)
            rig.server.deliver(MailboxRig.SUPPORT, raw(MailboxRig.customer(2), "<order-form@template.example>", "Order"));
            await().atMost(Duration.ofSeconds(30)).until(() -> rig.count(ledger, MailState.SENT) == 2);

            assertThat(MailboxRig.entries(ledger, MailState.SENT)).extracting(LedgerEntry::key).doesNotHaveDuplicates();
        }
        assertThat(rig.repliesTo(MailboxRig.customer(1))).hasSize(1);
        assertThat(rig.repliesTo(MailboxRig.customer(2))).hasSize(1);
    }

    private static byte[] raw(String from, String messageId, String subject) {
        return ("From: " + from + "\r\nTo: " + MailboxRig.SUPPORT + "\r\nSubject: " + subject + "\r\nMessage-ID: "
                + messageId + "\r\nDate: Mon, 2 Mar 2026 10:00:00 +0000\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=UTF-8\r\n\r\nIs ACE-1 in stock?\r\n").getBytes(StandardCharsets.UTF_8);
    }
}
