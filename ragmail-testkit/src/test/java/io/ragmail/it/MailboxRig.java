package io.ragmail.it;

import io.ragmail.core.Drafter;
import io.ragmail.core.EmailAddress;
import io.ragmail.core.MailAccount;
import io.ragmail.core.Pipeline;
import io.ragmail.core.RetryPolicy;
import io.ragmail.core.imap.ImapDraftsSink;
import io.ragmail.core.imap.ImapMailSource;
import io.ragmail.core.ledger.LedgerEntry;
import io.ragmail.core.ledger.MailState;
import io.ragmail.core.ledger.ProcessingLedger;
import io.ragmail.core.ledger.SqliteLedger;
import io.ragmail.core.smtp.SmtpMailSink;
import io.ragmail.testkit.TestMailServer;
import io.ragmail.testkit.TestMessage;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.Map;

/**
 * A support mailbox on a real in-process mail server (GreenMail) with everything a pipeline needs
 * around it: the IMAP source, the SMTP sink that keeps a copy in Sent, the Drafts review sink, and a
 * SQLite ledger in a test folder. Each piece is created fresh on request, as a restarted process would.
 */
final class MailboxRig implements AutoCloseable {

    static final String SUPPORT = "support@shop.example";
    static final String PASSWORD = "support-secret";
    static final Duration QUICK = Duration.ofMillis(300);

    final TestMailServer server;
    final Path dataDir;

    MailboxRig(Path dataDir) {
        this.dataDir = dataDir;
        this.server = new TestMailServer().start();
        server.createUser(SUPPORT, PASSWORD);
    }

    MailAccount imap() {
        return server.imapAccount(SUPPORT, PASSWORD);
    }

    ImapMailSource newSource() {
        return ImapMailSource.builder().account(imap()).build();
    }

    SmtpMailSink newSink() {
        return SmtpMailSink.builder().account(server.smtpAccount()).sentFolder(imap(), "Sent").build();
    }

    ImapDraftsSink newDraftsSink() {
        return ImapDraftsSink.builder().account(imap()).build();
    }

    SqliteLedger openLedger() {
        return SqliteLedger.open(dataDir.resolve("ledger.db"));
    }

    /** A pipeline over this mailbox with quick polling and retries, for tests. */
    Pipeline.Builder pipeline(ProcessingLedger ledger, ImapMailSource source, Drafter drafter) {
        return Pipeline.builder()
                .source(source)
                .withoutKnowledge() // tests that need one call .knowledge(store)
                .drafter(drafter)
                .sink(newSink())
                .reviewSink(newDraftsSink())
                .ledger(ledger)
                .from(EmailAddress.of(SUPPORT))
                .pollWait(QUICK)
                .shutdownTimeout(Duration.ofSeconds(5))
                .retryPolicy(RetryPolicy.builder().initialDelay(Duration.ofMillis(200)).maxDelay(Duration.ofSeconds(2)).build());
    }

    static String customer(int i) {
        return String.format("customer-%03d@customers.example", i);
    }

    /** Delivers a plain question from customer {@code i} to the support inbox; returns its Message-ID. */
    String deliverQuestion(int i) {
        return server.deliver(customer(i), SUPPORT, "Question " + i + " about acetone",
                "Hello,\n\nis product ACE-" + i + " in stock?\n\nThanks", Map.of());
    }

    List<TestMessage> repliesTo(String address) {
        return server.received(address);
    }

    List<TestMessage> folder(String name) {
        return server.messages(SUPPORT, name);
    }

    long count(ProcessingLedger ledger, MailState state) {
        return ledger.countByState().getOrDefault(state, 0L);
    }

    long total(ProcessingLedger ledger) {
        return ledger.countByState().values().stream().mapToLong(Long::longValue).sum();
    }

    /** Whether every mail the ledger knows is done (SENT, REVIEW, SKIPPED or DEAD). */
    static boolean allTerminal(ProcessingLedger ledger) {
        for (MailState state : MailState.values()) {
            if (!state.isTerminal() && !ledger.inState(state, 1).isEmpty()) {
                return false;
            }
        }
        return true;
    }

    static List<LedgerEntry> entries(ProcessingLedger ledger, MailState state) {
        return ledger.inState(state, Integer.MAX_VALUE);
    }

    /**
     * Clears \Seen and ragmail's {@code $RagmailDone} keyword on every inbox message, as if the
     * mailbox had been restored from a backup that lost those marks: the source yields every mail
     * again, and only the ledger stands between them and a second answer. (Clearing \Seen alone no
     * longer makes the source yield handled mail again: it goes by the keyword.)
     */
    void markInboxUnread() throws MessagingException {
        MailAccount account = imap();
        Store store = Session.getInstance(new Properties()).getStore("imap"); // GreenMail: plain IMAP
        store.connect(account.host(), account.port(), account.user(), account.password());
        try {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_WRITE);
            Flags marks = new Flags(Flags.Flag.SEEN);
            marks.add(io.ragmail.core.imap.Acknowledgement.DEFAULT_KEYWORD);
            inbox.setFlags(1, inbox.getMessageCount(), marks, false);
            inbox.close(false);
        } finally {
            store.close();
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
