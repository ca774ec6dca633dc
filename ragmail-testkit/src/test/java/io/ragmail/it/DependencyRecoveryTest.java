package io.ragmail.it;

import io.ragmail.core.AuthenticationException;
import io.ragmail.core.Drafter;
import io.ragmail.core.ErpClient;
import io.ragmail.core.CustomerFacts;
import io.ragmail.core.EmailAddress;
import io.ragmail.core.Pipeline;
import io.ragmail.core.RetryPolicy;
import io.ragmail.core.SenderIdentity;
import io.ragmail.core.event.ComponentDownEvent;
import io.ragmail.core.event.PipelineListener;
import io.ragmail.core.imap.ImapMailSource;
import io.ragmail.core.ledger.MailState;
import io.ragmail.core.ledger.SqliteLedger;
import io.ragmail.core.mistral.MistralDrafter;
import io.ragmail.testkit.FakeDrafter;
import io.ragmail.testkit.mistral.FakeMistralServer;
import io.ragmail.testkit.mistral.MistralFault;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Mail that waits on a dependency goes on soon after the dependency is back: the ledger that could not
 * take a mail, a model API that rejected our key for a short while. And the sender verifier is held to
 * the From address.
 */
class DependencyRecoveryTest extends MailboxTestBase {

    @Test
    void mail_the_ledger_could_not_admit_is_offered_again_and_answered_once_the_ledger_is_free() throws Exception {
        Path file = rig.dataDir.resolve("ledger.db");
        CountDownLatch ledgerDown = new CountDownLatch(1);
        try (SqliteLedger ledger = SqliteLedger.builder().file(file).busyTimeout(Duration.ofMillis(200)).build();
             ImapMailSource source = rig.newSource();
             Pipeline pipeline = rig.pipeline(ledger, source, new FakeDrafter())
                     .listener(new PipelineListener() {
                         @Override
                         public void onComponentDown(ComponentDownEvent event) {
                             if (event.component().equals("ledger")) {
                                 ledgerDown.countDown();
                             }
                         }
                     })
                     .build()) {
            pipeline.start();
            // another process (a backup, the CLI) holds the ledger's write lock while the mail arrives
            try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + file);
                 Statement s = other.createStatement()) {
                s.execute("BEGIN IMMEDIATE");
                rig.deliverQuestion(1);
                ledgerDown.await(10, TimeUnit.SECONDS); // the admission failed (bounded wait, not asserted)
                s.execute("ROLLBACK");
            }

            await().atMost(Duration.ofSeconds(30)).until(() -> rig.count(ledger, MailState.SENT) == 1);
        }
        assertThat(rig.repliesTo(MailboxRig.customer(1))).hasSize(1);
    }

    @Test
    void after_a_short_burst_of_rejected_credentials_waiting_mail_is_answered_within_seconds_not_an_hour() {
        int mails = 4;
        try (FakeMistralServer mistral = FakeMistralServer.builder().apiKey("k").build()
                .replyWith("{\"reply\":\"Hello, ACE-1 is in stock.\",\"language\":\"en\",\"confidence\":0.9,"
                        + "\"used_sources\":[],\"needs_human\":false,\"reason\":\"\"}")) {
            // the model API answers 401 to the first requests, as during a key rotation
            for (int i = 0; i < mails + 2; i++) {
                mistral.enqueue(MistralFault.unauthorized());
            }
            MistralDrafter drafter = MistralDrafter.builder().apiKey("k").baseUrl(mistral.baseUrl())
                    .requestsPerSecond(50).timeout(Duration.ofSeconds(10)).build();
            try (SqliteLedger ledger = rig.openLedger();
                 ImapMailSource source = rig.newSource();
                 Pipeline pipeline = rig.pipeline(ledger, source, drafter)
                         .retryPolicy(RetryPolicy.ofDefaults()) // rejected credentials park mail for up to an hour
                         .probeInterval(Duration.ofSeconds(1))
                         .build()) {
                pipeline.start();
                for (int i = 0; i < mails; i++) {
                    rig.deliverQuestion(i);
                }
                await().atMost(Duration.ofSeconds(30)).until(() -> mistral.countStatus(401) >= mails);

                await().atMost(Duration.ofSeconds(30)).until(() ->
                        rig.count(ledger, MailState.SENT) + rig.count(ledger, MailState.REVIEW) == mails);
            }
        }
    }

    @Test
    void mail_parked_by_rejected_credentials_is_answered_soon_after_a_restart_with_good_credentials() {
        Drafter rejected = request -> {
            throw new AuthenticationException("drafter", "401 Unauthorized");
        };
        try (SqliteLedger ledger = rig.openLedger();
             ImapMailSource source = rig.newSource();
             Pipeline pipeline = rig.pipeline(ledger, source, rejected).retryPolicy(RetryPolicy.ofDefaults()).build()) {
            pipeline.start();
            rig.deliverQuestion(1);
            await().atMost(Duration.ofSeconds(30)).until(() -> rig.count(ledger, MailState.RETRY) == 1);
            // parked for an hour: nothing would try it again before then
            assertThat(MailboxRig.entries(ledger, MailState.RETRY).get(0).nextAttemptAt())
                    .isAfter(Instant.now().plus(Duration.ofMinutes(30)));
        }
        // the operator fixes the key and restarts
        try (SqliteLedger ledger = rig.openLedger();
             ImapMailSource source = rig.newSource();
             Pipeline pipeline = rig.pipeline(ledger, source, new FakeDrafter()).retryPolicy(RetryPolicy.ofDefaults())
                     .probeInterval(Duration.ofSeconds(1)).build()) {
            pipeline.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> rig.count(ledger, MailState.SENT) == 1);
        }
        assertThat(rig.repliesTo(MailboxRig.customer(1))).hasSize(1);
    }

    @Test
    void a_verifier_that_vouches_for_another_address_than_from_does_not_unlock_private_data() {
        List<SenderIdentity> asked = new CopyOnWriteArrayList<>();
        ErpClient erp = sender -> {
            asked.add(sender);
            return Optional.of(new CustomerFacts("res.partner/43", "Bob Builder GmbH", List.of()));
        };
        try (SqliteLedger ledger = rig.openLedger();
             ImapMailSource source = rig.newSource();
             Pipeline pipeline = rig.pipeline(ledger, source, new FakeDrafter()).erp(erp)
                     // a verifier bug: it vouches for the Sender header's address, not From's
                     .senderVerifier(mail -> new SenderIdentity(EmailAddress.of("bob@customers.example"), true, "dkim=pass"))
                     .build()) {
            pipeline.start();
            rig.deliverQuestion(1);
            await().atMost(Duration.ofSeconds(30)).until(() -> rig.total(ledger) == 1 && MailboxRig.allTerminal(ledger));
        }
        assertThat(asked).singleElement().satisfies(identity -> {
            assertThat(identity.verified()).isFalse();
            assertThat(identity.address().address()).isEqualTo(MailboxRig.customer(1));
        });
    }
}
