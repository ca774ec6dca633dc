package io.ragmail.testkit.contract;

import io.ragmail.core.Attachment;
import io.ragmail.core.Component;
import io.ragmail.core.EmailAddress;
import io.ragmail.core.InboundMail;
import io.ragmail.core.MailHeaders;
import io.ragmail.core.MailKey;
import io.ragmail.core.MailOutcome;
import io.ragmail.core.OutboundReply;
import io.ragmail.core.TokenUsage;
import io.ragmail.core.ledger.Disposition;
import io.ragmail.core.ledger.LedgerConflictException;
import io.ragmail.core.ledger.LedgerEntry;
import io.ragmail.core.ledger.MailState;
import io.ragmail.core.ledger.ProcessingLedger;
import io.ragmail.core.ledger.QuotaExceededException;
import io.ragmail.core.ledger.ReplyQuota;
import io.ragmail.core.ledger.UnknownMailException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The compatibility kit every {@link ProcessingLedger} must pass: the state machine of
 * {@link MailState}, the outbox, retries and the failed-mail queue, rate-limit counts, retention,
 * durability across a reopen, and races between workers.
 *
 * <pre>{@code
 * class MyLedgerTest extends ProcessingLedgerContract {
 *     @Override protected ProcessingLedger newLedger() { return MyLedger.create(freshDatabase()); }
 *     @Override protected ProcessingLedger reopen() { return MyLedger.create(sameDatabase()); }
 * }
 * }</pre>
 *
 * Times are fixed instants with millisecond precision; no test reads the wall clock or sleeps.
 */
public abstract class ProcessingLedgerContract {

    protected static final Instant T0 = Instant.parse("2026-03-01T09:00:00Z");
    protected static final Instant T1 = T0.plusSeconds(60);
    protected static final Instant T2 = T0.plusSeconds(120);
    protected static final Instant T3 = T0.plusSeconds(180);
    protected static final Instant T4 = T0.plusSeconds(240);
    protected static final Instant T5 = T0.plusSeconds(300);

    /** The ledger under test, created by {@link #newLedger()} before each test. */
    protected ProcessingLedger ledger;

    /** A new, empty ledger; called once before each test. */
    protected abstract ProcessingLedger newLedger();

    /**
     * A new ledger over the same storage as the last one {@link #newLedger()} returned, which the
     * kit has already closed: what survives here is what survives a restart.
     */
    protected abstract ProcessingLedger reopen();

    @BeforeEach
    void createLedger() {
        ledger = newLedger();
    }

    @AfterEach
    void closeLedger() {
        if (ledger != null) {
            ledger.close();
        }
    }

    // ---------------------------------------------------------------- fixtures

    protected static MailKey key(String id) {
        return new MailKey("INBOX", "<" + id + "@example.com>");
    }

    protected static InboundMail mail(String id) {
        return mail(id, "ada@example.com", List.of());
    }

    protected static InboundMail mail(String id, String from, List<String> references) {
        return InboundMail.builder()
                .key(key(id))
                .sourceRef("uid:" + id.hashCode())
                .from(new EmailAddress(from, "Ada Lovelace"))
                .replyTo(List.of(EmailAddress.of("orders@example.com")))
                .to(List.of(EmailAddress.of("support@shop.example")))
                .cc(List.of(new EmailAddress("bob@example.com", "Bob")))
                .subject("Acetone SDS – Sicherheitsdatenblatt ✓")
                .sentAt(Instant.parse("2026-03-01T08:59:30.123Z"))
                .inReplyTo(references.isEmpty() ? "" : references.get(references.size() - 1))
                .references(references)
                .headers(MailHeaders.builder()
                        .add("Subject", "Acetone SDS – Sicherheitsdatenblatt ✓")
                        .add("Received", "from a")
                        .add("Received", "from b")
                        .add("X-Empty", "")
                        .build())
                .contentType("multipart/mixed")
                .text("Grüße, could you send the SDS? 日本語 🙂\n> quoted")
                .queryText("Grüße, could you send the SDS? 日本語 🙂")
                .attachments(List.of(new Attachment("order.pdf", "application/pdf", 12345),
                        new Attachment("", "image/png", -1)))
                .sizeBytes(45678)
                .build();
    }

    protected static OutboundReply reply(String id) {
        return new OutboundReply(
                "<reply-" + id + "@shop.example>",
                new EmailAddress("support@shop.example", "Shop Support"),
                new EmailAddress("ada@example.com", "Ada Lovelace"),
                "Re: Acetone SDS – Sicherheitsdatenblatt ✓",
                "<" + id + "@example.com>",
                List.of("<root@example.com>", "<" + id + "@example.com>"),
                "Guten Tag,\nhier ist das Datenblatt. 日本語 🙂\n",
                Map.of("Auto-Submitted", "auto-replied", "X-Loop", "ragmail"),
                List.of("low confidence", "mentions a price"));
    }

    /** Admits the mail and moves it through the shortest path to the state. */
    protected LedgerEntry bringTo(String id, MailState state) {
        MailKey key = key(id);
        ledger.admit(mail(id), T0);
        return switch (state) {
            case RECEIVED -> ledger.find(key).orElseThrow();
            case SKIPPED -> ledger.markSkipped(key, "auto-submitted", T1);
            case DRAFTING -> ledger.markDrafting(key, T1);
            case SENDING -> {
                ledger.markDrafting(key, T1);
                yield ledger.storeReply(key, reply(id), Disposition.SEND, new TokenUsage(10, 20), T2);
            }
            case SENT -> {
                ledger.markDrafting(key, T1);
                ledger.storeReply(key, reply(id), Disposition.SEND, new TokenUsage(10, 20), T2);
                yield ledger.markDelivered(key, T3);
            }
            case REVIEW -> {
                ledger.markDrafting(key, T1);
                ledger.storeReply(key, reply(id), Disposition.REVIEW, new TokenUsage(10, 20), T2);
                yield ledger.markDelivered(key, T3);
            }
            case RETRY -> ledger.scheduleRetry(key, 1, T2, "drafter: timeout", T1);
            case DEAD -> ledger.markDead(key, "drafter: 401", T1);
        };
    }

