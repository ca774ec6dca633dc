package io.ragmail.examples;

import io.ragmail.core.Draft;
import io.ragmail.core.Drafter;
import io.ragmail.core.EmailAddress;
import io.ragmail.core.MailAccount;
import io.ragmail.core.Pipeline;
import io.ragmail.core.TokenUsage;
import io.ragmail.core.event.PipelineListener;
import io.ragmail.core.event.ReplySentEvent;
import io.ragmail.core.imap.ImapDraftsSink;
import io.ragmail.core.imap.ImapMailSource;
import io.ragmail.core.ledger.SqliteLedger;
import io.ragmail.core.smtp.SmtpMailSink;
import io.ragmail.testkit.TestMailServer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Embeds a ragmail pipeline in an application, with your own {@link Drafter} and a listener. It runs
 * against an embedded test mail server so that it works anywhere; in production, pass the
 * {@link MailAccount}s of your real IMAP and SMTP servers instead.
 */
public final class EmbedInYourApp {

    public static void main(String[] args) throws Exception {
        Path dataDir = Files.createTempDirectory("ragmail-example");
        try (TestMailServer server = new TestMailServer().start()) {
            server.createUser("support@example.com", "secret");
            MailAccount imap = server.imapAccount("support@example.com", "secret");
            MailAccount smtp = server.smtpAccount();

            Drafter polite = request -> new Draft(
                    "Thank you, we have received your message and will come back to you.",
                    "en", 0.9, List.of(), false, "", TokenUsage.NONE);
            PipelineListener log = new PipelineListener() {
                @Override
                public void onSent(ReplySentEvent event) {
                    System.out.println("answered " + event.key() + " in " + event.sinceReceived().toMillis() + " ms");
                }
            };

            try (SqliteLedger ledger = SqliteLedger.open(dataDir.resolve("ledger.db"));
                 ImapMailSource source = ImapMailSource.builder().account(imap).build();
                 SmtpMailSink sink = SmtpMailSink.builder().account(smtp).sentFolder(imap, "Sent").build();
                 ImapDraftsSink drafts = ImapDraftsSink.builder().account(imap).build();
                 Pipeline pipeline = Pipeline.builder()
                         .source(source).sink(sink).reviewSink(drafts).ledger(ledger)
                         .drafter(polite)
                         .from(EmailAddress.of("support@example.com"))
                         .pollWait(Duration.ofSeconds(1))
                         .listener(log)
                         .build()) {
                pipeline.start();
                server.deliver("ada@customers.example", "support@example.com", "Opening hours?",
                        "When are you open on Saturdays?", Map.of());
                while (server.received("ada@customers.example").isEmpty()) {
                    Thread.sleep(100);
                }
                System.out.println(server.received("ada@customers.example").get(0).text());
            }
        }
    }

    private EmbedInYourApp() {
    }
}
