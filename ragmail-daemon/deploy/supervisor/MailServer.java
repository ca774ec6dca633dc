// A throw-away mail server for test-supervisor.sh, run from the daemon jar (which bundles GreenMail for
// `demo`):  java -cp ragmail.jar MailServer.java DIR
// Writes DIR/ports ("imap smtp"), then delivers DIR/deliver/*.txt (first line subject, rest body) as
// customer mail, and keeps DIR/replies up to date (replies sent + drafts filed). Stops when DIR/stop appears.
import io.ragmail.testkit.TestMailServer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

public class MailServer {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Files.createDirectories(dir.resolve("deliver"));
        try (TestMailServer mail = new TestMailServer().start()) {
            mail.createUser("support@shop.example", "support-Pa55");
            mail.createUser("ops@shop.example", "ops-Pa55");
            Files.writeString(dir.resolve("ports.tmp"), mail.imapPort() + " " + mail.smtpPort() + "\n");
            Files.move(dir.resolve("ports.tmp"), dir.resolve("ports"));
            while (!Files.exists(dir.resolve("stop"))) {
                try (var files = Files.list(dir.resolve("deliver"))) {
                    for (Path f : files.filter(p -> p.toString().endsWith(".txt")).sorted().toList()) {
                        List<String> lines = Files.readAllLines(f);
                        mail.deliver("Ada <ada@customers.example>", "support@shop.example", lines.get(0),
                                String.join("\n", lines.subList(1, lines.size())), Map.of());
                        Files.delete(f);
                    }
                }
                int replies = mail.received("ada@customers.example").size() + mail.messages("support@shop.example", "Drafts").size();
                Files.writeString(dir.resolve("replies.tmp"), replies + " " + mail.received("ops@shop.example").size() + "\n");
                Files.move(dir.resolve("replies.tmp"), dir.resolve("replies"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                Thread.sleep(300);
            }
        }
    }
}
