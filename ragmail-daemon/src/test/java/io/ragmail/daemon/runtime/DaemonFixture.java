package io.ragmail.daemon.runtime;

import io.ragmail.core.ledger.LedgerEntry;
import io.ragmail.core.ledger.MailState;
import io.ragmail.config.RagmailConfig;
import io.ragmail.testkit.TestMailServer;
import io.ragmail.testkit.mistral.FakeMistralServer;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BooleanSupplier;

/** A GreenMail server with a support mailbox and an operator mailbox, a fake Mistral, and the daemon configuration for them. */
final class DaemonFixture implements AutoCloseable {

    static final String SUPPORT = "support@shop.example";
    static final String PASSWORD = "imap-Pa55word-xyz";
    static final String OPERATOR = "ops@shop.example";
    static final String API_KEY = "sk-test-KEY-1234567890";
    static final String DRAFT_JSON = "{\"reply\":\"Hello, thank you for your question: acetone is in stock.\",\"language\":\"en\","
            + "\"confidence\":0.9,\"used_sources\":[],\"needs_human\":false,\"reason\":\"\"}";

    final TestMailServer mail = new TestMailServer().start();
    final FakeMistralServer mistral = FakeMistralServer.builder().apiKey(API_KEY).replyWith(DRAFT_JSON).build();
    final Map<String, String> settings = new HashMap<>();

    DaemonFixture(Path dataDir) {
        mail.createUser(SUPPORT, PASSWORD);
        mail.createUser(OPERATOR, "ops-password");
        settings.put("ragmail.imap.host", "127.0.0.1");
        settings.put("ragmail.imap.port", Integer.toString(mail.imapPort()));
        settings.put("ragmail.imap.security", "none");
        settings.put("ragmail.imap.user", SUPPORT);
        settings.put("ragmail.imap.password", PASSWORD);
        settings.put("ragmail.imap.poll-interval", "1s");
        settings.put("ragmail.smtp.host", "127.0.0.1");
        settings.put("ragmail.smtp.port", Integer.toString(mail.smtpPort()));
        settings.put("ragmail.smtp.security", "none");
        settings.put("ragmail.smtp.user", "none");
        settings.put("ragmail.from", SUPPORT);
        settings.put("ragmail.mode", "send");
        settings.put("ragmail.mistral.api-key", API_KEY);
        settings.put("ragmail.mistral.base-url", mistral.baseUrl());
        settings.put("ragmail.mistral.requests-per-second", "100");
        settings.put("ragmail.data.dir", dataDir.toString());
        settings.put("ragmail.health.port", "0");
        settings.put("ragmail.summary.time", "off");
        settings.put("ragmail.backup.time", "off");
        settings.put("ragmail.alert.to", OPERATOR);
        settings.put("ragmail.shutdown-timeout", "20s");
    }

    RagmailConfig config() {
        Map<String, String> copy = Map.copyOf(settings);
        return copy::get;
    }

    Daemon daemon() {
        return Daemon.builder().config(config()).build();
    }

    String deliver(String subject) {
        return mail.deliver("Ada <ada@customers.example>", SUPPORT, subject, "Do you have acetone in stock?", Map.of());
    }

    /** Appends a mail whose IMAP arrival date (INTERNALDATE) lies in the past, as old mail in a real inbox has. */
    void appendOld(String subject, Duration age) throws Exception {
        Properties p = new Properties();
        Session session = Session.getInstance(p);
        Store store = session.getStore("imap");
        store.connect("127.0.0.1", mail.imapPort(), SUPPORT, PASSWORD);
        try {
            Folder inbox = store.getFolder("INBOX");
            MimeMessage m = new MimeMessage(session);
            m.setFrom(new InternetAddress("old@customers.example"));
            m.setRecipients(Message.RecipientType.TO, SUPPORT);
            m.setSubject(subject);
            m.setText("An old question.");
            Date when = Date.from(Instant.now().minus(age));
            m.setSentDate(when);
            m.saveChanges();
            inbox.appendMessages(new Message[] {m});
        } finally {
            store.close();
        }
    }

    static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    static List<LedgerEntry> all(Daemon d) {
        List<LedgerEntry> all = new ArrayList<>();
        for (MailState s : MailState.values()) {
            all.addAll(d.ledger().inState(s, 1000));
        }
        return all;
    }

    static boolean flagged(jakarta.mail.Flags flags) {
        return flags.contains(Flags.Flag.SEEN) || flags.getUserFlags().length > 0;
    }

    @Override
    public void close() {
        mistral.close();
        mail.close();
    }
}
