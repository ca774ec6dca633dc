package io.ragmail.testkit.contract;

import io.ragmail.core.InboundMail;
import io.ragmail.core.MailOutcome;
import io.ragmail.core.MailSource;
import io.ragmail.core.ledger.ProcessingLedger;
import io.ragmail.core.ledger.SqliteLedger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * The compatibility kit for {@link MailSource} implementations: extend it, say how to create your
 * source and how to deliver a raw RFC 822 message into it, and these tests check the behaviour the
 * pipeline relies on.
 *
 * <pre>{@code
 * class MyMailSourceTest extends MailSourceContract {
 *     protected MailSource createSource() { return new MySource(server.url()); }
 *     protected void deliver(byte[] raw) throws Exception { server.deliver(raw); }
 * }
 * }</pre>
 *
 * <p>Each test uses fresh Message-IDs, so a mailbox shared between tests does no harm. Sources the
 * kit created are closed after each test.
 *
 * <p>The pipeline does not always acknowledge the very object a source yielded: after a restart it
 * acknowledges mail it finished before from the copy its ledger kept ({@link #roundTripped}), on a new
 * source instance that may not have yielded that mail yet. Whatever the source needs to find the mail
 * again must therefore be in {@link InboundMail#key()} or {@link InboundMail#sourceRef()}, never only
 * in the memory of the instance that yielded it.
 */
public abstract class MailSourceContract {

    private final List<MailSource> sources = new ArrayList<>();

    /** A new source instance reading the mailbox {@link #deliver(byte[])} delivers into. */
    protected abstract MailSource createSource() throws Exception;

    /** Delivers a raw RFC 822 message into the mailbox. */
    protected abstract void deliver(byte[] rawMessage) throws Exception;

    /** How long the kit keeps polling for a delivered mail before failing; default 20 s. */
    protected Duration deliveryTimeout() {
        return Duration.ofSeconds(20);
    }

    /** The {@code maxWait} of each poll; default 1 s. */
    protected Duration pollWait() {
        return Duration.ofSeconds(1);
    }

    /** Creates a source that is closed after the test. */
    protected final MailSource newSource() throws Exception {
        MailSource source = createSource();
        sources.add(source);
        return source;
    }

    @AfterEach
    protected void closeSources() {
        for (MailSource source : sources) {
            try {
                source.close();
            } catch (Exception e) {
                // the next test must still run
            }
        }
        sources.clear();
    }

    /** A small well-formed message with the given Message-ID and subject. */
    public static byte[] message(String messageId, String subject) {
        String raw = "From: Ada Lovelace <ada@customer.example>\r\n"
                + "To: support@shop.example\r\n"
                + "Subject: " + subject + "\r\n"
                + "Date: Mon, 3 Mar 2025 10:00:00 +0100\r\n"
                + "Message-ID: " + messageId + "\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n\r\n"
                + "Do you have the safety data sheet for acetone?\r\n";
        return raw.getBytes(StandardCharsets.UTF_8);
    }

    protected static String newMessageId() {
        return "<" + UUID.randomUUID() + "@contract.example>";
    }

    /**
     * Polls until a mail with the Message-ID was yielded, collecting everything yielded meanwhile
     * into {@code seen}; fails after {@link #deliveryTimeout()}.
     */
    protected final InboundMail pollUntil(MailSource source, String messageId, List<InboundMail> seen)
            throws InterruptedException {
        long deadline = System.nanoTime() + deliveryTimeout().toNanos();
        while (System.nanoTime() < deadline) {
            List<InboundMail> batch = source.poll(pollWait());
            seen.addAll(batch);
            for (InboundMail mail : batch) {
                if (mail.key().messageId().equals(messageId)) {
                    return mail;
                }
            }
        }
        throw new AssertionError("mail " + messageId + " was not yielded within " + deliveryTimeout()
                + "; yielded: " + seen.stream().map(m -> m.key().messageId()).toList());
    }

    /**
     * The mail as the pipeline acknowledges it after a restart: stored in a ledger ({@link SqliteLedger},
     * in {@code folder}) when it was yielded, read back by a ledger opened anew, with the key the source
     * yielded (the ledger may have qualified it with the sender, which the pipeline strips again).
     */
    protected static InboundMail roundTripped(InboundMail yielded, Path folder) {
        Path file = folder.resolve("round-trip-ledger.db");
        try (ProcessingLedger ledger = SqliteLedger.open(file)) {
            ledger.admit(yielded, Instant.now());
        }
        InboundMail stored;
        try (ProcessingLedger ledger = SqliteLedger.open(file)) {
            stored = ledger.find(yielded.key()).orElseThrow().mail();
        }
        return stored.key().equals(stored.key().withoutSender()) ? stored
                : stored.toBuilder().key(stored.key().withoutSender()).build();
    }

    @Test
    void delivered_mail_is_yielded_with_subject_from_and_message_id() throws Exception {
        MailSource source = newSource();
        String id = newMessageId();
        deliver(message(id, "Acetone SDS"));

        InboundMail mail = pollUntil(source, id, new ArrayList<>());

        assertThat(mail.key().messageId()).isEqualTo(id);
        assertThat(mail.subject()).isEqualTo("Acetone SDS");
        assertThat(mail.from().address()).isEqualTo("ada@customer.example");
        assertThat(mail.text()).contains("safety data sheet for acetone");
        assertThat(mail.unreadable()).isEmpty();
    }

    @Test
    void poll_returns_an_empty_list_within_max_wait_when_nothing_arrives() throws Exception {
        MailSource source = newSource();
        String marker = newMessageId();
        deliver(message(marker, "drain marker"));
        pollUntil(source, marker, new ArrayList<>()); // everything older is drained with it

        List<InboundMail> result = assertTimeoutPreemptively(pollWait().plus(Duration.ofSeconds(5)),
                () -> source.poll(pollWait()));

        assertThat(result).isEmpty();
    }

    @Test
    void acknowledged_mail_is_not_yielded_again_by_a_new_source_instance() throws Exception {
        String acknowledged = newMessageId();
        String unacknowledged = newMessageId();
        MailSource first = newSource();
        deliver(message(acknowledged, "done"));
        InboundMail mail = pollUntil(first, acknowledged, new ArrayList<>());
        first.acknowledge(mail, MailOutcome.ANSWERED);
        deliver(message(unacknowledged, "still open"));
        pollUntil(first, unacknowledged, new ArrayList<>());
        first.close();

        List<InboundMail> seen = new ArrayList<>();
        pollUntil(newSource(), unacknowledged, seen);

        assertThat(seen).extracting(m -> m.key().messageId()).doesNotContain(acknowledged);
    }

    @Test
    void unacknowledged_mail_is_yielded_again_by_a_new_source_instance() throws Exception {
        String id = newMessageId();
        MailSource first = newSource();
        deliver(message(id, "not acknowledged"));
        pollUntil(first, id, new ArrayList<>());
        first.close();

        InboundMail again = pollUntil(newSource(), id, new ArrayList<>());

        assertThat(again.subject()).isEqualTo("not acknowledged");
    }

    @Test
    void acknowledging_twice_is_harmless() throws Exception {
        String id = newMessageId();
        String later = newMessageId();
        MailSource source = newSource();
        deliver(message(id, "twice"));
        InboundMail mail = pollUntil(source, id, new ArrayList<>());

        assertThatCode(() -> {
            source.acknowledge(mail, MailOutcome.ANSWERED);
            source.acknowledge(mail, MailOutcome.ANSWERED);
        }).doesNotThrowAnyException();

        deliver(message(later, "after"));
        List<InboundMail> seen = new ArrayList<>();
        pollUntil(newSource(), later, seen);
        assertThat(seen).extracting(m -> m.key().messageId()).doesNotContain(id);
    }

    /**
     * {@link MailOutcome#NEEDS_PERSON} leaves the mail visible, yet remembered as handled: a new
     * source instance does not yield it again. (How it stays visible is the source's business; an
     * IMAP source checks that it stays unread in its own tests.)
     */
    @Test
    void mail_that_needs_a_person_is_not_yielded_again_by_a_new_source_instance() throws Exception {
        String needsPerson = newMessageId();
        String later = newMessageId();
        MailSource first = newSource();
        deliver(message(needsPerson, "a person must read this"));
        first.acknowledge(pollUntil(first, needsPerson, new ArrayList<>()), MailOutcome.NEEDS_PERSON);
        first.close();

        deliver(message(later, "after"));
        List<InboundMail> seen = new ArrayList<>();
        pollUntil(newSource(), later, seen);

        assertThat(seen).extracting(m -> m.key().messageId()).doesNotContain(needsPerson);
    }

    /**
     * A restart between answering a mail and acknowledging it: the new process acknowledges the copy
     * its ledger kept, before its source yielded anything, and the mail is not yielded again.
     */
    @Test
    void a_ledger_copy_acknowledged_by_a_new_source_instance_is_not_yielded_again(@TempDir Path ledgerFolder)
            throws Exception {
        String answered = newMessageId();
        String later = newMessageId();
        MailSource before = newSource();
        deliver(message(answered, "answered just before a restart"));
        InboundMail yielded = pollUntil(before, answered, new ArrayList<>());
        InboundMail copy = roundTripped(yielded, ledgerFolder);
        before.close(); // the process stops before it acknowledged

        MailSource after = newSource();
        after.acknowledge(copy, MailOutcome.ANSWERED);
        after.close();

        deliver(message(later, "after"));
        List<InboundMail> seen = new ArrayList<>();
        pollUntil(newSource(), later, seen);
        assertThat(seen).extracting(m -> m.key().messageId()).doesNotContain(answered);
    }

    /**
     * The pipeline's sweep acknowledges again, from the ledger's copy, a mail whose acknowledgement
     * failed: on the instance that yielded it, which must accept the copy as the same mail.
     */
    @Test
    void a_ledger_copy_of_mail_that_needs_a_person_is_acknowledged_like_the_mail_itself(@TempDir Path ledgerFolder)
            throws Exception {
        String needsPerson = newMessageId();
        String later = newMessageId();
        MailSource source = newSource();
        deliver(message(needsPerson, "a person must read this"));
        InboundMail copy = roundTripped(pollUntil(source, needsPerson, new ArrayList<>()), ledgerFolder);

        source.acknowledge(copy, MailOutcome.NEEDS_PERSON);
        source.close();

        deliver(message(later, "after"));
        List<InboundMail> seen = new ArrayList<>();
        pollUntil(newSource(), later, seen);
        assertThat(seen).extracting(m -> m.key().messageId()).doesNotContain(needsPerson);
    }
}
