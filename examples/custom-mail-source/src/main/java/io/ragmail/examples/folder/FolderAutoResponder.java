package io.ragmail.examples.folder;

import io.ragmail.core.EmailAddress;
import io.ragmail.core.Pipeline;
import io.ragmail.core.ledger.MailState;
import io.ragmail.core.ledger.SqliteLedger;
import io.ragmail.core.template.TemplateDrafter;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Answers the {@code .eml} files in {@code <dir>/inbox} with ragmail-core alone: replies go to
 * {@code <dir>/outbox}, the ledger to {@code <dir>/ledger.db}. No mail server, no model, no ONNX.
 *
 * <pre>
 * java -cp … io.ragmail.examples.folder.FolderAutoResponder /var/spool/support
 * </pre>
 */
public final class FolderAutoResponder {

    private FolderAutoResponder() {
    }

    public static void main(String[] args) throws InterruptedException {
        Path dir = Path.of(args.length > 0 ? args[0] : "mail");
        Map<MailState, Long> states = answerAll(dir, Duration.ofSeconds(30));
        System.out.println("done: " + states);
    }

    /** Runs the pipeline until every mail in the inbox is handled or {@code timeout} passes. */
    public static Map<MailState, Long> answerAll(Path dir, Duration timeout) throws InterruptedException {
        try (SqliteLedger ledger = SqliteLedger.open(dir.resolve("ledger.db"));
             EmlFolderMailSource source = new EmlFolderMailSource(dir);
             EmlFolderMailSink outbox = new EmlFolderMailSink(dir.resolve("outbox"));
             EmlFolderMailSink review = new EmlFolderMailSink(dir.resolve("review"));
             Pipeline pipeline = Pipeline.builder()
                     .source(source).sink(outbox).reviewSink(review).ledger(ledger)
                     .withoutKnowledge()
                     .drafter(TemplateDrafter.builder().autoSend(true).signature("The Example Shop team").build())
                     .from(EmailAddress.of("support@shop.example"))
                     .pollWait(Duration.ofMillis(200))
                     .build()) {
            pipeline.start();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline && !source.isEmpty()) {
                Thread.sleep(100);
            }
            return ledger.countByState();
        }
    }
}
