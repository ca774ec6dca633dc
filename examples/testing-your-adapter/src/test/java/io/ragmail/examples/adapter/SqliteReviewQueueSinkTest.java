package io.ragmail.examples.adapter;

import io.ragmail.core.Delivery;
import io.ragmail.core.MailHeaders;
import io.ragmail.core.MailSink;
import io.ragmail.core.OutboundReply;
import io.ragmail.testkit.contract.DeliveredMail;
import io.ragmail.testkit.contract.MailSinkContract;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs ragmail's compatibility kit for sinks against the review-queue sink: the kit delivers replies
 * (threading and loop headers, UTF-8 text, four threads at once) and reads them back through
 * {@link #delivered()}; {@code findDelivered} must find what was delivered and nothing else.
 */
class SqliteReviewQueueSinkTest extends MailSinkContract {

    @TempDir
    Path dir;

    @Override
    protected MailSink createSink() {
        return SqliteReviewQueueSink.open(dir.resolve("review.db"));
    }

    /** What the back-office application would show, as the header fields and text the kit checks. */
    @Override
    protected List<DeliveredMail> delivered() {
        return queue().pending().stream().map(SqliteReviewQueueSinkTest::asMail).toList();
    }

    // A test of our own next to the kit's: what makes this sink exactly-once.
    @Test
    void filing_the_same_reply_again_after_a_crash_leaves_one_row() {
        OutboundReply reply = reply("Re: Frage", "Danke.");

        queue().deliver(reply);
        queue().deliver(reply);

        assertThat(queue().pending()).extracting(OutboundReply::messageId).containsExactly(reply.messageId());
        assertThat(queue().findDelivered(reply.messageId())).isEqualTo(Delivery.DELIVERED);
    }

    private SqliteReviewQueueSink queue() {
        return (SqliteReviewQueueSink) sink();
    }

    private static DeliveredMail asMail(OutboundReply reply) {
        MailHeaders.Builder headers = MailHeaders.builder()
                .add("Message-ID", reply.messageId())
                .add("From", reply.from().address())
                .add("To", reply.to().address())
                .add("Subject", reply.subject())
                .add("In-Reply-To", reply.inReplyTo())
                .add("References", String.join(" ", reply.references()));
        reply.headers().forEach(headers::add);
        return new DeliveredMail(headers.build(), reply.text());
    }
}
