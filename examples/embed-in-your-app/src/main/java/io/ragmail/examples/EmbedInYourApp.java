package io.ragmail.examples;

import io.ragmail.core.EmailAddress;
import io.ragmail.core.KnowledgeDocument;
import io.ragmail.core.MailAccount;
import io.ragmail.core.Pipeline;
import io.ragmail.core.event.PipelineListener;
import io.ragmail.core.event.ReplySentEvent;
import io.ragmail.core.imap.ImapDraftsSink;
import io.ragmail.core.imap.ImapMailSource;
import io.ragmail.core.knowledge.LuceneKnowledgeStore;
import io.ragmail.core.ledger.SqliteLedger;
import io.ragmail.core.smtp.SmtpMailSink;
import io.ragmail.core.template.TemplateDrafter;
import io.ragmail.health.HealthMonitor;
import io.ragmail.health.HealthServer;
import io.ragmail.testkit.TestMailServer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Embeds a ragmail pipeline and its health server in a plain Java application: a knowledge base, a
 * drafter, a listener, the dashboard on a free port, and a clean shutdown in the right order (the
 * try-with-resources closes the pipeline first, then what it uses). It runs against an embedded test
 * mail server so that it works anywhere; in production, pass the {@link MailAccount}s of your real
 * IMAP and SMTP servers instead, and {@code MistralDrafter} for the template drafter.
 */
public final class EmbedInYourApp {

    private EmbedInYourApp() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println(answerOneMail(Files.createTempDirectory("ragmail-example")));
    }

    /** Starts everything, answers one customer mail, stops everything; returns the reply's text. */
    public static String answerOneMail(Path dataDir) throws InterruptedException {
        try (TestMailServer server = new TestMailServer().start()) {
            server.createUser("support@example.com", "secret");
            MailAccount imap = server.imapAccount("support@example.com", "secret");
            MailAccount smtp = server.smtpAccount();

            PipelineListener log = new PipelineListener() {
                @Override
                public void onSent(ReplySentEvent event) {
                    System.out.println("answered " + event.key() + " in " + event.sinceReceived().toMillis() + " ms");
                }
            };

            try (LuceneKnowledgeStore knowledge = LuceneKnowledgeStore.builder().directory(dataDir.resolve("index")).build();
                 SqliteLedger ledger = SqliteLedger.open(dataDir.resolve("ledger.db"));
                 HealthMonitor health = HealthMonitor.builder().ledger(ledger).dataDirectory(dataDir).build();
                 HealthServer dashboard = HealthServer.builder().monitor(health).port(0).build().start();
                 ImapMailSource source = ImapMailSource.builder().account(imap).build();
                 SmtpMailSink sink = SmtpMailSink.builder().account(smtp).sentFolder(imap).build();
                 ImapDraftsSink drafts = ImapDraftsSink.builder().account(imap).build();
                 Pipeline pipeline = Pipeline.builder()
                         .source(source).sink(sink).reviewSink(drafts).ledger(ledger)
                         .knowledge(knowledge)
                         .drafter(TemplateDrafter.builder().autoSend(true).signature("The Example Shop team").build())
                         .from(EmailAddress.of("support@example.com"))
                         .pollWait(Duration.ofSeconds(1))
                         .listener(log).listener(health)
                         .build()) {
                knowledge.upsert(List.of(new KnowledgeDocument("faq:opening-hours", "Opening hours",
                        "Our shop is open Monday to Friday from 9:00 to 18:00 and on Saturdays from 10:00 to 14:00.")));
                pipeline.start();
                System.out.println("dashboard: http://127.0.0.1:" + dashboard.getPort() + "/");

                server.deliver("ada@customers.example", "support@example.com", "Opening hours?",
                        "When are you open on Saturdays?", Map.of());
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (server.received("ada@customers.example").isEmpty() && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                return server.received("ada@customers.example").stream().findFirst()
                        .map(reply -> reply.text()).orElse("no reply within 60 s");
            }
        }
    }
}