    // ---------------------------------------------------------------- admission

    @Test
    void admitting_a_new_mail_records_it_as_received() {
        ProcessingLedger.Admission admission = ledger.admit(mail("a"), T0);

        assertThat(admission.isNew()).isTrue();
        LedgerEntry entry = admission.entry();
        assertThat(entry.key()).isEqualTo(key("a"));
        assertThat(entry.state()).isEqualTo(MailState.RECEIVED);
        assertThat(entry.mail()).isEqualTo(mail("a"));
        assertThat(entry.reply()).isNull();
        assertThat(entry.disposition()).isNull();
        assertThat(entry.attempts()).isZero();
        assertThat(entry.nextAttemptAt()).isNull();
        assertThat(entry.reason()).isEmpty();
        assertThat(entry.usage()).isEqualTo(TokenUsage.NONE);
        assertThat(entry.receivedAt()).isEqualTo(T0);
        assertThat(entry.updatedAt()).isEqualTo(T0);
        assertThat(ledger.find(key("a"))).contains(entry);
    }

    @Test
    void admitting_a_known_mail_again_returns_the_existing_entry_unchanged() {
        ledger.admit(mail("a"), T0);
        LedgerEntry drafting = ledger.markDrafting(key("a"), T1);

        ProcessingLedger.Admission again = ledger.admit(mail("a"), T2);

        assertThat(again.isNew()).isFalse();
        assertThat(again.entry()).isEqualTo(drafting);
        assertThat(again.entry().receivedAt()).isEqualTo(T0);
    }

    @Test
    void find_returns_empty_for_an_unknown_key() {
        assertThat(ledger.find(key("nobody"))).isEmpty();
    }

    @Test
    void the_same_message_id_in_two_mailboxes_is_two_entries() {
        InboundMail inbox = mail("a");
        InboundMail other = inbox.toBuilder().key(new MailKey("Support", inbox.key().messageId())).build();

        assertThat(ledger.admit(inbox, T0).isNew()).isTrue();
        assertThat(ledger.admit(other, T0).isNew()).isTrue();
        assertThat(ledger.countByState()).containsEntry(MailState.RECEIVED, 2L);
    }

    // ---------------------------------------------------------------- happy paths

    @Test
    void happy_path_ends_sent_with_the_stored_reply_intact() {
        ledger.admit(mail("a"), T0);

        LedgerEntry drafting = ledger.markDrafting(key("a"), T1);
        assertThat(drafting.state()).isEqualTo(MailState.DRAFTING);
        assertThat(drafting.updatedAt()).isEqualTo(T1);

        LedgerEntry sending = ledger.storeReply(key("a"), reply("a"), Disposition.SEND, new TokenUsage(1200, 345), T2);
        assertThat(sending.state()).isEqualTo(MailState.SENDING);
        assertThat(sending.reply()).isEqualTo(reply("a"));
        assertThat(sending.storedReply()).contains(reply("a"));
        assertThat(sending.disposition()).isEqualTo(Disposition.SEND);
        assertThat(sending.usage()).isEqualTo(new TokenUsage(1200, 345));
        assertThat(sending.updatedAt()).isEqualTo(T2);

        LedgerEntry sent = ledger.markDelivered(key("a"), T3);
        assertThat(sent.state()).isEqualTo(MailState.SENT);
        assertThat(sent.updatedAt()).isEqualTo(T3);
        assertThat(sent.receivedAt()).isEqualTo(T0);

        LedgerEntry read = ledger.find(key("a")).orElseThrow();
        assertThat(read).isEqualTo(sent);
        assertThat(read.mail()).isEqualTo(mail("a"));
        assertThat(read.mail().headers().fields()).isEqualTo(mail("a").headers().fields());
        assertThat(read.mail().headers().all("received")).containsExactly("from a", "from b");
        assertThat(read.mail().sentAt()).isEqualTo(Instant.parse("2026-03-01T08:59:30.123Z"));
        OutboundReply stored = read.reply();
        OutboundReply expected = reply("a");
        assertThat(stored.messageId()).isEqualTo(expected.messageId());
        assertThat(stored.from()).isEqualTo(expected.from());
        assertThat(stored.to()).isEqualTo(expected.to());
        assertThat(stored.subject()).isEqualTo(expected.subject());
        assertThat(stored.inReplyTo()).isEqualTo(expected.inReplyTo());
        assertThat(stored.references()).isEqualTo(expected.references());
        assertThat(stored.text()).isEqualTo(expected.text());
        assertThat(stored.headers()).isEqualTo(expected.headers());
        assertThat(stored.reviewNotes()).isEqualTo(expected.reviewNotes());
    }

    @Test
    void a_reply_for_review_is_filed_and_ends_in_review() {
        ledger.admit(mail("a"), T0);
        ledger.markDrafting(key("a"), T1);
        LedgerEntry sending = ledger.storeReply(key("a"), reply("a"), Disposition.REVIEW, TokenUsage.NONE, T2);
        assertThat(sending.state()).isEqualTo(MailState.SENDING);
        assertThat(sending.disposition()).isEqualTo(Disposition.REVIEW);

        LedgerEntry done = ledger.markDelivered(key("a"), T3);

        assertThat(done.state()).isEqualTo(MailState.REVIEW);
        assertThat(done.reply()).isEqualTo(reply("a"));
        assertThat(ledger.find(key("a")).orElseThrow().state()).isEqualTo(MailState.REVIEW);
    }

    @Test
    void drafting_may_be_entered_again_on_recovery() {
        ledger.admit(mail("a"), T0);
        ledger.markDrafting(key("a"), T1);

        LedgerEntry again = ledger.markDrafting(key("a"), T2);

        assertThat(again.state()).isEqualTo(MailState.DRAFTING);
        assertThat(again.updatedAt()).isEqualTo(T2);
    }

    @Test
    void a_skipped_mail_keeps_its_reason() {
        ledger.admit(mail("a"), T0);

        LedgerEntry skipped = ledger.markSkipped(key("a"), "Auto-Submitted: auto-replied", T1);

        assertThat(skipped.state()).isEqualTo(MailState.SKIPPED);
        assertThat(skipped.reason()).isEqualTo("Auto-Submitted: auto-replied");
        assertThat(ledger.find(key("a")).orElseThrow().reason()).isEqualTo("Auto-Submitted: auto-replied");
    }

