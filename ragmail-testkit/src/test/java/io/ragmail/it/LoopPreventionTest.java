package io.ragmail.it;

import io.ragmail.core.Pipeline;
import io.ragmail.core.imap.ImapMailSource;
import io.ragmail.core.ledger.LedgerEntry;
import io.ragmail.core.ledger.MailState;
import io.ragmail.core.ledger.SqliteLedger;
import io.ragmail.testkit.FakeDrafter;
import io.ragmail.testkit.TestMessage;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Over real IMAP and SMTP: auto-replies and our own replies coming back are never answered. */
class LoopPreventionTest extends MailboxTestBase {

    @Test
    void our_reply_forwarded_back_by_a_customers_auto_forward_is_not_answered() throws Exception {
        try (SqliteLedger ledger = rig.openLedger();
             ImapMailSource source = rig.newSource();
             Pipeline pipeline = rig.pipeline(ledger, source, new FakeDrafter()).build()) {
            pipeline.start();
            rig.deliverQuestion(1);
            await().atMost(Duration.ofSeconds(30)).until(() -> rig.count(ledger, MailState.SENT) == 1);

            // the customer's mailbox sends our reply straight back, headers and all
            TestMessage reply = rig.repliesTo(MailboxRig.customer(1)).get(0);
            reply.mimeMessage().setFrom(MailboxRig.customer(1));
            reply.mimeMessage().saveChanges();
            ByteArrayOutputStream raw = new ByteArrayOutputStream();
            reply.mimeMessage().writeTo(raw);
            rig.server.deliver(MailboxRig.SUPPORT, raw.toByteArray());
            // and a vacation notice arrives
            rig.server.deliver("holiday@customers.example", MailboxRig.SUPPORT, "Out of office",
                    "I am away until Monday.", Map.of("Auto-Submitted", "auto-replied", "X-Autoreply", "yes"));

            await().atMost(Duration.ofSeconds(30)).until(() -> rig.count(ledger, MailState.SKIPPED) == 2);
            assertThat(MailboxRig.entries(ledger, MailState.SKIPPED)).extracting(LedgerEntry::reason)
                    .allSatisfy(reason -> assertThat(reason).containsAnyOf("auto-submitted", "x-loop", "X-Loop", "Auto-Submitted"));
        }
        assertThat(rig.repliesTo(MailboxRig.customer(1))).hasSize(1);
        assertThat(rig.repliesTo("holiday@customers.example")).isEmpty();
    }
}
