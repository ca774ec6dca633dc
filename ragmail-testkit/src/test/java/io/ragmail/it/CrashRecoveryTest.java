package io.ragmail.it;

import io.ragmail.core.Pipeline;
import io.ragmail.core.imap.ImapMailSource;
import io.ragmail.core.ledger.MailState;
import io.ragmail.core.ledger.SqliteLedger;
import io.ragmail.it.CrashingLedger.CrashAfter;
import io.ragmail.testkit.FakeDrafter;
import io.ragmail.testkit.TestMessage;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The process dies at one instant — after a mail was admitted, after its reply was stored, or after
 * the reply went out but before the ledger heard of it — and a new process starts on the same ledger
 * file and mailbox. Every mail ends answered exactly once.
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
}