    // ---------------------------------------------------------------- retries and the failed-mail queue

    @Test
    void a_failed_attempt_is_scheduled_for_retry_with_attempts_and_due_time() {
        ledger.admit(mail("a"), T0);
        ledger.markDrafting(key("a"), T1);

        LedgerEntry retry = ledger.scheduleRetry(key("a"), 2, T4, "mistral: 503", T2);

        assertThat(retry.state()).isEqualTo(MailState.RETRY);
        assertThat(retry.attempts()).isEqualTo(2);
        assertThat(retry.nextAttemptAt()).isEqualTo(T4);
        assertThat(retry.reason()).isEqualTo("mistral: 503");
        assertThat(retry.updatedAt()).isEqualTo(T2);
    }

    @Test
    void due_for_retry_returns_only_due_entries_in_due_order_up_to_the_limit() {
        for (String id : List.of("late", "early", "middle", "future")) {
            ledger.admit(mail(id), T0);
        }
        ledger.admit(mail("drafting"), T0);
        ledger.markDrafting(key("drafting"), T1);
        ledger.scheduleRetry(key("late"), 1, T3, "e", T1);
        ledger.scheduleRetry(key("early"), 1, T1, "e", T1);
        ledger.scheduleRetry(key("middle"), 1, T2, "e", T1);
        ledger.scheduleRetry(key("future"), 1, T5, "e", T1);

        assertThat(ledger.dueForRetry(T3, 10)).extracting(LedgerEntry::key)
                .containsExactly(key("early"), key("middle"), key("late"));
        assertThat(ledger.dueForRetry(T3, 2)).extracting(LedgerEntry::key)
                .containsExactly(key("early"), key("middle"));
        assertThat(ledger.dueForRetry(T0, 10)).isEmpty();
        assertThat(ledger.dueForRetry(T5, 10)).hasSize(4);
    }

    @Test
    void a_dead_mail_keeps_its_error_and_an_operator_can_requeue_it() {
        ledger.admit(mail("a"), T0);
        ledger.markDrafting(key("a"), T1);
        ledger.scheduleRetry(key("a"), 5, T2, "mistral: 503", T1);

        LedgerEntry dead = ledger.markDead(key("a"), "gave up after 5 attempts", T2);
        assertThat(dead.state()).isEqualTo(MailState.DEAD);
        assertThat(dead.reason()).isEqualTo("gave up after 5 attempts");
        assertThat(ledger.dueForRetry(T5, 10)).isEmpty();

        LedgerEntry requeued = ledger.requeue(key("a"), T3);
        assertThat(requeued.state()).isEqualTo(MailState.RETRY);
        assertThat(requeued.attempts()).isZero();
        assertThat(requeued.nextAttemptAt()).isEqualTo(T3);
        assertThat(ledger.dueForRetry(T3, 10)).extracting(LedgerEntry::key).containsExactly(key("a"));
    }

    @Test
    void requeue_is_refused_for_a_mail_that_is_neither_dead_nor_waiting_for_a_retry() {
        bringTo("a", MailState.SENT);
        LedgerEntry before = ledger.find(key("a")).orElseThrow();

        assertThatThrownBy(() -> ledger.requeue(key("a"), T4)).isInstanceOf(LedgerConflictException.class);
        assertThat(ledger.find(key("a"))).contains(before);
    }

    @Test
    void an_operator_can_requeue_a_mail_waiting_for_a_retry_to_run_now() {
        ledger.admit(mail("a"), T0);
        ledger.startDrafting(key("a"), ReplyQuota.UNLIMITED, T1);
        ledger.scheduleRetry(key("a"), 1, T5.plusSeconds(3600), "drafter: 401", "drafter", T1);

        LedgerEntry requeued = ledger.requeue(key("a"), T2);

        assertThat(requeued.state()).isEqualTo(MailState.RETRY);
        assertThat(requeued.attempts()).isZero();
        assertThat(ledger.dueForRetry(T2, 10)).extracting(LedgerEntry::key).containsExactly(key("a"));
    }

    // ---------------------------------------------------------------- attempts, quota, waiting

    @Test
    void starting_to_draft_counts_the_attempt_in_the_same_step() {
        ledger.admit(mail("a"), T0);
        assertThat(ledger.startDrafting(key("a"), ReplyQuota.UNLIMITED, T1).attempts()).isEqualTo(1);
        // a stalled attempt resumed from DRAFTING counts too: a crash or a hang cannot loop for free
        assertThat(ledger.startDrafting(key("a"), ReplyQuota.UNLIMITED, T2).attempts()).isEqualTo(2);
        ledger.scheduleRetry(key("a"), 2, T3, "drafter: timeout", T2);
        assertThat(ledger.startDrafting(key("a"), ReplyQuota.UNLIMITED, T3).attempts()).isEqualTo(3);
    }

    @Test
    void resending_a_stored_reply_counts_the_attempt() {
        bringTo("a", MailState.SENDING);
        ledger.scheduleRetry(key("a"), 1, T3, "smtp: 451", T3);
        assertThat(ledger.resumeSending(key("a"), T4).attempts()).isEqualTo(2);
    }

