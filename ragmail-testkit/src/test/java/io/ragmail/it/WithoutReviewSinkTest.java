package io.ragmail.it;

import io.ragmail.core.Pipeline;
import io.ragmail.core.ReviewPolicy;
import io.ragmail.core.imap.ImapMailSource;
import io.ragmail.core.ledger.LedgerEntry;
import io.ragmail.core.ledger.MailState;
import io.ragmail.core.ledger.SqliteLedger;
import io.ragmail.testkit.FakeDrafter;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code Pipeline.Builder.withoutReviewSink()}: a held-back reply stays in the ledger, the mail in sight. */
class WithoutReviewSinkTest extends MailboxTestBase {

    @Test
    void a_reply_held_for_review_stays_in_the_ledger_only_and_the_mail_stays_unread_for_a_person() {
        try (SqliteLedger ledger = rig.openLedger();
             ImapMailSource source = rig.newSource();
             Pipeline pipeline = rig.pipeline(ledger, source, new FakeDrafter())
                     .withoutReviewSink()
                     .reviewPolicy(ReviewPolicy.builder().mode(ReviewPolicy.Mode.REVIEW).build())
                     .build()) {
            pipeline.start();
            rig.deliverQuestion(1);

            await().atMost(Duration.ofSeconds(60)).until(() -> rig.count(ledger, MailState.REVIEW) == 1);
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> ledger.inState(MailState.REVIEW, 10).stream().allMatch(LedgerEntry::acknowledged));
            List<LedgerEntry> held = ledger.inState(MailState.REVIEW, 10);
            assertThat(held).singleElement().satisfies(entry -> {
                assertThat(entry.storedReply()).isPresent();
                assertThat(entry.storedReply().get().reviewNotes()).contains("review mode: every reply is reviewed");
            });
        }
        assertThat(rig.repliesTo(MailboxRig.customer(1))).isEmpty();
        assertThat(rig.folder("Drafts")).isEmpty();
        assertThat(rig.folder("INBOX")).singleElement().satisfies(m -> assertThat(m.flags()).doesNotContain("\\Seen"));
    }
}
