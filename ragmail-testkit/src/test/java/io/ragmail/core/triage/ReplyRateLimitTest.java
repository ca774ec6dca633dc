package io.ragmail.core.triage;

import io.ragmail.core.Draft;
import io.ragmail.core.EmailAddress;
import io.ragmail.core.InboundMail;
import io.ragmail.core.MailHeaders;
import io.ragmail.core.MailKey;
import io.ragmail.core.TokenUsage;
import io.ragmail.core.ledger.Disposition;
import io.ragmail.core.ledger.ProcessingLedger;
import io.ragmail.core.ledger.SqliteLedger;
import io.ragmail.core.reply.ReplyComposer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link ReplyRateLimit} and {@link Triage} counting replies in a real SQLite ledger file. */
class ReplyRateLimitTest {

    static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");
    static final Duration DAY = Duration.ofDays(1);
    static final Duration HOUR = Duration.ofHours(1);

    @TempDir
    Path tempDir;

    ProcessingLedger ledger;

    final ReplyComposer composer = ReplyComposer.builder().from(EmailAddress.of("support@shop.example")).build();
    final Draft draft = new Draft("Thanks, here it is.", "en", 0.9, List.of(), false, "", TokenUsage.NONE);
    final AtomicInteger ids = new AtomicInteger();

    @BeforeEach
    void openLedger() {
        ledger = SqliteLedger.open(tempDir.resolve("ledger.db"));
    }

    @AfterEach
    void closeLedger() {
        ledger.close();
    }

    InboundMail mailFrom(String from, String... references) {
        return InboundMail.builder()
                .key(new MailKey("INBOX", "<" + ids.incrementAndGet() + ".rate@example.com>"))
                .from(EmailAddress.of(from))
                .subject("Order status")
                .references(List.of(references))
                .build();
    }

    /** Runs the mail through the ledger as the pipeline does, ending with a reply in the given state. */
    InboundMail replied(InboundMail mail, Instant at, Disposition disposition, boolean delivered) {
        ledger.admit(mail, at);
        ledger.markDrafting(mail.key(), at);
        ledger.storeReply(mail.key(), composer.compose(mail, draft, List.of()), disposition, TokenUsage.NONE, at);
        if (delivered) {
            ledger.markDelivered(mail.key(), at);
        }
        return mail;
    }

    InboundMail sentTo(String from, Instant at, String... references) {
        return replied(mailFrom(from, references), at, Disposition.SEND, true);
    }

    @Test
    void answers_while_the_sender_is_under_the_limit() {
        sentTo("ada@example.com", NOW.minus(Duration.ofHours(3)));
        sentTo("ada@example.com", NOW.minus(Duration.ofHours(2)));
        ReplyRateLimit limit = new ReplyRateLimit(3, DAY, 10, DAY);

        assertThat(limit.check(mailFrom("ada@example.com"), ledger, NOW)).isEqualTo(TriageDecision.ANSWER);
    }

    @Test
    void skips_the_sender_at_the_limit_with_a_readable_reason() {
        sentTo("ada@example.com", NOW.minus(Duration.ofHours(3)));
        sentTo("ada@example.com", NOW.minus(Duration.ofHours(2)));
        sentTo("ada@example.com", NOW.minus(Duration.ofHours(1)));
        ReplyRateLimit limit = new ReplyRateLimit(3, DAY, 10, DAY);

        TriageDecision decision = limit.check(mailFrom("ada@example.com"), ledger, NOW);

        assertThat(decision.answer()).isFalse();
        assertThat(decision.reason()).isEqualTo("rate limit: 3 replies to ada@example.com in the last 1 day");
    }

    @Test
    void counts_the_sender_case_insensitively() {
        sentTo("Ada@Example.com", NOW.minus(Duration.ofHours(2)));
        sentTo("ada@example.com", NOW.minus(Duration.ofHours(1)));
        ReplyRateLimit limit = new ReplyRateLimit(2, DAY, 10, DAY);

        assertThat(limit.check(mailFrom("ADA@EXAMPLE.COM"), ledger, NOW).reason())
                .isEqualTo("rate limit: 2 replies to ada@example.com in the last 1 day");
    }