    @Test
    void the_quota_refuses_the_mail_after_the_senders_share_and_leaves_it_unchanged() {
        ReplyQuota quota = new ReplyQuota(2, Duration.ofDays(1), 10, Duration.ofDays(1));
        for (String id : List.of("a", "b", "c")) {
            ledger.admit(mail(id), T0);
        }
        ledger.startDrafting(key("a"), quota, T1);
        ledger.startDrafting(key("b"), quota, T1);
        LedgerEntry before = ledger.find(key("c")).orElseThrow();

        assertThatThrownBy(() -> ledger.startDrafting(key("c"), quota, T2))
                .isInstanceOfSatisfying(QuotaExceededException.class, e -> {
                    assertThat(e.scope()).isEqualTo(QuotaExceededException.Scope.SENDER);
                    assertThat(e.replies()).isEqualTo(2);
                    assertThat(e.reason()).isEqualTo("rate limit: 2 replies to ada@example.com in the last 1 day");
                });
        assertThat(ledger.find(key("c"))).contains(before);
        // a mail already counted is not counted again on its retry
        ledger.scheduleRetry(key("a"), 1, T2, "drafter: timeout", T1);
        assertThat(ledger.startDrafting(key("a"), quota, T2).state()).isEqualTo(MailState.DRAFTING);
        // the window slides: a day later the sender has a share again
        assertThat(ledger.startDrafting(key("c"), quota, T1.plus(Duration.ofDays(1)).plusMillis(1)).state())
                .isEqualTo(MailState.DRAFTING);
    }

    @Test
    void replies_filed_for_review_and_mail_given_up_on_free_their_share_of_the_quota() {
        ReplyQuota quota = new ReplyQuota(1, Duration.ofDays(1), 10, Duration.ofDays(1));
        for (String id : List.of("a", "b", "c")) {
            ledger.admit(mail(id), T0);
        }
        ledger.startDrafting(key("a"), quota, T1);
        ledger.storeReply(key("a"), reply("a"), Disposition.REVIEW, TokenUsage.NONE, T2);
        ledger.startDrafting(key("b"), quota, T2);
        ledger.markDead(key("b"), "drafter: prompt rejected", T2);

        assertThat(ledger.startDrafting(key("c"), quota, T3).state()).isEqualTo(MailState.DRAFTING);
    }

    @Test
    void the_thread_quota_counts_replies_in_one_conversation() {
        ReplyQuota quota = new ReplyQuota(10, Duration.ofDays(1), 1, Duration.ofDays(1));
        ledger.admit(mail("a", "ada@example.com", List.of("<root@example.com>")), T0);
        ledger.admit(mail("b", "bob@example.com", List.of("<root@example.com>")), T0);
        ledger.startDrafting(key("a"), quota, T1);

        assertThatThrownBy(() -> ledger.startDrafting(key("b"), quota, T2))
                .isInstanceOfSatisfying(QuotaExceededException.class,
                        e -> assertThat(e.scope()).isEqualTo(QuotaExceededException.Scope.THREAD));
    }

    @Test
    void concurrent_mails_from_one_sender_pass_the_quota_exactly_as_often_as_it_allows() throws Exception {
        int mails = 24;
        int allowed = 5;
        ReplyQuota quota = new ReplyQuota(allowed, Duration.ofDays(1), 100, Duration.ofDays(1));
        for (int i = 0; i < mails; i++) {
            ledger.admit(mail("m" + i), T0);
        }
        List<Boolean> passed = race(mails, i -> () -> {
            try {
                ledger.startDrafting(key("m" + i), quota, T1);
                return true;
            } catch (QuotaExceededException e) {
                return false;
            }
        });

        assertThat(passed).filteredOn(Boolean::booleanValue).hasSize(allowed);
        assertThat(ledger.countByState().get(MailState.DRAFTING)).isEqualTo(allowed);
    }

    @Test
    void a_retry_records_the_component_it_waits_on_and_waking_it_makes_the_mail_due_now() {
        for (String id : List.of("a", "b", "c")) {
            ledger.admit(mail(id), T0);
            ledger.startDrafting(key(id), ReplyQuota.UNLIMITED, T1);
        }
        Instant later = T5.plus(Duration.ofHours(1));
        ledger.scheduleRetry(key("a"), 1, later, "mistral: 503", Component.MISTRAL, T1);
        ledger.scheduleRetry(key("b"), 1, later.plusSeconds(1), "mistral: 503", Component.MISTRAL, T1);
        ledger.scheduleRetry(key("c"), 1, later, "smtp: 451", Component.SMTP, T1);
        assertThat(ledger.find(key("a")).orElseThrow().waitingOn()).isEqualTo(Component.MISTRAL);
        assertThat(ledger.dueForRetry(T2, 10)).isEmpty();

        assertThat(ledger.wake(Component.MISTRAL, 1, T2)).isEqualTo(1); // a probe: the earliest due first
        assertThat(ledger.dueForRetry(T2, 10)).extracting(LedgerEntry::key).containsExactly(key("a"));
        assertThat(ledger.wake(Component.MISTRAL, Integer.MAX_VALUE, T2)).isEqualTo(1);
        assertThat(ledger.dueForRetry(T2, 10)).extracting(LedgerEntry::key).containsExactlyInAnyOrder(key("a"), key("b"));
        assertThat(ledger.find(key("c")).orElseThrow().nextAttemptAt()).isEqualTo(later);
    }

    @Test
    void waking_leaves_mail_that_is_already_due_as_it_is_and_does_not_count_it() {
        ledger.admit(mail("due"), T0);
        ledger.startDrafting(key("due"), ReplyQuota.UNLIMITED, T1);
        ledger.scheduleRetry(key("due"), 1, T2, "mistral: 503", Component.MISTRAL, T1);

        assertThat(ledger.wake(Component.MISTRAL, Integer.MAX_VALUE, T3)).isZero();
        assertThat(ledger.find(key("due")).orElseThrow().nextAttemptAt()).isEqualTo(T2);
        assertThat(ledger.dueForRetry(T3, 10)).extracting(LedgerEntry::key).containsExactly(key("due"));
    }

    @Test
    void a_retry_without_a_component_is_not_woken_by_any() {
        ledger.admit(mail("a"), T0);
        ledger.startDrafting(key("a"), ReplyQuota.UNLIMITED, T1);
        ledger.scheduleRetry(key("a"), 1, T5, "pipeline: bug", "", T1);

        assertThat(ledger.find(key("a")).orElseThrow().waitingOn()).isEmpty();
        assertThat(ledger.wake(Component.PIPELINE, Integer.MAX_VALUE, T2)).isZero();
        assertThat(ledger.dueForRetry(T2, 10)).isEmpty();
    }

    // ---------------------------------------------------------------- operators

