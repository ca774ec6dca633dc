package io.ragmail.core.mail.internal;

import io.ragmail.core.reply.ReplyComposer;

import io.ragmail.core.Draft;
import io.ragmail.core.EmailAddress;
import io.ragmail.core.InboundMail;
import io.ragmail.core.OutboundReply;
import io.ragmail.core.TokenUsage;
import io.ragmail.core.mime.MimeMailParser;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What we copy from a customer's mail into our reply's headers (Subject, In-Reply-To, References,
 * the recipient's display name) is capped and folded: whatever the customer sent, every line of
 * the reply is at most 998 characters (RFC 5322 2.1.1) and the reply parses back.
 */
class ReplyHeadersStayValidTest {

    private static final int RFC_5322_LINE_LIMIT = 998;

    private final MimeMailParser parser = MimeMailParser.create();
    private final ReplyComposer composer = ReplyComposer.builder()
            .from(new EmailAddress("support@shop.example", "Shop Support")).build();
    private final Draft draft = new Draft("Yes, ACE-500 is in stock.", "en", 0.9, List.of(), false, "", TokenUsage.NONE);
    private final Session session = Session.getInstance(new Properties());

    static Stream<Arguments> hugeHeaders() {
        SplittableRandom random = new SplittableRandom(8);
        String word = "x".repeat(20_000);
        StringBuilder words = new StringBuilder();
        while (words.length() < 20_000) {
            words.append("word").append(random.nextInt(1000)).append(' ');
        }
        String umlauts = "\u00fc".repeat(20_000);
        String stacked = "Re: ".repeat(20_000) + "Is ACE-500 in stock?";
        List<String> manyIds = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            manyIds.add(i % 50 == 0 ? "<" + "r".repeat(5_000) + i + "@customer.example>" : "<ref-" + i + "@customer.example>");
        }
        String longId = "<" + "m".repeat(2_000) + "@customer.example>";
        return Stream.of(
                Arguments.of("one 20,000-character word", word, "<q1@customer.example>", List.of(), "Ada"),
                Arguments.of("20,000 characters of words", words.toString(), "<q2@customer.example>", List.of(), "Ada"),
                Arguments.of("20,000 umlauts", umlauts, "<q3@customer.example>", List.of(), umlauts),
                Arguments.of("20,000 stacked Re:", stacked, "<q4@customer.example>", List.of(), "Ada"),
                Arguments.of("500 references, some of 5,000 characters", "Question", "<q5@customer.example>", manyIds, "Ada"),
                Arguments.of("a 2,000-character Message-ID", "Question", longId, manyIds, word));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hugeHeaders")
    void every_header_line_of_the_reply_is_at_most_998_characters_and_the_reply_parses_back(
            String name, String subject, String messageId, List<String> references, String displayName) throws Exception {
        // given: the customer's mail, raw, with the header values on single (overlong) lines
        String raw = "From: \"" + displayName + "\" <ada@customer.example>\r\n"
                + "To: support@shop.example\r\n"
                + "Subject: " + subject + "\r\n"
                + "Message-ID: " + messageId + "\r\n"
                + (references.isEmpty() ? "" : "References: " + String.join(" ", references) + "\r\n")
                + "Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
                + "Is ACE-500 in stock?\r\n";
        InboundMail mail = parser.parse(raw.getBytes(StandardCharsets.UTF_8));

        // when
        OutboundReply reply = composer.compose(mail, draft, List.of());
        MimeMessage message = ReplyMessages.build(session, reply, reply.text(),
                Clock.fixed(Instant.parse("2025-03-03T10:00:00Z"), ZoneOffset.UTC), "test");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        message.writeTo(bytes);

        // then
        String written = bytes.toString(StandardCharsets.UTF_8);
        for (String line : written.split("\r\n")) {
            assertThat(line.length()).as("a line of the reply: %.80s…", line).isLessThanOrEqualTo(RFC_5322_LINE_LIMIT);
        }
        InboundMail back = parser.parse(bytes.toByteArray());
        assertThat(back.unreadable()).isEmpty();
        assertThat(back.subject()).startsWith("Re: ").hasSizeLessThanOrEqualTo(4 + ReplyComposer.MAX_SUBJECT_CHARS);
        assertThat(back.subject()).doesNotStartWith("Re: Re:");
        assertThat(back.to()).extracting(EmailAddress::address).containsExactly("ada@customer.example");
        assertThat(back.text()).contains("ACE-500 is in stock");
        if (messageId.length() <= ReplyComposer.MAX_MESSAGE_ID_CHARS) {
            assertThat(back.inReplyTo()).isEqualTo(messageId);
            assertThat(back.references()).endsWith(messageId);
        }
    }
}
