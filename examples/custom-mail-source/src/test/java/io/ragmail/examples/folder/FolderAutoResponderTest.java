package io.ragmail.examples.folder;

import io.ragmail.core.ledger.MailState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class FolderAutoResponderTest {

    @TempDir
    Path dir;

    @Test
    void answers_the_question_ignores_the_auto_reply_and_answers_nothing_twice_after_a_restart() throws Exception {
        Path inbox = Files.createDirectories(dir.resolve("inbox"));
        Files.writeString(inbox.resolve("1-question.eml"), """
                From: Ada Lovelace <ada@customers.example>
                To: support@shop.example
                Subject: Opening hours?
                Message-ID: <q1@customers.example>
                Date: Fri, 04 Dec 2026 10:00:00 +0000

                Hello, when are you open on Saturdays?
                """.replace("\n", "\r\n"));
        Files.writeString(inbox.resolve("2-out-of-office.eml"), """
                From: bob@customers.example
                To: support@shop.example
                Subject: Out of office
                Auto-Submitted: auto-replied
                Message-ID: <ooo1@customers.example>
                Date: Fri, 04 Dec 2026 10:01:00 +0000

                I am away until Monday.
                """.replace("\n", "\r\n"));

        Map<MailState, Long> states = FolderAutoResponder.answerAll(dir, Duration.ofSeconds(60));

        assertThat(states).containsEntry(MailState.SENT, 1L).containsEntry(MailState.SKIPPED, 1L);
        List<Path> replies = emlFiles(dir.resolve("outbox"));
        assertThat(replies).hasSize(1);
        String reply = Files.readString(replies.get(0));
        assertThat(reply).contains("To: ada@customers.example").contains("In-Reply-To: <q1@customers.example>")
                .contains("Subject: Re: Opening hours?");
        assertThat(emlFiles(dir.resolve("done"))).hasSize(2);

        // The same mail dropped again (a gateway that re-delivers) is recognised by the ledger.
        Files.copy(dir.resolve("done").resolve("1-question.eml"), inbox.resolve("1-question.eml"));
        FolderAutoResponder.answerAll(dir, Duration.ofSeconds(60));
        assertThat(emlFiles(dir.resolve("outbox"))).hasSize(1);
    }

    private static List<Path> emlFiles(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(f -> f.toString().endsWith(".eml")).toList();
        }
    }
}