    @Test
    void an_operator_drops_a_dead_mail_to_skipped_with_the_reason_for_a_person_to_see() {
        bringTo("a", MailState.DEAD);

        LedgerEntry dropped = ledger.drop(key("a"), "answered by phone", T3);

        assertThat(dropped.state()).isEqualTo(MailState.SKIPPED);
        assertThat(dropped.reason()).contains("answered by phone");
        assertThat(dropped.acknowledgement()).contains(MailOutcome.NEEDS_PERSON);
        assertThat(ledger.find(key("a"))).contains(dropped);
        assertThat(ledger.inState(MailState.DEAD, 10)).isEmpty();
    }

    @ParameterizedTest(name = "drop refused in {0}")
    @MethodSource("statesOtherThanDead")
    void drop_is_refused_unless_the_mail_is_dead_and_leaves_it_unchanged(MailState state) {
        LedgerEntry before = bringTo("a", state);

        assertThatThrownBy(() -> ledger.drop(key("a"), "not needed", T4)).isInstanceOf(LedgerConflictException.class);
        assertThat(ledger.find(key("a"))).contains(before);
    }

    static Stream<MailState> statesOtherThanDead() {
        return Stream.of(MailState.values()).filter(s -> s != MailState.DEAD);
    }

    @Test
    void drop_of_an_unknown_mail_names_it() {
        assertThatThrownBy(() -> ledger.drop(key("nobody"), "not needed", T1)).isInstanceOf(UnknownMailException.class);
    }

    @Test
    void a_purged_mail_cannot_be_requeued() {
        acknowledgedIn("dead", MailState.DEAD);
        ledger.purgeTerminalBefore(T5);

        assertThatThrownBy(() -> ledger.requeue(key("dead"), T5)).isInstanceOf(LedgerConflictException.class);
        assertThat(ledger.find(key("dead")).orElseThrow().state()).isEqualTo(MailState.DEAD);
        assertThat(ledger.dueForRetry(T5.plusSeconds(60), 10)).isEmpty();
    }

    // ---------------------------------------------------------------- outcome and acknowledgement

    @Test
    void recording_an_acknowledgement_changes_no_state() {
        LedgerEntry dead = bringTo("dead", MailState.DEAD);
        LedgerEntry sent = bringTo("sent", MailState.SENT);

        ledger.markAcknowledged(key("dead"), T4);
        ledger.markAcknowledged(key("sent"), T4);

        assertThat(ledger.find(key("dead")).orElseThrow()).satisfies(e -> {
            assertThat(e.state()).isEqualTo(MailState.DEAD);
            assertThat(e.reason()).isEqualTo(dead.reason());
            assertThat(e.acknowledgement()).contains(MailOutcome.NEEDS_PERSON);
        });
        assertThat(ledger.find(key("sent")).orElseThrow()).satisfies(e -> {
            assertThat(e.state()).isEqualTo(MailState.SENT);
            assertThat(e.storedReply()).isEqualTo(sent.storedReply());
            assertThat(e.acknowledgement()).contains(MailOutcome.ANSWERED);
        });
        assertThat(ledger.inState(MailState.DEAD, 10)).extracting(LedgerEntry::key).containsExactly(key("dead"));
        assertThat(ledger.countByState()).containsEntry(MailState.DEAD, 1L).containsEntry(MailState.SENT, 1L);
    }

    @Test
    void each_end_tells_the_source_its_outcome() {
        assertThat(bringTo("sent", MailState.SENT).acknowledgement()).contains(MailOutcome.ANSWERED);
        assertThat(bringTo("review", MailState.REVIEW).acknowledgement()).contains(MailOutcome.ANSWERED);
        assertThat(bringTo("skipped", MailState.SKIPPED).acknowledgement()).contains(MailOutcome.IGNORED);
        assertThat(bringTo("dead", MailState.DEAD).acknowledgement()).contains(MailOutcome.NEEDS_PERSON);
        assertThat(bringTo("retry", MailState.RETRY).acknowledgement()).isEmpty();
        assertThat(bringTo("sending", MailState.SENDING).acknowledgement()).isEmpty();
    }

    @Test
    void a_skip_keeps_its_outcome_so_that_a_restart_acknowledges_it_the_same_way() {
        ledger.admit(mail("rate"), T0);
        ledger.admit(mail("bounce"), T0);
        ledger.markSkipped(key("rate"), "rate limit: 20 replies to ada@example.com in the last 1 day",
                MailOutcome.NEEDS_PERSON, T1);
        ledger.markSkipped(key("bounce"), "bounce: X-Failed-Recipients", MailOutcome.IGNORED, T1);
        ledger.close();
        ledger = reopen();

        assertThat(ledger.find(key("rate")).orElseThrow().acknowledgement()).contains(MailOutcome.NEEDS_PERSON);
        assertThat(ledger.find(key("bounce")).orElseThrow().acknowledgement()).contains(MailOutcome.IGNORED);
    }

    @Test
    void terminal_mail_is_unacknowledged_until_the_source_confirmed_it() {
        bringTo("sent", MailState.SENT);
        bringTo("dead", MailState.DEAD);
        bringTo("retry", MailState.RETRY);

        assertThat(ledger.unacknowledged(10)).extracting(LedgerEntry::key)
                .containsExactlyInAnyOrder(key("sent"), key("dead"));
        assertThat(ledger.find(key("dead")).orElseThrow().acknowledgement()).contains(MailOutcome.NEEDS_PERSON);
        assertThat(ledger.find(key("sent")).orElseThrow().acknowledgement()).contains(MailOutcome.ANSWERED);

        assertThat(ledger.markAcknowledged(key("dead"), T4).acknowledged()).isTrue();
        assertThat(ledger.unacknowledged(10)).extracting(LedgerEntry::key).containsExactly(key("sent"));
        // an operator's requeue makes the new outcome one to acknowledge again
        ledger.requeue(key("dead"), T5);
        ledger.startDrafting(key("dead"), ReplyQuota.UNLIMITED, T5);
        ledger.markSkipped(key("dead"), "auto-submitted", MailOutcome.IGNORED, T5);
        assertThat(ledger.unacknowledged(10)).extracting(LedgerEntry::key)
                .containsExactlyInAnyOrder(key("sent"), key("dead"));
    }

