package io.ragmail.it;

import io.ragmail.core.Pipeline;
import io.ragmail.core.imap.ImapMailSource;
import io.ragmail.core.ledger.LedgerEntry;
import io.ragmail.core.ledger.MailState;
import io.ragmail.core.ledger.SqliteLedger;
import io.ragmail.testkit.FakeDrafter;
import io.ragmail.testkit.mail.HostileMails;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Malformed and hostile mail never stops the pipeline: each ends skipped or answered, and good mail after it is answered. */
class HostileMailTest extends MailboxTestBase {

    private static final String GREENMAIL_CANNOT_STORE = "24-content-type-garbage";

    @Test
    void every_hostile_mail_ends_skipped_or_answered_and_the_next_good_mail_is_answered() {
        // GreenMail itself cannot store one of them (it fails parsing a garbage Content-Type); the
        // parser tests cover that one without a server.
        List<HostileMails.HostileMail> hostile = HostileMails.all().stream()
                .filter(mail -> !mail.name().equals(GREENMAIL_CANNOT_STORE))
                .toList();
        assertThat(hostile).hasSizeGreaterThanOrEqualTo(20);
        hostile.forEach(mail -> rig.server.deliver(MailboxRig.SUPPORT, mail.raw()));
        rig.server.deliver(MailboxRig.SUPPORT, HostileMails.huge(30));
        rig.deliverQuestion(7);
        int expected = hostile.size() + 2;

        try (SqliteLedger ledger = rig.openLedger();
             ImapMailSource source = rig.newSource();
             Pipeline pipeline = rig.pipeline(ledger, source, new FakeDrafter()).build()) {
            pipeline.start();
            await().atMost(Duration.ofMinutes(2)).until(() ->
                    rig.total(ledger) == expected && MailboxRig.allTerminal(ledger));

            assertThat(pipeline.isRunning()).isTrue();
            assertThat(MailboxRig.entries(ledger, MailState.DEAD)).as("mails in the failed-mail queue").isEmpty();
            assertThat(rig.count(ledger, MailState.SKIPPED) + rig.count(ledger, MailState.SENT)
                    + rig.count(ledger, MailState.REVIEW)).isEqualTo(expected);
            List<LedgerEntry> skipped = MailboxRig.entries(ledger, MailState.SKIPPED);
            assertThat(skipped).allSatisfy(entry -> assertThat(entry.reason()).isNotBlank());
            assertThat(skipped).anySatisfy(entry -> assertThat(entry.reason()).contains("exceeds"));
        }
        assertThat(rig.repliesTo(MailboxRig.customer(7))).hasSize(1);
    }
}
