package io.ragmail.it;

import io.ragmail.core.EmailAddress;
import io.ragmail.core.Pipeline;
import io.ragmail.core.imap.ImapMailSource;
import io.ragmail.core.ledger.LedgerEntry;
import io.ragmail.core.ledger.MailState;
import io.ragmail.core.ledger.SqliteLedger;
import io.ragmail.core.reply.ReplyComposer;
import io.ragmail.core.triage.Triage;
import io.ragmail.testkit.FakeDrafter;
import io.ragmail.testkit.TestMessage;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * One triage limit changed through {@code Pipeline.builder().triage(t -> …)}, without rebuilding the
 * triage: the limit applies, and the loop guard still knows the composer's {@code X-Loop}, which is
 * configured in one place only.
 */
class TriageSettingsTest extends MailboxTestBase {

    static final String LOOP_ID = "shop-support-loop";

    ReplyComposer composer() {
        return ReplyComposer.builder().from(EmailAddress.of(MailboxRig.SUPPORT)).loopId(LOOP_ID).build();
    }

    @Test
    void one_changed_limit_applies_and_our_own_x_loop_is_still_recognised() throws Exception {
        try (SqliteLedger ledger = rig.openLedger();
             ImapMailSource source = rig.newSource();
             Pipeline pipeline = rig.pipeline(ledger, source, new FakeDrafter()).composer(composer())
                     .triage(t -> t.maxRepliesPerSender(1)).build()) {
            pipeline.start();
            rig.deliverQuestion(1);
            await().atMost(Duration.ofSeconds(30)).until(() -> rig.count(ledger, MailState.SENT) == 1);

            // a second question from the same sender: over the limit of 1 (the default would answer 20)
            rig.server.deliver(MailboxRig.customer(1), MailboxRig.SUPPORT, "Another question",
                    "And do you have ethanol?", java.util.Map.of());
            // our reply comes back from another customer's mailbox, Auto-Submitted stripped, only X-Loop left
            TestMessage reply = rig.repliesTo(MailboxRig.customer(1)).get(0);
            assertThat(reply.mimeMessage().getHeader("X-Loop")).containsExactly(LOOP_ID);
            reply.mimeMessage().removeHeader("Auto-Submitted");
            reply.mimeMessage().setFrom(MailboxRig.customer(2));
            reply.mimeMessage().saveChanges();
            ByteArrayOutputStream raw = new ByteArrayOutputStream();
            reply.mimeMessage().writeTo(raw);
            rig.server.deliver(MailboxRig.SUPPORT, raw.toByteArray());

            await().atMost(Duration.ofSeconds(30)).until(() -> rig.count(ledger, MailState.SKIPPED) == 2);
            List<String> reasons = MailboxRig.entries(ledger, MailState.SKIPPED).stream().map(LedgerEntry::reason).toList();
            assertThat(reasons).anySatisfy(r -> assertThat(r).containsIgnoringCase("x-loop"));
            assertThat(reasons).anySatisfy(r -> assertThat(r).startsWith("rate limit: 1 reply to " + MailboxRig.customer(1)));
        }
        assertThat(rig.repliesTo(MailboxRig.customer(1))).hasSize(1);
        assertThat(rig.repliesTo(MailboxRig.customer(2))).isEmpty();
    }

    @Test
    void a_triage_with_another_loop_id_than_the_composer_is_refused() {
        try (SqliteLedger ledger = rig.openLedger(); ImapMailSource source = rig.newSource()) {
            Triage other = Triage.builder().ourAddresses(List.of(EmailAddress.of(MailboxRig.SUPPORT)))
                    .loopId("someone-else").build();
            assertThatThrownBy(() -> rig.pipeline(ledger, source, new FakeDrafter()).composer(composer()).triage(other).build())
                    .isExactlyInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("triage loopId must be the composer's, '" + LOOP_ID + "', was 'someone-else'");
            assertThatThrownBy(() -> rig.pipeline(ledger, source, new FakeDrafter()).composer(composer())
                    .triage(t -> t.loopId("someone-else")).build())
                    .isExactlyInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("triage loopId");
        }
    }

    @Test
    void a_given_triage_keeps_its_limits_and_settings_changed_on_top_of_it_apply_too() throws Exception {
        Triage strict = Triage.builder().ourAddresses(List.of(EmailAddress.of(MailboxRig.SUPPORT)))
                .loopId(LOOP_ID).maxRepliesPerThread(1).build();
        try (SqliteLedger ledger = rig.openLedger();
             ImapMailSource source = rig.newSource();
             Pipeline pipeline = rig.pipeline(ledger, source, new FakeDrafter()).composer(composer()).triage(strict)
                     .triage(t -> t.maxRepliesPerSender(50)).build()) {
            pipeline.start();
            String first = rig.deliverQuestion(1);
            await().atMost(Duration.ofSeconds(30)).until(() -> rig.count(ledger, MailState.SENT) == 1);
            rig.server.deliver(MailboxRig.customer(1), MailboxRig.SUPPORT, "Re: Question 1 about acetone",
                    "One more thing", java.util.Map.of("In-Reply-To", first, "References", first));
            await().atMost(Duration.ofSeconds(30)).until(() -> rig.count(ledger, MailState.SKIPPED) == 1);
            assertThat(MailboxRig.entries(ledger, MailState.SKIPPED).get(0).reason()).startsWith("rate limit: 1 reply in thread");
        }
    }
}
