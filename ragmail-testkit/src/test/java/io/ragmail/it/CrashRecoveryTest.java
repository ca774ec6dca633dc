package io.ragmail.it;

import io.ragmail.core.Pipeline;
import io.ragmail.core.imap.ImapMailSource;
import io.ragmail.core.ledger.MailState;
import io.ragmail.core.ledger.SqliteLedger;
import io.ragmail.core.smtp.SmtpMailSink;
import io.ragmail.core.smtp.SmtpSinkSeams;
import io.ragmail.it.CrashingLedger.CrashAfter;
import io.ragmail.testkit.FakeDrafter;
import io.ragmail.testkit.TestMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The process dies at one instant — after a mail was admitted, after its reply was stored, after
 * the reply went out (and was copied to Sent) but before the ledger heard of it, or between the SMTP
 * server's 250 and the Sent copy — and a new process starts on the same ledger file and mailbox.
 * Every mail ends answered exactly once, except in the one window the SMTP sink cannot see into: a
 * crash between the server's 250 and our own Sent copy, where the reply is sent again, with the same
 * Message-ID. A server that files sent mail itself closes that window too.
 */
class CrashRecoveryTest extends MailboxTestBase {

    private static final int MAILS = 10;

    enum CrashPoint { AFTER_ADMIT, AFTER_DRAFT, AFTER_SEND_BEFORE_LEDGER_UPDATE }

    @ParameterizedTest
    @EnumSource(CrashPoint.class)
    void every_mail_is_answered_exactly_once_after_a_crash(CrashPoint point) {
        for (int i = 0; i < MAILS; i++) {
            rig.deliverQuestion(i);
        }

        // the first process dies at the third occurrence of the crash point
        CrashSwitch crash = new CrashSwitch(3);
        CrashAfter ledgerCrash = switch (point) {
            case AFTER_ADMIT -> CrashAfter.ADMIT;
            case AFTER_DRAFT -> CrashAfter.STORE_REPLY;
            case AFTER_SEND_BEFORE_LEDGER_UPDATE -> CrashAfter.NOTHING;
        };
        SqliteLedger firstLedger = rig.openLedger();
        ImapMailSource firstSource = rig.newSource();
        Pipeline first = rig.pipeline(new CrashingLedger(firstLedger, crash, ledgerCrash), firstSource, new FakeDrafter())
                .sink(new CrashingSink(rig.newSink(), crash, point == CrashPoint.AFTER_SEND_BEFORE_LEDGER_UPDATE))
                .concurrency(2)
                .build();
        first.start();
        // the simulated crash kills pipeline threads with an Error, as a real crash would
        await().dontCatchUncaughtExceptions().atMost(Duration.ofSeconds(60)).until(crash::tripped);
        first.close();
        firstSource.close();
        // (firstLedger is deliberately not closed, as after a real crash)

        // a new process on the same ledger file
        try (SqliteLedger ledger = rig.openLedger();
             ImapMailSource source = rig.newSource();
             Pipeline second = rig.pipeline(ledger, source, new FakeDrafter()).build()) {
            second.start();
            await().dontCatchUncaughtExceptions().atMost(Duration.ofSeconds(60))
                    .until(() -> rig.count(ledger, MailState.SENT) == MAILS);
            assertThat(rig.total(ledger)).isEqualTo(MAILS);
        }

        for (int i = 0; i < MAILS; i++) {
            List<TestMessage> replies = rig.repliesTo(MailboxRig.customer(i));
            assertThat(replies).as("replies to customer %d after a crash %s", i, point).hasSize(1);
        }
        assertThat(rig.folder("Sent")).hasSize(MAILS);
        firstLedger.close();
    }

    /** The sink in a process that dies right after the SMTP server's 250, before the Sent copy. */
    private SmtpMailSink crashingBetweenAcceptAndCopy(CrashSwitch crash, boolean serverFilesSent) {
        SmtpMailSink.Builder builder = SmtpMailSink.builder().account(rig.server.smtpAccount())
                .sentFolder(rig.imap()).serverFilesSent(serverFilesSent);
        return SmtpSinkSeams.afterAccepted(builder, id -> {
            crash.checkAlive("between SMTP 250 and the Sent copy of " + id); // a second delivery dies there too
            crash.afterStep("between SMTP 250 and the Sent copy of " + id);
        }).build();
    }

    @Test
    void a_crash_between_the_smtp_250_and_the_sent_copy_resends_with_the_same_message_id_only() {
        Map<String, List<String>> ids = runThroughCrashBetweenAcceptAndCopy(false);

        // at-least-once in this window: the reply(ies) in it went out twice, each time with the same id
        long twice = ids.values().stream().filter(l -> l.size() == 2).count();
        assertThat(ids.values()).allSatisfy(l -> {
            assertThat(l).hasSizeBetween(1, 2);
            assertThat(new HashSet<>(l)).hasSize(1);
        });
        assertThat(twice).as("only deliveries caught in the window are repeated (concurrency 2)").isBetween(1L, 2L);
        assertThat(rig.folder("Sent")).hasSize(MAILS);
    }

    @Test
    void where_the_server_files_sent_mail_itself_a_crash_after_its_250_answers_exactly_once() {
        rig.server.fileSentMail(MailboxRig.SUPPORT, "Sent");

        Map<String, List<String>> ids = runThroughCrashBetweenAcceptAndCopy(true);

        assertThat(ids.values()).allSatisfy(l -> assertThat(l).hasSize(1));
        assertThat(rig.folder("Sent")).hasSize(MAILS);
    }

    /** Crashes the first process between a 250 and the Sent copy; returns each customer's reply ids. */
    private Map<String, List<String>> runThroughCrashBetweenAcceptAndCopy(boolean serverFilesSent) {
        for (int i = 0; i < MAILS; i++) {
            rig.deliverQuestion(i);
        }
        CrashSwitch crash = new CrashSwitch(3);
        SqliteLedger firstLedger = rig.openLedger();
        ImapMailSource firstSource = rig.newSource();
        Pipeline first = rig.pipeline(new CrashingLedger(firstLedger, crash, CrashAfter.NOTHING), firstSource, new FakeDrafter())
                .sink(new CrashingSink(crashingBetweenAcceptAndCopy(crash, serverFilesSent), crash, false))
                .concurrency(2)
                .build();
        first.start();
        await().dontCatchUncaughtExceptions().atMost(Duration.ofSeconds(60)).until(crash::tripped);
        first.close();
        firstSource.close();

        SmtpMailSink sink = SmtpMailSink.builder().account(rig.server.smtpAccount()).sentFolder(rig.imap())
                .serverFilesSent(serverFilesSent).build();
        try (SqliteLedger ledger = rig.openLedger();
             ImapMailSource source = rig.newSource();
             Pipeline second = rig.pipeline(ledger, source, new FakeDrafter()).sink(sink).build()) {
            second.start();
            await().dontCatchUncaughtExceptions().atMost(Duration.ofSeconds(60))
                    .until(() -> rig.count(ledger, MailState.SENT) == MAILS);
        } finally {
            sink.close();
            firstLedger.close();
        }
        Map<String, List<String>> ids = new TreeMap<>();
        for (int i = 0; i < MAILS; i++) {
            ids.put(MailboxRig.customer(i), rig.repliesTo(MailboxRig.customer(i)).stream()
                    .map(TestMessage::messageId).toList());
        }
        return ids;
    }
}
