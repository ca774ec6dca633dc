package io.ragmail.core.imap;

import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.ragmail.core.MailOutcome;
import io.ragmail.core.AuthenticationException;
import io.ragmail.core.InboundMail;
import io.ragmail.core.MailAccount;
import io.ragmail.core.MailSecurity;
import io.ragmail.core.MailSource;
import io.ragmail.core.RetriableException;
import io.ragmail.testkit.contract.MailSourceContract;
import io.ragmail.testkit.mail.HostileMails;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class ImapMailSourceTest extends MailSourceContract {

    private static final String USER = "support";
    private static final String PASSWORD = "s3cr3t-pa55";

    private GreenMail greenMail;
    private GreenMailUser user;
    private int port;

    @BeforeEach
    void startServer() throws IOException {
        port = freePort();
        greenMail = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_IMAP));
        greenMail.start();
        user = greenMail.setUser("support@shop.example", USER, PASSWORD);
    }

    @AfterEach
    void stopServer() {
        greenMail.stop();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private MailAccount account(String password) {
        return new MailAccount("127.0.0.1", port, MailSecurity.NONE, USER, password);
    }

    private ImapMailSource.Builder builder() {
        return ImapMailSource.builder()
                .account(account(PASSWORD))
                .connectTimeout(Duration.ofSeconds(5))
                .readTimeout(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(200));
    }

    @Override
    protected MailSource createSource() {
        return builder().build();
    }

    @Override
    protected void deliver(byte[] rawMessage) throws Exception {
        // APPEND over IMAP, as another client would: the raw bytes reach the server unchanged
        Session session = Session.getInstance(new Properties());
        Store store = session.getStore("imap");
        store.connect("127.0.0.1", port, USER, PASSWORD);
        try {
            Folder inbox = store.getFolder("INBOX");
            inbox.appendMessages(new Message[] {new MimeMessage(session, new ByteArrayInputStream(rawMessage))});
        } finally {
            store.close();
        }
    }

    private ImapMailSource newImapSource(ImapMailSource.Builder builder) {
        ImapMailSource source = builder.build();
        return track(source);
    }

    private final List<ImapMailSource> own = new ArrayList<>();

    private ImapMailSource track(ImapMailSource source) {
        own.add(source);
        return source;
    }

    @AfterEach
    void closeOwn() {
        own.forEach(ImapMailSource::close);
    }

    /** Flags of the message with the Message-ID in the folder, seen through a separate client. */
    private Flags flagsOf(String folderName, String messageId) throws Exception {
        Session session = Session.getInstance(new Properties());
        Store store = session.getStore("imap");
        store.connect("127.0.0.1", port, USER, PASSWORD);
        try {
            Folder folder = store.getFolder(folderName);
            if (!folder.exists()) {
                return null;
            }
            folder.open(Folder.READ_ONLY);
            try {
                for (Message m : folder.getMessages()) {
                    String[] ids = m.getHeader("Message-ID");
                    if (ids != null && ids[0].equals(messageId)) {
                        return m.getFlags();
                    }
                }
                return null;
            } finally {
                folder.close(false);
            }
        } finally {
            store.close();
        }
    }

    @Test
    void reading_does_not_mark_mail_seen_but_the_seen_acknowledgement_does() throws Exception {
        ImapMailSource source = newImapSource(builder().acknowledgement(Acknowledgement.seen()));
        String id = newMessageId();
        deliver(message(id, "seen mode"));
        InboundMail mail = pollUntil(source, id, new ArrayList<>());
        assertThat(mail.sourceRef()).matches("\\d+:\\d+");
        assertThat(source.name()).isEqualTo("imap");

        assertThat(flagsOf("INBOX", id).contains(Flags.Flag.SEEN)).isFalse();
        source.acknowledge(mail, MailOutcome.ANSWERED);
        assertThat(flagsOf("INBOX", id).contains(Flags.Flag.SEEN)).isTrue();
    }

    @Test
    void keyword_acknowledgement_sets_the_keyword_and_leaves_seen_alone() throws Exception {
        ImapMailSource source = newImapSource(builder().acknowledgement(Acknowledgement.keyword()));
        String id = newMessageId();
        deliver(message(id, "keyword mode"));
        InboundMail mail = pollUntil(source, id, new ArrayList<>());

        source.acknowledge(mail, MailOutcome.ANSWERED);

        Flags flags = flagsOf("INBOX", id);
        if (source.effectiveAcknowledgement() instanceof Acknowledgement.Keyword) {
            assertThat(flags.contains("$RagmailDone")).isTrue();
            assertThat(flags.contains(Flags.Flag.SEEN)).isFalse();
        } else {
            // the server's PERMANENTFLAGS lack \*: the documented fall-back to \Seen
            assertThat(flags.contains(Flags.Flag.SEEN)).isTrue();
        }
        List<InboundMail> seen = new ArrayList<>();
        String later = newMessageId();
        deliver(message(later, "later"));
        pollUntil(newImapSource(builder().acknowledgement(Acknowledgement.keyword())), later, seen);
        assertThat(seen).extracting(m -> m.key().messageId()).doesNotContain(id);
    }

    @Test
    void move_acknowledgement_creates_the_folder_and_moves_the_mail() throws Exception {
        ImapMailSource source = newImapSource(builder().acknowledgement(Acknowledgement.moveTo("Processed")));
        String id = newMessageId();
        deliver(message(id, "move mode"));
        InboundMail mail = pollUntil(source, id, new ArrayList<>());

        source.acknowledge(mail, MailOutcome.ANSWERED);
        source.acknowledge(mail, MailOutcome.ANSWERED);

        assertThat(flagsOf("INBOX", id)).isNull();
        assertThat(flagsOf("Processed", id)).isNotNull();
    }

    @Test
    void acknowledgement_falls_back_to_message_id_when_uidvalidity_changed() throws Exception {
        ImapMailSource source = newImapSource(builder());
        String id = newMessageId();
        deliver(message(id, "by message id"));
        InboundMail mail = pollUntil(source, id, new ArrayList<>());

        source.acknowledge(mail.toBuilder().sourceRef("1:999999").build(), MailOutcome.ANSWERED);

        assertThat(flagsOf("INBOX", id).contains(Flags.Flag.SEEN)).isTrue();
    }

    @Test
    void mail_read_together_in_one_batch_keeps_each_text_and_attachment_and_the_size_limit() throws Exception {
        ImapMailSource source = newImapSource(builder().maxMessageBytes(4096));
        String plain = newMessageId();
        String mixed = newMessageId();
        String large = newMessageId();
        String last = newMessageId();
        deliver(rawMail(plain, "text/plain; charset=utf-8", "Content-Transfer-Encoding: quoted-printable\r\n",
                "Gr=C3=BC=C3=9Fe aus K=C3=B6ln, bitte das Datenblatt f=C3=BCr Aceton.\r\n"));
        deliver(rawMail(mixed, "multipart/mixed; boundary=\"b1\"", "",
                "--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nOrder 4711 please.\r\n"
                        + "--b1\r\nContent-Type: application/pdf; name=\"order.pdf\"\r\n"
                        + "Content-Disposition: attachment; filename=\"order.pdf\"\r\n"
                        + "Content-Transfer-Encoding: base64\r\n\r\nJVBERi0xLjQK\r\n--b1--\r\n"));
        deliver(rawMail(large, "text/plain; charset=utf-8", "", "x".repeat(10_000) + "\r\n"));
        deliver(rawMail(last, "text/plain; charset=utf-8", "", "Thanks!\r\n"));

        List<InboundMail> seen = new ArrayList<>();
        pollUntil(source, last, seen);
        await().atMost(deliveryTimeout()).until(() -> {
            seen.addAll(source.poll(Duration.ZERO)); // parsed in parallel: not necessarily in order
            return seen.size() >= 4;
        });
        seen.sort(java.util.Comparator.comparingLong(m -> Long.parseLong(m.sourceRef().substring(m.sourceRef().indexOf(':') + 1))));

        assertThat(seen).extracting(m -> m.key().messageId()).containsExactly(plain, mixed, large, last);
        assertThat(seen.get(0).text()).contains("Grüße aus Köln, bitte das Datenblatt für Aceton.");
        assertThat(seen.get(1).text()).contains("Order 4711 please.");
        assertThat(seen.get(1).attachments()).extracting(a -> a.fileName()).containsExactly("order.pdf");
        assertThat(seen.get(2).unreadableReason()).contains("exceeds the limit of 4096");
        assertThat(seen.get(2).text()).isEmpty();
        assertThat(seen.get(3).text()).contains("Thanks!");
        assertThat(seen.get(3).unreadableReason()).isEmpty();
    }

    private static byte[] rawMail(String messageId, String contentType, String extraHeaders, String body) {
        return ("From: Ada Lovelace <ada@customer.example>\r\n"
                + "To: support@shop.example\r\n"
                + "Subject: batch " + messageId + "\r\n"
                + "Date: Mon, 3 Mar 2025 10:00:00 +0100\r\n"
                + "Message-ID: " + messageId + "\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: " + contentType + "\r\n"
                + extraHeaders + "\r\n" + body).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void oversize_mail_is_yielded_from_its_headers_with_a_reason() throws Exception {
        ImapMailSource source = newImapSource(builder());
        deliver(HostileMails.huge(30));

        InboundMail mail = pollUntil(source, "<huge-30@customer.example>", new ArrayList<>());

        assertThat(mail.unreadableReason())
                .matches("message of \\d+ bytes exceeds the limit of " + ImapMailSource.DEFAULT_MAX_MESSAGE_BYTES + " bytes");
        assertThat(mail.sizeBytes()).isGreaterThan(ImapMailSource.DEFAULT_MAX_MESSAGE_BYTES);
        assertThat(mail.subject()).isEqualTo("A very large message of 30 MiB");
        assertThat(mail.from().address()).isEqualTo("bad-huge@customer.example");
        assertThat(mail.text()).isEmpty();
        assertThat(mail.attachments()).isEmpty();
    }

    @Test
    void every_hostile_mail_is_yielded() throws Exception {
        ImapMailSource source = newImapSource(builder());
        // GreenMail 2.1.8 itself crashes on APPEND of a garbage Content-Type (NPE in its parser), so
        // that one message of the corpus is covered by MimeMailParserTest only
        List<HostileMails.HostileMail> storable = HostileMails.all().stream()
                .filter(m -> !m.name().equals("24-content-type-garbage"))
                .toList();
        for (HostileMails.HostileMail hostile : storable) {
            deliver(hostile.raw());
        }
        String marker = newMessageId();
        deliver(message(marker, "marker"));
        List<InboundMail> seen = new ArrayList<>();
        List<String> expectedIds = storable.stream().map(HostileMails.HostileMail::messageId)
                .filter(id -> !id.isEmpty()).toList();
        pollUntil(source, marker, seen);
        // each mail is parsed on its own thread: one slow to parse may come after the marker
        await().atMost(deliveryTimeout()).until(() -> {
            seen.addAll(source.poll(pollWait()));
            return seen.size() >= storable.size() + 1;
        });

        assertThat(seen).hasSize(storable.size() + 1);
        assertThat(seen).extracting(m -> m.key().messageId()).containsAll(expectedIds);
        assertThat(seen).allSatisfy(m -> assertThat(m.sourceRef()).isNotEmpty());
    }

    @Test
    void wrong_password_is_an_authentication_error_without_the_password() {
        ImapMailSource source = newImapSource(builder().account(account("wrong-password-123")));

        assertThatThrownBy(() -> source.poll(Duration.ofMillis(100)))
                .isInstanceOf(AuthenticationException.class)
                .hasMessageNotContaining("wrong-password-123")
                .satisfies(e -> assertThat(((AuthenticationException) e).component()).isEqualTo("imap"));
    }

    @Test
    void reconnects_by_itself_after_a_server_restart() throws Exception {
        ImapMailSource source = newImapSource(builder());
        String before = newMessageId();
        deliver(message(before, "before restart"));
        pollUntil(source, before, new ArrayList<>());

        greenMail.stop();
        assertThatThrownBy(() -> source.poll(Duration.ofMillis(500))).isInstanceOf(RetriableException.class);
        greenMail.start();
        // GreenMail 2.1.8 keeps the mailboxes across stop and start but forgets the users
        user = greenMail.setUser("support@shop.example", USER, PASSWORD);
        String after = newMessageId();
        deliver(message(after, "after restart"));

        List<InboundMail> seen = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            try {
                seen.addAll(source.poll(Duration.ofMillis(500)));
            } catch (RetriableException e) {
                return false;
            }
            return seen.stream().anyMatch(m -> m.key().messageId().equals(after));
        });
    }

    @Test
    void interrupting_a_poll_blocked_in_idle_returns_promptly() throws Exception {
        ImapMailSource source = newImapSource(builder());
        source.poll(Duration.ZERO); // connected
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        AtomicReference<Thread> poller = new AtomicReference<>();
        CompletableFuture<Void> finished = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                source.poll(Duration.ofMinutes(5));
            } catch (Throwable t) {
                outcome.set(t);
            } finally {
                finished.complete(null);
            }
        });
        poller.set(thread);
        thread.start();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> thread.getState() == Thread.State.WAITING || thread.getState() == Thread.State.TIMED_WAITING);

        thread.interrupt();

        finished.get(2, TimeUnit.SECONDS);
        assertThat(outcome.get()).isInstanceOf(InterruptedException.class);

        // and the source still works afterwards
        String id = newMessageId();
        deliver(message(id, "after interrupt"));
        pollUntil(source, id, new ArrayList<>());
    }

    @Test
    void idle_wakes_up_for_new_mail_before_max_wait() throws Exception {
        ImapMailSource source = newImapSource(builder());
        source.poll(Duration.ZERO);
        CompletableFuture<List<InboundMail>> result = CompletableFuture.supplyAsync(() -> {
            try {
                return source.poll(Duration.ofMinutes(5));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        String id = newMessageId();
        await().pollDelay(Duration.ofMillis(300)).until(() -> true);
        deliver(message(id, "wake up"));

        List<InboundMail> mail = result.get(20, TimeUnit.SECONDS);

        assertThat(mail).extracting(m -> m.key().messageId()).containsExactly(id);
    }

    @Test
    void polls_when_idle_is_not_used() throws Exception {
        ImapMailSource source = newImapSource(builder().useIdle(false));
        source.poll(Duration.ZERO);
        String id = newMessageId();
        deliver(message(id, "polled"));

        InboundMail mail = pollUntil(source, id, new ArrayList<>());

        assertThat(mail.subject()).isEqualTo("polled");
    }

    @Test
    void a_recreated_folder_with_new_uidvalidity_yields_every_unacknowledged_mail_again() throws Exception {
        clientFolder("Support", folder -> folder.create(Folder.HOLDS_MESSAGES));
        ImapMailSource source = newImapSource(builder().folder("Support"));
        String first = newMessageId();
        appendTo("Support", message(first, "first"));
        pollUntil(source, first, new ArrayList<>());
        // GreenMail's UIDVALIDITY is the folder's creation time in seconds: recreate it in a later
        // second, or it gets the same UIDVALIDITY (and the same first mail), which this test is not about
        long[] validity = new long[1];
        clientFolder("Support", folder -> validity[0] = ((jakarta.mail.UIDFolder) folder).getUIDValidity());
        await().atMost(Duration.ofSeconds(5)).until(() -> System.currentTimeMillis() / 1000 > validity[0]);

        clientFolder("Support", folder -> folder.delete(true));
        clientFolder("Support", folder -> folder.create(Folder.HOLDS_MESSAGES));
        appendTo("Support", message(first, "first"));
        String second = newMessageId();
        appendTo("Support", message(second, "second"));

        List<InboundMail> seen = new ArrayList<>();
        await().atMost(Duration.ofSeconds(90)).until(() -> {
            try {
                seen.addAll(source.poll(Duration.ofMillis(300)));
            } catch (RetriableException e) {
                return false;
            }
            return seen.stream().map(m -> m.key().messageId()).toList().containsAll(List.of(first, second));
        });
    }

    interface FolderAction {
        Object apply(Folder folder) throws Exception;
    }

    private void clientFolder(String name, FolderAction action) throws Exception {
        Session session = Session.getInstance(new Properties());
        Store store = session.getStore("imap");
        store.connect("127.0.0.1", port, USER, PASSWORD);
        try {
            action.apply(store.getFolder(name));
        } finally {
            store.close();
        }
    }

    private void appendTo(String name, byte[] raw) throws Exception {
        clientFolder(name, folder -> {
            folder.appendMessages(new Message[] {
                new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(raw))});
            return null;
        });
    }

    @Test
    void acknowledgements_from_many_threads_at_once_each_take_effect() throws Exception {
        ImapMailSource source = newImapSource(builder().acknowledgement(Acknowledgement.seen()));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            String id = newMessageId();
            ids.add(id);
            deliver(message(id, "parallel ack " + i));
        }
        List<InboundMail> seen = new ArrayList<>();
        pollUntil(source, ids.get(ids.size() - 1), seen);
        // parsed on two threads: the last may come before an earlier one
        await().atMost(deliveryTimeout()).until(() -> {
            seen.addAll(source.poll(Duration.ZERO));
            return seen.size() >= 24;
        });
        assertThat(seen).hasSize(24);

        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(12);
        try {
            List<java.util.concurrent.Future<?>> acks = new ArrayList<>();
            for (InboundMail mail : seen) {
                acks.add(pool.submit(() -> source.acknowledge(mail, MailOutcome.ANSWERED)));
            }
            for (java.util.concurrent.Future<?> ack : acks) {
                ack.get(30, java.util.concurrent.TimeUnit.SECONDS); // each returns once its own mail is done
            }
        } finally {
            pool.shutdownNow();
        }

        for (String id : ids) {
            assertThat(flagsOf("INBOX", id).contains(Flags.Flag.SEEN)).as(id).isTrue();
        }
    }

    @Test
    void acknowledging_after_close_is_refused() throws Exception {
        ImapMailSource source = newImapSource(builder());
        String id = newMessageId();
        deliver(message(id, "closed"));
        InboundMail mail = pollUntil(source, id, new ArrayList<>());
        source.close();

        assertThatThrownBy(() -> source.acknowledge(mail, MailOutcome.ANSWERED)).isInstanceOf(IllegalStateException.class);
        assertThat(flagsOf("INBOX", id).contains(Flags.Flag.SEEN)).isFalse();
    }

    @Test
    void acknowledging_from_another_thread_does_not_wait_for_a_poll_in_idle() throws Exception {
        ImapMailSource source = newImapSource(builder());
        String id = newMessageId();
        deliver(message(id, "ack while idle"));
        InboundMail mail = pollUntil(source, id, new ArrayList<>());
        Thread poller = new Thread(() -> {
            try {
                source.poll(Duration.ofMinutes(5));
            } catch (InterruptedException | RuntimeException e) {
                // ends the thread
            }
        });
        poller.start();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> poller.getState() == Thread.State.WAITING || poller.getState() == Thread.State.TIMED_WAITING);

        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(5), () -> source.acknowledge(mail, MailOutcome.ANSWERED));

        assertThat(flagsOf("INBOX", id).contains(Flags.Flag.SEEN)).isTrue();
        poller.interrupt();
        poller.join(5000);
        assertThat(poller.isAlive()).isFalse();
    }

    @Test
    void connection_failures_are_retriable_and_never_show_the_password() {
        ImapMailSource source = newImapSource(builder());
        greenMail.stop();

        assertThatThrownBy(() -> source.poll(Duration.ofMillis(100)))
                .isInstanceOf(RetriableException.class)
                .hasMessageContaining("127.0.0.1:" + port)
                .hasMessageNotContaining(PASSWORD);
        assertThat(source.toString()).doesNotContain(PASSWORD);
    }

    // ------------------------------------------------------------------ issue 8

    /** Sets or clears a system flag on the message, as another mail client would. */
    private void setFlag(String messageId, Flags.Flag flag, boolean set) throws Exception {
        clientFolder("INBOX", folder -> {
            folder.open(Folder.READ_WRITE);
            for (Message m : folder.getMessages()) {
                String[] ids = m.getHeader("Message-ID");
                if (ids != null && ids[0].equals(messageId)) {
                    m.setFlags(new Flags(flag), set);
                }
            }
            folder.close(false);
            return null;
        });
    }

    @Test
    void mail_that_needs_a_person_stays_unread_in_the_inbox_and_is_not_yielded_after_a_restart() throws Exception {
        for (Acknowledgement ack : List.of(Acknowledgement.seen(), Acknowledgement.keyword(), Acknowledgement.moveTo("Done"))) {
            ImapMailSource source = newImapSource(builder().acknowledgement(ack));
            String id = newMessageId();
            deliver(message(id, "over the limit"));
            InboundMail mail = pollUntil(source, id, new ArrayList<>());

            source.acknowledge(mail, MailOutcome.NEEDS_PERSON);

            Flags flags = flagsOf("INBOX", id);
            assertThat(flags).as("still in the inbox with %s", ack).isNotNull();
            assertThat(flags.contains(Flags.Flag.SEEN)).as("unread with %s", ack).isFalse();
            assertThat(flags.contains(ImapMailSource.DEFAULT_UNANSWERED_KEYWORD)).as("tagged with %s", ack).isTrue();
            source.close();

            String later = newMessageId();
            deliver(message(later, "later"));
            List<InboundMail> seen = new ArrayList<>();
            pollUntil(newImapSource(builder().acknowledgement(ack)), later, seen);
            assertThat(seen).extracting(m -> m.key().messageId()).as("after a restart with %s", ack).doesNotContain(id);
        }
    }

    @Test
    void mail_a_colleague_read_before_the_source_started_is_still_yielded() throws Exception {
        String answered = newMessageId();
        ImapMailSource first = newImapSource(builder());
        deliver(message(answered, "answered earlier"));
        first.acknowledge(pollUntil(first, answered, new ArrayList<>()), MailOutcome.ANSWERED);
        first.close();
        // while ragmail is down, a colleague reads a new mail, and marks the answered one unread again
        String readByColleague = newMessageId();
        deliver(message(readByColleague, "read by a colleague"));
        setFlag(readByColleague, Flags.Flag.SEEN, true);
        setFlag(answered, Flags.Flag.SEEN, false);

        List<InboundMail> seen = new ArrayList<>();
        pollUntil(newImapSource(builder()), readByColleague, seen);

        assertThat(seen).extracting(m -> m.key().messageId()).doesNotContain(answered);
    }

    @Test
    void start_after_leaves_mail_that_arrived_earlier_alone() throws Exception {
        String old = newMessageId();
        String recent = newMessageId();
        appendReceivedAt("INBOX", message(old, "from last year"), Instant.parse("2024-03-01T10:00:00Z"));
        deliver(message(recent, "today"));

        List<InboundMail> seen = new ArrayList<>();
        ImapMailSource source = newImapSource(builder().startAfter(Instant.parse("2025-01-01T00:00:00Z")));
        pollUntil(source, recent, seen);
        seen.addAll(source.poll(Duration.ZERO));

        assertThat(seen).extracting(m -> m.key().messageId()).containsExactly(recent);
        // and without the setting, a first start yields the old mail too
        pollUntil(newImapSource(builder()), old, new ArrayList<>());
    }

    private void appendReceivedAt(String folderName, byte[] raw, Instant received) throws Exception {
        clientFolder(folderName, folder -> {
            MimeMessage message = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(raw)) {
                @Override
                public java.util.Date getReceivedDate() {
                    return java.util.Date.from(received); // sent as APPEND's date-time: the INTERNALDATE
                }
            };
            folder.appendMessages(new Message[] {message});
            return null;
        });
    }

    @Test
    void a_fetch_the_server_refuses_for_now_is_retried_instead_of_yielding_an_unreadable_mail() throws Exception {
        try (FaultyImapProxy proxy = new FaultyImapProxy(port)) {
            ImapMailSource source = newImapSource(builder()
                    .account(new MailAccount("127.0.0.1", proxy.port(), MailSecurity.NONE, USER, PASSWORD)));
            String id = newMessageId();
            deliver(message(id, "fetched on the second try"));
            proxy.refuseNextBodyFetches(5); // more than MAX_FETCH_ATTEMPTS: a temporary code never gives up

            List<InboundMail> seen = new ArrayList<>();
            List<RetriableException> failures = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                try {
                    seen.addAll(source.poll(Duration.ofMillis(300)));
                } catch (RetriableException e) {
                    failures.add(e);
                }
                return !seen.isEmpty();
            });

            assertThat(proxy.refused()).isEqualTo(5);
            assertThat(failures).isNotEmpty().allSatisfy(e -> assertThat(e.getMessage()).contains("UNAVAILABLE"));
            assertThat(seen).singleElement().satisfies(mail -> {
                assertThat(mail.key().messageId()).isEqualTo(id);
                assertThat(mail.unreadableReason()).isEmpty();
                assertThat(mail.text()).contains("safety data sheet");
            });
        }
    }

    @Test
    void a_slow_parse_holds_up_neither_the_next_poll_nor_an_acknowledgement() throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch slowStarted = new java.util.concurrent.CountDownLatch(1);
        ImapMailSource source = newImapSource(builder().parseHook(raw -> {
            if (new String(raw, java.nio.charset.StandardCharsets.ISO_8859_1).contains("Subject: slow to parse")) {
                slowStarted.countDown();
                try {
                    release.await(); // stands for a parse that takes minutes
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }));
        try {
            String slow = newMessageId();
            deliver(message(slow, "slow to parse"));
            List<InboundMail> seen = new ArrayList<>();
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                seen.addAll(source.poll(Duration.ofMillis(200)));
                return slowStarted.getCount() == 0;
            });

            String quick = newMessageId();
            deliver(message(quick, "quick"));
            // the slow parse is still running: polling and acknowledging go on regardless
            InboundMail mail = pollUntil(source, quick, seen);
            source.acknowledge(mail, MailOutcome.ANSWERED);

            assertThat(release.getCount()).isEqualTo(1);
            assertThat(seen).extracting(m -> m.key().messageId()).doesNotContain(slow);
            assertThat(flagsOf("INBOX", quick).contains(Flags.Flag.SEEN)).isTrue();
            release.countDown();
            pollUntil(source, slow, seen);
        } finally {
            release.countDown();
        }
    }

    @Test
    void mail_delivered_between_the_fetch_and_the_idle_is_yielded_without_waiting_for_max_wait() throws Exception {
        String id = newMessageId();
        java.util.concurrent.atomic.AtomicBoolean delivered = new java.util.concurrent.atomic.AtomicBoolean();
        ImapMailSource source = newImapSource(builder().idleHook(() -> {
            if (delivered.compareAndSet(false, true)) {
                try {
                    // straight into the server's store: no client command is running at this instant
                    user.deliver(new MimeMessage(Session.getInstance(new Properties()),
                            new ByteArrayInputStream(message(id, "in the gap"))));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        }));
        source.poll(Duration.ZERO); // connected; nothing there yet

        long start = System.nanoTime();
        List<InboundMail> mail = source.poll(Duration.ofSeconds(40));
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(delivered).isTrue();
        assertThat(mail).extracting(m -> m.key().messageId()).containsExactly(id);
        // a missed notification returns the mail only when maxWait is over; the margin is for a loaded CI
        assertThat(took).isLessThan(Duration.ofSeconds(20));
    }

    @Test
    void a_failed_acknowledgement_is_a_retriable_error_not_a_silent_success() throws Exception {
        ImapMailSource source = newImapSource(builder());
        String id = newMessageId();
        deliver(message(id, "ack fails"));
        InboundMail mail = pollUntil(source, id, new ArrayList<>());
        greenMail.stop();

        assertThatThrownBy(() -> source.acknowledge(mail, MailOutcome.ANSWERED))
                .isInstanceOf(RetriableException.class)
                .hasMessageNotContaining(PASSWORD)
                .satisfies(e -> assertThat(((RetriableException) e).component()).isEqualTo("imap"));
        assertThatThrownBy(() -> source.acknowledge(mail, MailOutcome.NEEDS_PERSON))
                .isInstanceOf(RetriableException.class);
    }

    @Test
    void settings_are_validated_by_name() {
        assertThatThrownBy(() -> builder().unansweredKeyword("has space").build()).hasMessageContaining("unansweredKeyword");
        assertThatThrownBy(() -> builder().acknowledgement(Acknowledgement.keyword("$X")).unansweredKeyword("$X").build())
                .hasMessageContaining("unansweredKeyword");
        assertThatThrownBy(() -> builder().parseThreads(0).build()).hasMessageContaining("parseThreads");
    }

    @Test
    void mail_that_arrives_after_the_acknowledging_connection_opened_is_acknowledged_not_skipped() throws Exception {
        ImapMailSource source = newImapSource(builder());
        source.poll(Duration.ZERO); // both connections open, the inbox empty
        for (int i = 0; i < 8; i++) {
            String id = newMessageId();
            deliver(message(id, "arrives later " + i));
            InboundMail mail = pollUntil(source, id, new ArrayList<>());

            source.acknowledge(mail, MailOutcome.ANSWERED);

            assertThat(flagsOf("INBOX", id).contains(Flags.Flag.SEEN)).as("mail %d acknowledged", i).isTrue();
        }
    }
}