    // ---------------------------------------------------------------- message-id reuse

    @Test
    void a_message_id_reused_by_another_sender_is_another_mail() {
        ledger.admit(mail("a", "ada@example.com", List.of()), T0);
        ledger.markSkipped(key("a"), "auto-submitted", T1);

        ProcessingLedger.Admission other = ledger.admit(mail("a", "bob@example.com", List.of()), T2);

        assertThat(other.isNew()).isTrue();
        assertThat(other.entry().key()).isNotEqualTo(key("a"));
        assertThat(other.entry().key().withoutSender()).isEqualTo(key("a"));
        assertThat(other.entry().mail().key()).isEqualTo(other.entry().key());
        assertThat(other.entry().mail().from().address()).isEqualTo("bob@example.com");
        assertThat(other.entry().state()).isEqualTo(MailState.RECEIVED);
        // the same mail of the second sender yielded again is recognised
        assertThat(ledger.admit(mail("a", "bob@example.com", List.of()), T3).isNew()).isFalse();
        assertThat(ledger.admit(mail("a", "ada@example.com", List.of()), T3).entry().state()).isEqualTo(MailState.SKIPPED);
    }

    @Test
    void a_failed_delivery_resumes_sending_the_same_stored_reply() {
        bringTo("a", MailState.SENDING);
        ledger.scheduleRetry(key("a"), 1, T3, "smtp: connection reset", T2);

        LedgerEntry resumed = ledger.resumeSending(key("a"), T3);

        assertThat(resumed.state()).isEqualTo(MailState.SENDING);
        assertThat(resumed.reply()).isEqualTo(reply("a"));
        assertThat(resumed.disposition()).isEqualTo(Disposition.SEND);
        assertThat(resumed.attempts()).as("the resumed attempt counts").isEqualTo(2);
        assertThat(ledger.markDelivered(key("a"), T4).state()).isEqualTo(MailState.SENT);
    }

    @Test
    void resume_sending_is_refused_when_no_reply_is_stored() {
        bringTo("a", MailState.RETRY);
        LedgerEntry before = ledger.find(key("a")).orElseThrow();

        assertThatThrownBy(() -> ledger.resumeSending(key("a"), T3)).isInstanceOf(LedgerConflictException.class);
        assertThat(ledger.find(key("a"))).contains(before);
    }

    @Test
    void a_stored_reply_is_never_replaced_by_drafting_again() {
        bringTo("a", MailState.SENDING);
        ledger.scheduleRetry(key("a"), 1, T3, "smtp: connection reset", T2);
        LedgerEntry before = ledger.find(key("a")).orElseThrow();

        assertThatThrownBy(() -> ledger.markDrafting(key("a"), T3)).isInstanceOf(LedgerConflictException.class);
        assertThat(ledger.find(key("a"))).contains(before);
    }

    // ---------------------------------------------------------------- illegal transitions

    /** Every (from, to) pair {@link MailState#canMoveTo} forbids, for each method that moves to {@code to}. */
    static Stream<Arguments> illegalTransitions() {
        List<Arguments> result = new ArrayList<>();
        for (MailState from : MailState.values()) {
            for (MailState to : MailState.values()) {
                if (!from.canMoveTo(to)) {
                    for (String method : methodsMovingTo(to)) {
                        result.add(Arguments.of(from, to, method));
                    }
                }
            }
        }
        return result.stream();
    }

    private static List<String> methodsMovingTo(MailState to) {
        return switch (to) {
            case RECEIVED -> List.of(); // only admit creates RECEIVED, and it never moves an entry
            case DRAFTING -> List.of("markDrafting");
            case SKIPPED -> List.of("markSkipped");
            case SENDING -> List.of("storeReply", "resumeSending");
            case SENT, REVIEW -> List.of("markDelivered");
            case RETRY -> List.of("scheduleRetry", "requeue");
            case DEAD -> List.of("markDead");
        };
    }

    private Consumer<MailKey> call(String method) {
        return switch (method) {
            case "markDrafting" -> k -> ledger.markDrafting(k, T5);
            case "markSkipped" -> k -> ledger.markSkipped(k, "late skip", T5);
            case "storeReply" -> k -> ledger.storeReply(k, reply("other"), Disposition.SEND, TokenUsage.NONE, T5);
            case "resumeSending" -> k -> ledger.resumeSending(k, T5);
            case "markDelivered" -> k -> ledger.markDelivered(k, T5);
            case "scheduleRetry" -> k -> ledger.scheduleRetry(k, 9, T5, "late error", T5);
            case "requeue" -> k -> ledger.requeue(k, T5);
            case "markDead" -> k -> ledger.markDead(k, "late error", T5);
            default -> throw new IllegalArgumentException(method);
        };
    }

    @ParameterizedTest(name = "{0} -> {1} by {2} is rejected")
    @MethodSource("illegalTransitions")
    void an_illegal_transition_is_rejected_and_leaves_the_entry_unchanged(MailState from, MailState to, String method) {
        LedgerEntry before = bringTo("a", from);
        assertThat(before.state()).isEqualTo(from);

        assertThatThrownBy(() -> call(method).accept(key("a")))
                .isInstanceOfSatisfying(LedgerConflictException.class, e -> {
                    assertThat(e.key()).isEqualTo(key("a"));
                    assertThat(e.actual()).isEqualTo(from);
                });

        assertThat(ledger.find(key("a"))).contains(before);
    }

    static Stream<String> allTransitionMethods() {
        return Stream.of("markDrafting", "markSkipped", "storeReply", "resumeSending", "markDelivered",
                "scheduleRetry", "requeue", "markDead");
    }