    @Test
    void replies_older_than_the_window_no_longer_count() {
        sentTo("ada@example.com", NOW.minus(Duration.ofHours(30)));
        sentTo("ada@example.com", NOW.minus(Duration.ofHours(25)));
        sentTo("ada@example.com", NOW.minus(Duration.ofHours(23)));
        ReplyRateLimit limit = new ReplyRateLimit(2, DAY, 10, DAY);

        assertThat(limit.check(mailFrom("ada@example.com"), ledger, NOW)).isEqualTo(TriageDecision.ANSWER);
    }

    @Test
    void replies_to_other_senders_do_not_count() {
        sentTo("bob@example.com", NOW.minus(HOUR));
        sentTo("bob@example.com", NOW.minus(HOUR));
        ReplyRateLimit limit = new ReplyRateLimit(1, DAY, 10, DAY);

        assertThat(limit.check(mailFrom("ada@example.com"), ledger, NOW)).isEqualTo(TriageDecision.ANSWER);
        assertThat(limit.check(mailFrom("bob@example.com"), ledger, NOW).answer()).isFalse();
    }

    @Test
    void a_reply_stored_but_not_yet_delivered_counts() {
        replied(mailFrom("ada@example.com"), NOW.minus(HOUR), Disposition.SEND, false);
        ReplyRateLimit limit = new ReplyRateLimit(1, DAY, 10, DAY);

        assertThat(limit.check(mailFrom("ada@example.com"), ledger, NOW).reason())
                .isEqualTo("rate limit: 1 reply to ada@example.com in the last 1 day");
    }

    @Test
    void skipped_mail_does_not_count() {
        InboundMail skipped = mailFrom("ada@example.com");
        ledger.admit(skipped, NOW.minus(HOUR));
        ledger.markSkipped(skipped.key(), "auto-submitted: auto-replied (RFC 3834)", NOW.minus(HOUR));
        ReplyRateLimit limit = new ReplyRateLimit(1, DAY, 1, DAY);

        assertThat(limit.check(mailFrom("ada@example.com"), ledger, NOW)).isEqualTo(TriageDecision.ANSWER);
    }

    @Test
    void skips_a_thread_at_its_limit_whoever_writes() {
        String thread = "<start.1@example.com>";
        sentTo("ada@example.com", NOW.minus(Duration.ofMinutes(40)), thread);
        sentTo("bob@example.com", NOW.minus(Duration.ofMinutes(20)), thread);
        ReplyRateLimit limit = new ReplyRateLimit(10, DAY, 2, HOUR);

        TriageDecision decision = limit.check(mailFrom("carol@example.com", thread, "<x@example.com>"), ledger, NOW);

        assertThat(decision.reason())
                .isEqualTo("rate limit: 2 replies in thread <start.1@example.com> in the last 1 hour");
        assertThat(limit.check(mailFrom("carol@example.com", "<other@example.com>"), ledger, NOW))
                .isEqualTo(TriageDecision.ANSWER);
    }

    @Test
    void the_thread_window_slides_independently_of_the_sender_window() {
        String thread = "<start.2@example.com>";
        sentTo("ada@example.com", NOW.minus(Duration.ofMinutes(90)), thread);
        sentTo("ada@example.com", NOW.minus(Duration.ofMinutes(70)), thread);
        ReplyRateLimit limit = new ReplyRateLimit(10, DAY, 2, HOUR);

        assertThat(limit.check(mailFrom("ada@example.com", thread), ledger, NOW)).isEqualTo(TriageDecision.ANSWER);
    }

    @Test
    void triage_checks_loops_first_then_the_rate_limit() {
        Triage triage = Triage.builder()
                .ourAddresses(List.of(EmailAddress.of("support@shop.example")))
                .maxRepliesPerSender(1)
                .build();
        sentTo("ada@example.com", NOW.minus(HOUR));
        InboundMail vacation = mailFrom("ada@example.com").toBuilder()
                .headers(MailHeaders.builder().add("Auto-Submitted", "auto-replied").build())
                .build();

        assertThat(triage.decide(vacation, ledger, NOW).reason())
                .isEqualTo("auto-submitted: auto-replied (RFC 3834)");
        assertThat(triage.decide(mailFrom("ada@example.com"), ledger, NOW).reason())
                .isEqualTo("rate limit: 1 reply to ada@example.com in the last 1 day");
        assertThat(triage.decide(mailFrom("bob@example.com"), ledger, NOW)).isEqualTo(TriageDecision.ANSWER);
    }
}
