package io.ragmail.daemon;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's first command, as a newcomer runs it: {@code ragmail demo}, here with {@code --once}. */
class DemoCommandTest {

    @TempDir
    Path dir;

    @Test
    void the_demo_answers_the_sample_inbox_and_shows_each_decision_with_its_reason() {
        StringWriter text = new StringWriter();
        CommandLine cli = new CommandLine(new RagmailCli());
        cli.setOut(new PrintWriter(text, true));

        int exit = cli.execute("demo", "--once", "--port", "0", "--data-dir", dir.toString());

        String out = text.toString();
        assertThat(exit).as(out).isZero();
        assertThat(out).contains("13 sample mails are waiting").contains("offline template drafter");
        List<String> rows = out.lines().filter(l -> l.matches("^\\d+\\s+\\S+@.*|^\\d+\\s+broken.*")).toList();
        assertThat(rows).as(out).hasSize(13);

        // the known customer's order question: sent, with her order's status from the ERP records
        assertThat(row(rows, "Where is my order S00042")).contains(" sent ").contains("file:product-ace-500.md");
        assertThat(out).contains("--- Sent to ada@analytical.example ---").contains("tracking: DGR-7731-0042");
        // a CAS-number question is answered from the safety data sheet
        assertThat(row(rows, "SDS for CAS 67-64-1")).contains(" sent ").contains("file:sds-acetone.md");
        // the review gate: a complaint and a prompt-injection attempt wait for a person
        assertThat(row(rows, "Damaged delivery")).contains(" review ").contains("complaint");
        assertThat(row(rows, "Urgent: account question")).doesNotContain(" sent ");
        // non-English mail over the English knowledge base: weak evidence, so a person checks the reply
        assertThat(row(rows, "Frage zu Natronlauge")).contains(" review ").contains("weak evidence");
        assertThat(row(rows, "Devolución de un pedido")).contains(" review ").contains("weak evidence");
        // never answered: auto-replies, newsletters, bounces, and a mail without a valid sender
        assertThat(row(rows, "Automatic reply")).contains(" skipped ").contains("auto-submitted");
        assertThat(row(rows, "This week in chemistry")).contains(" skipped ");
        assertThat(row(rows, "Undelivered Mail")).contains(" skipped ");
        assertThat(row(rows, "broken@@@")).contains(" skipped ");
        // nothing failed or is left half done
        assertThat(rows).noneMatch(r -> r.contains(" failed "));
        // the customer's records never reach another sender's reply
        assertThat(out.split("--- ")).filteredOn(part -> !part.startsWith("Sent to ada@"))
                .noneMatch(part -> part.contains("DGR-7731-0042"));
    }

    private static String row(List<String> rows, String marker) {
        return rows.stream().filter(r -> r.contains(marker)).findFirst()
                .orElseThrow(() -> new AssertionError("no row for " + marker + " in " + rows));
    }
}
