package io.ragmail.it;

import io.ragmail.core.Pipeline;
import io.ragmail.core.event.ComponentDownEvent;
import io.ragmail.core.event.ComponentUpEvent;
import io.ragmail.core.event.PipelineListener;
import io.ragmail.core.imap.ImapMailSource;
import io.ragmail.core.ledger.MailState;
import io.ragmail.core.ledger.SqliteLedger;
import io.ragmail.testkit.FakeDrafter;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class MailServerOutageTest extends MailboxTestBase {

    @Test
    void the_source_reconnects_after_the_mail_server_restarts_and_answers_mail_that_arrived_meanwhile() {
        List<String> down = new CopyOnWriteArrayList<>();
        List<String> up = new CopyOnWriteArrayList<>();
        PipelineListener outages = new PipelineListener() {
            @Override
            public void onComponentDown(ComponentDownEvent event) {
                down.add(event.component());
            }

            @Override
            public void onComponentUp(ComponentUpEvent event) {
                up.add(event.component());
            }
        };
        try (SqliteLedger ledger = rig.openLedger();
             ImapMailSource source = rig.newSource();
             Pipeline pipeline = rig.pipeline(ledger, source, new FakeDrafter()).listener(outages).build()) {
            pipeline.start();
            rig.deliverQuestion(1);
            await().atMost(Duration.ofSeconds(30)).until(() -> rig.count(ledger, MailState.SENT) == 1);

            // the mail server goes away; mail keeps arriving in its store meanwhile
            rig.server.stop();
            await().atMost(Duration.ofSeconds(30)).until(() -> down.contains("imap"));
            rig.deliverQuestion(2);
            assertThat(rig.count(ledger, MailState.SENT)).isEqualTo(1);

            // it comes back on the same address
            rig.server.start();
            await().atMost(Duration.ofSeconds(90)).until(() -> rig.count(ledger, MailState.SENT) == 2);
            await().atMost(Duration.ofSeconds(10)).until(() -> up.contains("imap"));
        }
        assertThat(rig.repliesTo(MailboxRig.customer(1))).hasSize(1);
        assertThat(rig.repliesTo(MailboxRig.customer(2))).hasSize(1);
    }
}
