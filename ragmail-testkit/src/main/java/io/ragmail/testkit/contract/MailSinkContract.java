package io.ragmail.testkit.contract;

import io.ragmail.core.Delivery;
import io.ragmail.core.EmailAddress;
import io.ragmail.core.MailSink;
import io.ragmail.core.OutboundReply;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The compatibility kit every {@link MailSink} passes: extend it, create your sink and say how to
 * read back what it delivered. The sink is created lazily on first use (after your own
 * {@code @BeforeEach} methods have run, e.g. starting a server) and closed after each test.
 *
 * <pre>{@code
 * class MySinkTest extends MailSinkContract {
 *     TestMailServer server = new TestMailServer().start();
 *
 *     protected MailSink createSink() { return SmtpMailSink.builder().account(server.smtpAccount()).build(); }
 *
 *     protected List<DeliveredMail> delivered() {
 *         return server.received(replyTo().address()).stream().map(DeliveredMail::of).toList();
 *     }
 * }
 * }</pre>
 */
public abstract class MailSinkContract {

    /** How long read-back waits for a delivery to show up. */
    protected static final Duration WAIT = Duration.ofSeconds(10);

    private MailSink sink;

    /** A new sink, ready to deliver. */
    protected abstract MailSink createSink();

    /** Everything the sink has delivered so far (in any order), read back from where it put it. */
    protected abstract List<DeliveredMail> delivered();

    /** The address replies come from. */
    protected EmailAddress replyFrom() {
        return new EmailAddress("support@example.com", "Example Support");
    }

    /** The address replies go to (the customer). */
    protected EmailAddress replyTo() {
        return new EmailAddress("ada@example.com", "Ada Lovelace");
    }

    /** Whether {@link MailSink#findDelivered(String)} must find past deliveries (false: UNKNOWN allowed). */
    protected boolean findsDeliveries() {
        return true;
    }

    protected final MailSink sink() {
        if (sink == null) {
            sink = createSink();
        }
        return sink;
    }

    @AfterEach
    void closeSink() {
        if (sink != null) {
            sink.close();
            sink = null;
        }
    }

    /** A reply with a fresh Message-ID, threading headers, loop-guard headers and non-ASCII text. */
    protected OutboundReply reply(String subject, String text) {
        String id = "<" + UUID.randomUUID() + "@ragmail.test>";
        return new OutboundReply(id, replyFrom(), replyTo(), subject, "<original-1@customer.test>",
                List.of("<thread-0@customer.test>", "<original-1@customer.test>"), text,
                Map.of("Auto-Submitted", "auto-replied", "X-Loop", replyFrom().address()), List.of());
    }

    protected final DeliveredMail awaitDelivered(String messageId) {
        return await().atMost(WAIT).until(() -> find(messageId), Optional::isPresent).orElseThrow();
    }

    private Optional<DeliveredMail> find(String messageId) {
        return delivered().stream().filter(m -> m.messageId().equals(messageId)).findFirst();
    }

    @Test
    void delivered_reply_keeps_its_message_id_threading_and_loop_headers() {
        OutboundReply reply = reply("Re: Lieferzeit für Bestellung S00042", "Grüße, 東京\nZweite Zeile.");

        sink().deliver(reply);

        DeliveredMail mail = awaitDelivered(reply.messageId());
        assertThat(mail.headers().first("Message-ID")).contains(reply.messageId());
        assertThat(mail.headers().first("In-Reply-To")).contains("<original-1@customer.test>");
        assertThat(mail.headers().first("References").map(v -> v.replaceAll("\\s+", " ")))
                .contains("<thread-0@customer.test> <original-1@customer.test>");
        assertThat(mail.headers().first("Subject")).contains("Re: Lieferzeit für Bestellung S00042");
        assertThat(mail.headers().first("Auto-Submitted")).contains("auto-replied");
        assertThat(mail.headers().first("X-Loop")).contains(replyFrom().address());
        assertThat(mail.headers().first("To").orElse("")).contains(replyTo().address());
        assertThat(mail.headers().first("From").orElse("")).contains(replyFrom().address());
    }

    @Test
    void delivered_reply_keeps_utf8_text_intact() {
        OutboundReply reply = reply("Re: Frage", "Grüße, 東京\nZweite Zeile: € ß ü.");

        sink().deliver(reply);

        DeliveredMail mail = awaitDelivered(reply.messageId());
        assertThat(normalize(mail.text())).contains(normalize(reply.text()));
    }

    @Test
    void find_delivered_reports_a_delivered_reply() {
        OutboundReply reply = reply("Re: Frage", "Danke.");

        sink().deliver(reply);
        awaitDelivered(reply.messageId());

        Delivery expected = findsDeliveries() ? Delivery.DELIVERED : Delivery.UNKNOWN;
        await().atMost(WAIT).until(() -> sink().findDelivered(reply.messageId()) == expected);
    }

    @Test
    void find_delivered_never_claims_an_unknown_reply() {
        sink().deliver(reply("Re: Frage", "Danke."));
        String unknown = "<never-sent-" + UUID.randomUUID() + "@ragmail.test>";

        assertThat(sink().findDelivered(unknown)).isIn(Delivery.NOT_DELIVERED, Delivery.UNKNOWN);
    }

    @Test
    void find_delivered_does_not_match_a_prefix_of_a_delivered_id() {
        OutboundReply reply = reply("Re: Frage", "Danke.");
        sink().deliver(reply);
        awaitDelivered(reply.messageId());
        String prefix = reply.messageId().substring(0, reply.messageId().length() - 6) + ">";

        assertThat(sink().findDelivered(prefix)).isIn(Delivery.NOT_DELIVERED, Delivery.UNKNOWN);
    }

    @Test
    void delivers_concurrently_from_four_threads() throws Exception {
        int threads = 4;
        int perThread = 3;
        MailSink shared = sink();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<OutboundReply> replies = new ArrayList<>();
        List<Future<?>> futures = new ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                List<OutboundReply> mine = new ArrayList<>();
                for (int i = 0; i < perThread; i++) {
                    mine.add(reply("Re: parallel " + t + "/" + i, "Antwort " + t + "/" + i + " – Grüße"));
                }
                replies.addAll(mine);
                futures.add(pool.submit(() -> mine.forEach(shared::deliver)));
            }
            for (Future<?> future : futures) {
                future.get(WAIT.toSeconds() * 3, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        for (OutboundReply reply : replies) {
            DeliveredMail mail = awaitDelivered(reply.messageId());
            assertThat(normalize(mail.text())).contains(normalize(reply.text()));
        }
        assertThat(delivered().stream().map(DeliveredMail::messageId).filter(id -> replies.stream()
                .anyMatch(r -> r.messageId().equals(id)))).hasSize(replies.size());
        if (findsDeliveries()) {
            for (OutboundReply reply : replies) {
                assertThat(shared.findDelivered(reply.messageId())).isEqualTo(Delivery.DELIVERED);
            }
        }
    }

    private static String normalize(String text) {
        return text.replace("\r\n", "\n").strip();
    }
}
