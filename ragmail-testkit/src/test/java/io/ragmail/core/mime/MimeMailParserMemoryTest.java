package io.ragmail.core.mime;

import com.sun.management.ThreadMXBean;
import io.ragmail.core.Attachment;
import io.ragmail.core.InboundMail;
import io.ragmail.testkit.mail.HostileMails;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Parsing allocates a small multiple of the mail's size however deep its parts are nested: no
 * level copies the mail again. Measured with the thread's allocated-bytes counter, so the bound
 * holds whatever the heap size of the test JVM.
 */
class MimeMailParserMemoryTest {

    /** Allocation allowed per byte of mail, plus {@link #SLACK_BYTES}: the old parser copied the whole part at each level. */
    private static final long ALLOCATED_PER_MAIL_BYTE = 3;
    private static final long SLACK_BYTES = 16L * 1024 * 1024;

    private final MimeMailParser parser = MimeMailParser.create();

    @Test
    void a_20_megabyte_mail_nested_6_levels_is_parsed_allocating_a_small_multiple_of_its_size() {
        byte[] raw = HostileMails.nested(20, 6);

        long before = allocatedBytes();
        InboundMail mail = parser.parse(raw);
        long allocated = allocatedBytes() - before;

        assertThat(mail.unreadable()).isEmpty();
        assertThat(mail.text()).contains("Forwarded at level 0");
        assertThat(mail.attachments()).extracting(Attachment::fileName).containsExactly("scan.bin");
        assertThat(mail.attachments().get(0).sizeBytes()).isGreaterThan(14L * 1024 * 1024);
        assertThat(allocated).as("bytes allocated parsing a %d-byte mail", raw.length)
                .isLessThan(ALLOCATED_PER_MAIL_BYTE * raw.length + SLACK_BYTES);
    }

    @Test
    void parts_beyond_the_part_cap_are_ignored_and_a_mail_with_nothing_readable_within_it_is_unreadable_with_the_reason() {
        StringBuilder mail = new StringBuilder("From: ada@customer.example\r\nMessage-ID: <parts@customer.example>\r\n"
                + "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n");
        for (int i = 0; i < 5_000; i++) {
            mail.append("--b\r\nContent-Type: multipart/mixed; boundary=\"e").append(i).append("\"\r\n\r\n--e").append(i).append("--\r\n");
        }
        mail.append("--b\r\nContent-Type: text/plain\r\n\r\nThe question, after 5,000 empty parts.\r\n--b--\r\n");
        MimeMailParser capped = MimeMailParser.builder().maxParts(MimeMailParser.DEFAULT_MAX_PARTS).build();

        InboundMail parsed = capped.parse(mail.toString().getBytes(StandardCharsets.US_ASCII));

        assertThat(parsed.text()).isEmpty();
        assertThat(parsed.unreadableReason()).contains("more than 1000 MIME parts").hasSizeLessThan(1000);
    }

    private static long allocatedBytes() {
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        return threads.getThreadAllocatedBytes(Thread.currentThread().getId());
    }
}