    @ParameterizedTest(name = "{0} on an unknown key is rejected")
    @MethodSource("allTransitionMethods")
    void a_transition_on_an_unknown_key_is_rejected(String method) {
        ledger.admit(mail("a"), T0);

        assertThatThrownBy(() -> call(method).accept(key("nobody")))
                .isInstanceOfSatisfying(UnknownMailException.class, e -> assertThat(e.key()).isEqualTo(key("nobody")));

        assertThat(ledger.find(key("nobody"))).isEmpty();
        assertThat(ledger.countByState().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(1);
    }

    // ---------------------------------------------------------------- counts

    @Test
    void replies_to_a_sender_are_counted_within_the_window() {
        InboundMail first = mail("one", "Ada@Example.com", List.of());
        InboundMail second = mail("two", "ada@example.com", List.of());
        InboundMail other = mail("three", "bob@example.com", List.of());
        InboundMail unanswered = mail("four", "ada@example.com", List.of());
        for (InboundMail m : List.of(first, second, other, unanswered)) {
            ledger.admit(m, T0);
            ledger.markDrafting(m.key(), T0);
        }
        ledger.storeReply(first.key(), reply("one"), Disposition.SEND, TokenUsage.NONE, T1);
        ledger.markDelivered(first.key(), T2);
        ledger.storeReply(second.key(), reply("two"), Disposition.SEND, TokenUsage.NONE, T3); // still sending
        ledger.storeReply(other.key(), reply("three"), Disposition.SEND, TokenUsage.NONE, T3);

        assertThat(ledger.countRepliesToSender("ada@example.com", T0)).isEqualTo(2);
        assertThat(ledger.countRepliesToSender("ada@example.com", T1)).isEqualTo(2);
        assertThat(ledger.countRepliesToSender("ada@example.com", T2)).isEqualTo(1);
        assertThat(ledger.countRepliesToSender("ada@example.com", T4)).isZero();
        assertThat(ledger.countRepliesToSender("bob@example.com", T0)).isEqualTo(1);
        assertThat(ledger.countRepliesToSender("carol@example.com", T0)).isZero();
    }

    @Test
    void replies_filed_for_review_skipped_or_dead_mail_do_not_count_as_replies() {
        bringTo("review", MailState.REVIEW);
        bringTo("skipped", MailState.SKIPPED);
        bringTo("dead", MailState.DEAD);

    }

    @Test
    void replies_in_a_thread_are_counted_within_the_window() {
        InboundMail root = mail("root", "ada@example.com", List.of());
        InboundMail followUp = mail("follow", "ada@example.com", List.of("<root@example.com>"));
        InboundMail elsewhere = mail("elsewhere", "ada@example.com", List.of("<other@example.com>"));
        for (InboundMail m : List.of(root, followUp, elsewhere)) {
            ledger.admit(m, T0);
            ledger.markDrafting(m.key(), T0);
        }
        ledger.storeReply(root.key(), reply("root"), Disposition.SEND, TokenUsage.NONE, T1);
        ledger.markDelivered(root.key(), T1);
        ledger.storeReply(followUp.key(), reply("follow"), Disposition.SEND, TokenUsage.NONE, T3);
        ledger.storeReply(elsewhere.key(), reply("elsewhere"), Disposition.SEND, TokenUsage.NONE, T3);

        assertThat(ledger.countRepliesInThread("<root@example.com>", T0)).isEqualTo(2);
        assertThat(ledger.countRepliesInThread("<root@example.com>", T2)).isEqualTo(1);
        assertThat(ledger.countRepliesInThread("<root@example.com>", T4)).isZero();
        assertThat(ledger.countRepliesInThread("<other@example.com>", T0)).isEqualTo(1);
    }

    @Test
    void count_by_state_reports_every_state() {
        bringTo("received", MailState.RECEIVED);
        bringTo("sent1", MailState.SENT);
        bringTo("sent2", MailState.SENT);
        bringTo("dead", MailState.DEAD);

        Map<MailState, Long> counts = ledger.countByState();

        assertThat(counts.getOrDefault(MailState.RECEIVED, 0L)).isEqualTo(1);
        assertThat(counts.getOrDefault(MailState.SENT, 0L)).isEqualTo(2);
        assertThat(counts.getOrDefault(MailState.DEAD, 0L)).isEqualTo(1);
        assertThat(counts.getOrDefault(MailState.RETRY, 0L)).isZero();
        assertThat(counts.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(4);
    }

    @Test
    void in_state_lists_entries_oldest_first_up_to_the_limit() {
        ledger.admit(mail("second"), T1);
        ledger.admit(mail("first"), T0);
        ledger.admit(mail("third"), T2);
        ledger.admit(mail("drafting"), T0);
        ledger.markDrafting(key("drafting"), T3);

        assertThat(ledger.inState(MailState.RECEIVED, 10)).extracting(LedgerEntry::key)
                .containsExactly(key("first"), key("second"), key("third"));
        assertThat(ledger.inState(MailState.RECEIVED, 1)).extracting(LedgerEntry::key).containsExactly(key("first"));
        assertThat(ledger.inState(MailState.RECEIVED, Integer.MAX_VALUE)).hasSize(3);
        assertThat(ledger.inState(MailState.DRAFTING, 10)).extracting(LedgerEntry::key).containsExactly(key("drafting"));
        assertThat(ledger.inState(MailState.SENT, 10)).isEmpty();
    }

    // ---------------------------------------------------------------- retention

    /** Brings the mail to a terminal state and records that the source acknowledged it. */
    private void acknowledgedIn(String id, MailState state) {
        bringTo(id, state);
        ledger.markAcknowledged(key(id), T3);
    }

    @Test
    void purge_drops_only_acknowledged_terminal_entries_updated_before_the_instant_and_keeps_a_tombstone() {
        acknowledgedIn("sent", MailState.SENT);         // updated T3
        acknowledgedIn("review", MailState.REVIEW);     // updated T3
        acknowledgedIn("skipped", MailState.SKIPPED);   // updated T1
        acknowledgedIn("dead", MailState.DEAD);         // updated T1
        bringTo("unacknowledged", MailState.SENT);     // the source never confirmed: still new on the server
        bringTo("retry", MailState.RETRY);       // not terminal
        bringTo("received", MailState.RECEIVED); // not terminal
        bringTo("sending", MailState.SENDING);   // not terminal
        ledger.admit(mail("fresh"), T0);
        ledger.markSkipped(key("fresh"), "recent", T5); // terminal, but recent
        ledger.markAcknowledged(key("fresh"), T5);

        int purged = ledger.purgeTerminalBefore(T4);

        assertThat(purged).isEqualTo(4);
        for (String gone : List.of("sent", "review", "skipped", "dead")) {
            LedgerEntry tombstone = ledger.find(key(gone)).orElseThrow();
            assertThat(tombstone.mail().text()).as(gone).isEmpty();
            assertThat(tombstone.mail().subject()).as(gone).isEmpty();
            assertThat(tombstone.reply()).as(gone).isNull();
            assertThat(tombstone.state().isTerminal()).as(gone).isTrue();
        }
        for (String kept : List.of("unacknowledged", "retry", "received", "sending", "fresh")) {
            assertThat(ledger.find(key(kept)).orElseThrow().mail().text()).as(kept).isNotEmpty();
        }
        assertThat(ledger.purgeTerminalBefore(T4)).isZero();
    }

    @Test
    void tombstones_are_neither_listed_nor_counted() {
        acknowledgedIn("sent", MailState.SENT);
        acknowledgedIn("dead", MailState.DEAD);
        bringTo("retry", MailState.RETRY);
        ledger.purgeTerminalBefore(T5);

        for (MailState state : MailState.values()) {
            assertThat(ledger.inState(state, 10)).as(state.name())
                    .extracting(LedgerEntry::key).doesNotContain(key("sent"), key("dead"));
        }
        assertThat(ledger.unacknowledged(10)).isEmpty();
        assertThat(ledger.dueForRetry(T5.plus(Duration.ofDays(1)), 10)).extracting(LedgerEntry::key)
                .containsExactly(key("retry"));
        assertThat(ledger.countByState().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(1);
    }

    @Test
    void purge_respects_the_instant_exactly() {
        acknowledgedIn("skipped", MailState.SKIPPED); // updated T1

        assertThat(ledger.purgeTerminalBefore(T1)).isZero();
        assertThat(ledger.purgeTerminalBefore(T1.plusMillis(1))).isEqualTo(1);
    }

    @Test
    void a_purged_mail_that_comes_back_is_recognised_and_keeps_its_outcome() {
        acknowledgedIn("a", MailState.SENT);
        ledger.purgeTerminalBefore(T5);

        ProcessingLedger.Admission again = ledger.admit(mail("a"), T5);
        assertThat(again.isNew()).isFalse();
        assertThat(again.entry().state()).isEqualTo(MailState.SENT);
        assertThat(again.entry().acknowledgement()).contains(MailOutcome.ANSWERED);
    }

    // ---------------------------------------------------------------- durability

    @Test
    void entries_survive_close_and_reopen() {
        LedgerEntry sent = bringTo("sent", MailState.SENT);
        LedgerEntry sending = bringTo("sending", MailState.SENDING);
        LedgerEntry retry = bringTo("retry", MailState.RETRY);

        ledger.close();
        ledger = null;
        ledger = reopen();

        assertThat(ledger.find(key("sent"))).contains(sent);
        assertThat(ledger.find(key("sending"))).contains(sending);
        assertThat(ledger.find(key("retry"))).contains(retry);
        assertThat(ledger.admit(mail("sent"), T5).isNew()).isFalse();
        assertThat(ledger.markDelivered(key("sending"), T5).state()).isEqualTo(MailState.SENT);
    }

    // ---------------------------------------------------------------- races

    @Test
    void concurrent_admits_of_the_same_mail_yield_exactly_one_new() throws Exception {
        int threads = 8;
        List<ProcessingLedger.Admission> admissions = race(threads, i -> () -> ledger.admit(mail("a"), T0));

        assertThat(admissions).filteredOn(ProcessingLedger.Admission::isNew).hasSize(1);
        assertThat(admissions).extracting(a -> a.entry().key()).containsOnly(key("a"));
        assertThat(ledger.countByState().getOrDefault(MailState.RECEIVED, 0L)).isEqualTo(1);
    }

    @Test
    void concurrent_transitions_of_one_mail_let_exactly_one_win() throws Exception {
        bringTo("a", MailState.DRAFTING);

        List<Object> outcomes = race(2, i -> () -> {
            try {
                return ledger.storeReply(key("a"), reply("worker" + i), Disposition.SEND, TokenUsage.NONE, T2);
            } catch (LedgerConflictException e) {
                return e;
            }
        });

        List<LedgerEntry> winners = outcomes.stream()
                .filter(LedgerEntry.class::isInstance).map(LedgerEntry.class::cast).toList();
        assertThat(winners).hasSize(1);
        assertThat(outcomes).filteredOn(LedgerConflictException.class::isInstance).hasSize(1)
                .allSatisfy(o -> assertThat(((LedgerConflictException) o).actual()).isEqualTo(MailState.SENDING));
        assertThat(ledger.find(key("a")).orElseThrow().reply()).isEqualTo(winners.get(0).reply());
    }

    @Test
    void many_workers_on_different_mail_do_not_interfere() throws Exception {
        int threads = 8;
        race(threads, i -> () -> {
            String id = "m" + i;
            ledger.admit(mail(id), T0);
            ledger.markDrafting(key(id), T1);
            ledger.storeReply(key(id), reply(id), Disposition.SEND, TokenUsage.NONE, T2);
            return ledger.markDelivered(key(id), T3);
        });

        assertThat(ledger.countByState().getOrDefault(MailState.SENT, 0L)).isEqualTo(threads);
    }

    /** Runs {@code count} tasks released at the same moment; returns their results in task order. */
    @SuppressWarnings("unchecked")
    protected static <T> List<T> race(int count, java.util.function.IntFunction<Callable<? extends T>> task)
            throws InterruptedException, ExecutionException {
        ExecutorService pool = Executors.newFixedThreadPool(count);
        try {
            CountDownLatch ready = new CountDownLatch(count);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                Callable<? extends T> body = task.apply(i);
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    return (T) body.call();
                }));
            }
            ready.await();
            go.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get(Duration.ofSeconds(30).toMillis(), TimeUnit.MILLISECONDS));
            }
            return results;
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("a racing task did not finish within 30s", e);
        } finally {
            pool.shutdownNow();
        }
    }
}
