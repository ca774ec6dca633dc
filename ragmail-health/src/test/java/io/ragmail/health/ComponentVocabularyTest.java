package io.ragmail.health;

import io.ragmail.core.Component;
import io.ragmail.core.EmailAddress;
import io.ragmail.core.MailAccount;
import io.ragmail.core.Pipeline;
import io.ragmail.core.ReviewPolicy;
import io.ragmail.core.RetryPolicy;
import io.ragmail.core.event.ComponentDownEvent;
import io.ragmail.core.event.ComponentUpEvent;
import io.ragmail.core.event.MailDeadEvent;
import io.ragmail.core.event.PipelineListener;
import io.ragmail.core.event.RetryScheduledEvent;
import io.ragmail.core.imap.ImapDraftsSink;
import io.ragmail.core.imap.ImapMailSource;
import io.ragmail.core.ledger.SqliteLedger;
import io.ragmail.core.mistral.MistralDrafter;
import io.ragmail.core.smtp.SmtpMailSink;
import io.ragmail.testkit.TestMailServer;
import io.ragmail.testkit.mistral.FakeMistralServer;
import io.ragmail.testkit.mistral.MistralFault;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One vocabulary: the components the pipeline's events name are the components {@code /health} shows,
 * with no translation in between. A real pipeline meets a real Mistral outage (FakeMistralServer
 * answering 503) and then an SMTP server that refuses connections.
 */
class ComponentVocabularyTest {

    static final String SUPPORT = "support@shop.example";
    static final String PASSWORD = "support-secret";
    static final String REPLY = "{\"reply\":\"Dear Ada, the safety data sheet is attached.\",\"language\":\"en\","
            + "\"confidence\":0.9,\"used_sources\":[],\"needs_human\":false,\"reason\":\"\"}";

    @Test
    void failing_mistral_and_smtp_are_named_alike_in_events_exceptions_and_health(@TempDir Path dir) throws Exception {
        List<String> named = new CopyOnWriteArrayList<>();
        List<String> down = new CopyOnWriteArrayList<>();
        List<String> up = new CopyOnWriteArrayList<>();
        PipelineListener recorder = new PipelineListener() {
            @Override
            public void onComponentDown(ComponentDownEvent event) {
                down.add(event.component());
                named.add(event.component());
            }

            @Override
            public void onComponentUp(ComponentUpEvent event) {
                up.add(event.component());
                named.add(event.component());
            }

            @Override
            public void onRetryScheduled(RetryScheduledEvent event) {
                named.add(event.component());
            }

            @Override
            public void onDead(MailDeadEvent event) {
                named.add(event.component());
            }
        };
        int refusingPort;
        try (ServerSocket free = new ServerSocket(0)) {
            refusingPort = free.getLocalPort(); // closed again below: nothing listens there
        }
        try (TestMailServer mail = new TestMailServer().start();
             FakeMistralServer mistral = FakeMistralServer.builder().apiKey("k").build().replyWith(REPLY)) {
            mail.createUser(SUPPORT, PASSWORD);
            MailAccount imap = mail.imapAccount(SUPPORT, PASSWORD);
            MailAccount smtp = mail.smtpAccount();
            MailAccount refusingSmtp = new MailAccount(smtp.host(), refusingPort, smtp.security(), smtp.user(),
                    smtp.password());
            mistral.enqueue(MistralFault.serverError(503));
            try (SqliteLedger ledger = SqliteLedger.open(dir.resolve("ledger.db"));
                 ImapMailSource source = ImapMailSource.builder().account(imap).build();
                 MistralDrafter drafter = MistralDrafter.builder().apiKey("k").baseUrl(mistral.baseUrl())
                         .requestsPerSecond(50).maxAttempts(1).build();
                 HealthMonitor health = HealthMonitor.builder().ledger(ledger).build();
                 Pipeline pipeline = Pipeline.builder()
                         .source(source)
                         .withoutKnowledge()
                         .drafter(drafter)
                         .reviewPolicy(ReviewPolicy.sendWhenConfident(0.5))
                         .sink(SmtpMailSink.builder().account(refusingSmtp).build())
                         .reviewSink(ImapDraftsSink.builder().account(imap).build())
                         .ledger(ledger)
                         .from(EmailAddress.of(SUPPORT))
                         .pollWait(Duration.ofMillis(300))
                         .shutdownTimeout(Duration.ofSeconds(5))
                         .retryPolicy(RetryPolicy.builder().initialDelay(Duration.ofMillis(200))
                                 .maxDelay(Duration.ofMillis(500)).maxAttempts(1000).build())
                         .listener(health)
                         .listener(recorder)
                         .build()) {
                pipeline.start();
                mail.deliver("ada@customer.example", SUPPORT, "Acetone SDS",
                        "Could you send the safety data sheet for acetone?", Map.of());

                // Mistral fails once and then drafts; the reply then cannot leave: SMTP refuses
                await().atMost(Duration.ofSeconds(60)).until(() -> down.contains(Component.SMTP));
                await().atMost(Duration.ofSeconds(10)).until(() -> health.snapshot().components()
                        .get(Component.SMTP).state() == ComponentState.DOWN);

                assertThat(down).startsWith(Component.MISTRAL, Component.SMTP);
                assertThat(up).contains(Component.MISTRAL);
                Map<String, ComponentHealth> shown = health.snapshot().components();
                assertThat(shown.get(Component.MISTRAL).state()).isEqualTo(ComponentState.UP);
                assertThat(shown.get(Component.MISTRAL).lastError()).contains("503");
                // every name an event used is one health lists by default: no stray "drafter" row
                assertThat(named).isNotEmpty().allSatisfy(name -> {
                    assertThat(Component.ALL).contains(name);
                    assertThat(HealthMonitor.DEFAULT_COMPONENTS).contains(name);
                });
                assertThat(shown.keySet()).containsExactlyElementsOf(HealthMonitor.DEFAULT_COMPONENTS);
            }
        }
    }
}
