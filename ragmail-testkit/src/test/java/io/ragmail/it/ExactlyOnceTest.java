package io.ragmail.it;

import io.ragmail.core.Pipeline;
import io.ragmail.core.imap.ImapMailSource;
import io.ragmail.core.ledger.MailState;
import io.ragmail.core.ledger.SqliteLedger;
import io.ragmail.testkit.FakeDrafter;
import io.ragmail.testkit.TestMessage;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ExactlyOnceTest extends MailboxTestBase {

    private static final Logger log = LoggerFactory.getLogger(ExactlyOnceTest.class);
    private static final int MAILS = 200;

    @Test
    void answers_200_mails_exactly_once_with_threading_headers_and_a_second_pipeline_answers_none_again() throws Exception {
        // given 200 questions from 200 customers
        Map<Integer, String> questionIds = new HashMap<>();
        for (int i = 0; i < MAILS; i++) {
            questionIds.put(i, rig.deliverQuestion(i));
        }

        // when a pipeline runs until every mail is answered
        FakeDrafter firstDrafter = new FakeDrafter();
        long started = System.nanoTime();
        try (SqliteLedger ledger = rig.openLedger();
             ImapMailSource source = rig.newSource();
             Pipeline pipeline = rig.pipeline(ledger, source, firstDrafter).build()) {
            pipeline.start();
            await().atMost(Duration.ofMinutes(3)).until(() -> rig.count(ledger, MailState.SENT) == MAILS);
            double seconds = (System.nanoTime() - started) / 1e9;
            log.info("answered {} mails in {} s: {} mails/s", MAILS, String.format("%.1f", seconds),
                    String.format("%.1f", MAILS / seconds));
        }

        // then each customer has exactly one reply, threaded to their question
        for (int i = 0; i < MAILS; i++) {
            List<TestMessage> replies = rig.repliesTo(MailboxRig.customer(i));
            assertThat(replies).as("replies to customer %d", i).hasSize(1);
            TestMessage reply = replies.get(0);
            assertThat(reply.header("In-Reply-To")).contains(questionIds.get(i));
            assertThat(reply.header("References").orElseThrow()).endsWith(questionIds.get(i));
            assertThat(reply.subject()).isEqualTo("Re: Question " + i + " about acetone");
            assertThat(reply.header("Auto-Submitted")).contains("auto-replied");
            assertThat(reply.header("From").orElseThrow()).contains(MailboxRig.SUPPORT);
        }
        assertThat(firstDrafter.calls()).isEqualTo(MAILS);
        try (SqliteLedger ledger = rig.openLedger()) {
            assertThat(MailboxRig.entries(ledger, MailState.SENT))
                    .allSatisfy(entry -> assertThat(entry.key().mailbox()).isEqualTo(MailboxRig.SUPPORT + "/INBOX"));
        }
        assertThat(rig.folder("Sent")).hasSize(MAILS);
        assertThat(rig.folder("INBOX")).allSatisfy(m -> assertThat(m.flags()).contains("\\Seen"));

        // when every question looks unread again and a second pipeline starts on the same ledger
        rig.markInboxUnread();
        FakeDrafter secondDrafter = new FakeDrafter();
        try (SqliteLedger ledger = rig.openLedger();
             ImapMailSource source = rig.newSource();
             Pipeline pipeline = rig.pipeline(ledger, source, secondDrafter).build()) {
            pipeline.start();
            // it has seen them all once it has acknowledged them all again
            await().atMost(Duration.ofMinutes(2)).until(() ->
                    rig.folder("INBOX").stream().allMatch(m -> m.flags().contains("\\Seen")));
            assertThat(rig.count(ledger, MailState.SENT)).isEqualTo(MAILS);
            assertThat(rig.total(ledger)).isEqualTo(MAILS);
        }

        // then nothing was drafted or sent twice
        assertThat(secondDrafter.calls()).isZero();
        for (int i = 0; i < MAILS; i++) {
            assertThat(rig.repliesTo(MailboxRig.customer(i))).as("replies to customer %d", i).hasSize(1);
        }
        assertThat(rig.folder("Sent")).hasSize(MAILS);
    }
}
