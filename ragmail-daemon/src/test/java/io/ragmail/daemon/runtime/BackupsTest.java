package io.ragmail.daemon.runtime;

import io.ragmail.core.EmailAddress;
import io.ragmail.core.InboundMail;
import io.ragmail.core.KnowledgeDocument;
import io.ragmail.core.KnowledgeQuery;
import io.ragmail.core.MailKey;
import io.ragmail.core.knowledge.LuceneKnowledgeStore;
import io.ragmail.core.ledger.MailState;
import io.ragmail.core.ledger.SqliteLedger;
import io.ragmail.testkit.odoo.SettableClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class BackupsTest {

    @TempDir
    Path dataDir;

    private final SettableClock clock = new SettableClock(Instant.parse("2026-03-01T03:00:00Z"));

    private static InboundMail mail(String id) {
        return InboundMail.builder().key(new MailKey("support/INBOX", id)).from(EmailAddress.of("ada@customers.example"))
                .subject("Question " + id).text("Acetone?").build();
    }

    @Test
    void only_the_newest_n_backups_are_kept() throws Exception {
        Backups backups = new Backups(dataDir, 2, clock);
        try (SqliteLedger ledger = SqliteLedger.open(dataDir.resolve(Backups.LEDGER_FILE))) {
            ledger.admit(mail("<1@x>"), clock.instant());
            Path first = backups.run();
            clock.advance(Duration.ofDays(1));
            Path second = backups.run();
            clock.advance(Duration.ofDays(1));
            Path third = backups.run();

            assertThat(backups.list()).containsExactly(third, second);
            assertThat(first).doesNotExist();
            assertThat(third.resolve(Backups.LEDGER_FILE)).isRegularFile();
        }
    }

    @Test
    void a_restored_backup_brings_back_the_ledger_rows_and_the_indexed_documents_of_its_time() throws Exception {
        Path backup;
        try (SqliteLedger ledger = SqliteLedger.open(dataDir.resolve(Backups.LEDGER_FILE));
             LuceneKnowledgeStore store = LuceneKnowledgeStore.builder().directory(dataDir.resolve(Backups.INDEX_FOLDER)).build()) {
            ledger.admit(mail("<1@x>"), clock.instant());
            store.upsert(List.of(new KnowledgeDocument("file:ace.md", "ACE-500 acetone",
                    "ACE-500 is technical grade acetone, CAS 67-64-1.", java.util.Map.of())));
            backup = new Backups(dataDir, 7, clock).run();
            ledger.admit(mail("<2@x>"), clock.instant());
            store.delete(List.of("file:ace.md"));
        }
        // the disk is lost: the ledger file is gone
        Files.delete(dataDir.resolve(Backups.LEDGER_FILE));

        Backups.restore(backup, dataDir);

        try (SqliteLedger ledger = SqliteLedger.open(dataDir.resolve(Backups.LEDGER_FILE));
             LuceneKnowledgeStore store = LuceneKnowledgeStore.builder().directory(dataDir.resolve(Backups.INDEX_FOLDER)).build()) {
            assertThat(ledger.find(new MailKey("support/INBOX", "<1@x>"))).isPresent();
            assertThat(ledger.find(new MailKey("support/INBOX", "<2@x>"))).isEmpty();
            assertThat(store.search(KnowledgeQuery.of("ACE-500 acetone"))).extracting(p -> p.sourceId()).contains("file:ace.md");
        }
    }
}
