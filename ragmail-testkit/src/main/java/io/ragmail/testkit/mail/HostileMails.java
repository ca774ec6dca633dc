package io.ragmail.testkit.mail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A corpus of malformed and hostile raw messages, for testing that a {@link io.ragmail.core.MailSource}
 * and the pipeline survive real-world mail: broken MIME boundaries, unknown charsets, invalid
 * base64, raw 8-bit headers, a missing Message-ID, 50 levels of nested multiparts, an empty body,
 * HTML with scripts, HTML only, only attachments, a missing From, a garbage Date, header injection
 * through CR/LF in encoded words, a thousand recipients, a very long line, NUL bytes and more.
 *
 * <p>Each message has its own Message-ID {@code <hostile-NN@customer.example>} (except the one
 * that tests its absence) and, where it has a From at all, the sender
 * {@code bad-NN@customer.example}, so a pipeline test can check that each one ended answered or
 * skipped. The files live under {@code io/ragmail/testkit/mail/hostile/}.
 *
 * <pre>{@code
 * for (HostileMail mail : HostileMails.all()) {
 *     user.deliver(new MimeMessage(session, new ByteArrayInputStream(mail.raw())));
 * }
 * byte[] thirtyMegabytes = HostileMails.huge(30);
 * }</pre>
 */
public final class HostileMails {

    private static final String DIR = "/io/ragmail/testkit/mail/hostile/";

    /** One hostile message: a short name such as {@code "07-nested-50-levels"} and its raw bytes. */
    public record HostileMail(String name, byte[] raw) {
        public HostileMail {
            Objects.requireNonNull(name, "name");
            raw = raw.clone();
        }

        @Override
        public byte[] raw() {
            return raw.clone();
        }

        /** The raw message as ISO-8859-1 text (every byte one char), for assertions. */
        public String rawText() {
            return new String(raw, StandardCharsets.ISO_8859_1);
        }

        /** The Message-ID this mail carries, such as {@code <hostile-07@customer.example>}; empty when none. */
        public String messageId() {
            String number = name.substring(0, 2);
            return rawText().contains("Message-ID: <hostile-" + number + "@") ? "<hostile-" + number + "@customer.example>" : "";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof HostileMail other && name.equals(other.name) && Arrays.equals(raw, other.raw);
        }

        @Override
        public int hashCode() {
            return name.hashCode() * 31 + Arrays.hashCode(raw);
        }

        @Override
        public String toString() {
            return "HostileMail[" + name + ", " + raw.length + " bytes]";
        }
    }

    private HostileMails() {
    }

    /** Every message of the corpus, in name order. */
    public static List<HostileMail> all() {
        return Loaded.ALL;
    }

    /** The message with the given name (with or without the {@code NN-} prefix). */
    public static HostileMail named(String name) {
        return Loaded.ALL.stream()
                .filter(m -> m.name().equals(name) || m.name().substring(3).equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no hostile mail named " + name));
    }

    /**
     * A well-formed message of about {@code megabytes} MiB (a short text part and one large base64
     * attachment), generated in memory, Message-ID {@code <huge-N@customer.example>}, From
     * {@code bad-huge@customer.example}.
     */
    public static byte[] huge(int megabytes) {
        if (megabytes < 1) {
            throw new IllegalArgumentException("megabytes must be at least 1, was " + megabytes);
        }
        long target = megabytes * 1024L * 1024L;
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(Integer.MAX_VALUE - 16, target + 4096));
        String head = "From: Huge Sender <bad-huge@customer.example>\r\n"
                + "To: support@shop.example\r\n"
                + "Subject: A very large message of " + megabytes + " MiB\r\n"
                + "Date: Mon, 3 Mar 2025 10:00:00 +0100\r\n"
                + "Message-ID: <huge-" + megabytes + "@customer.example>\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=\"huge-boundary\"\r\n\r\n"
                + "--huge-boundary\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n"
                + "Please see the attached scan.\r\n"
                + "--huge-boundary\r\nContent-Type: application/octet-stream; name=\"scan.bin\"\r\n"
                + "Content-Disposition: attachment; filename=\"scan.bin\"\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\n";
        out.writeBytes(head.getBytes(StandardCharsets.US_ASCII));
        byte[] line = ("QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        while (out.size() < target) {
            out.writeBytes(line);
        }
        out.writeBytes("--huge-boundary--\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    /**
     * A well-formed message of about {@code megabytes} MiB whose question sits {@code levels} levels
     * deep in nested {@code multipart/mixed} parts, beside one large base64 attachment; each level
     * also has a short text part. Message-ID {@code <nested-L-N@customer.example>}.
     */
    public static byte[] nested(int megabytes, int levels) {
        if (megabytes < 1) {
            throw new IllegalArgumentException("megabytes must be at least 1, was " + megabytes);
        }
        if (levels < 1) {
            throw new IllegalArgumentException("levels must be at least 1, was " + levels);
        }
        long target = megabytes * 1024L * 1024L;
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(Integer.MAX_VALUE - 16, target + 8192));
        StringBuilder head = new StringBuilder("From: Nested Sender <bad-nested@customer.example>\r\n"
                + "To: support@shop.example\r\n"
                + "Subject: A message nested " + levels + " levels deep\r\n"
                + "Date: Mon, 3 Mar 2025 10:00:00 +0100\r\n"
                + "Message-ID: <nested-" + levels + "-" + megabytes + "@customer.example>\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=\"level-0\"\r\n\r\n");
        for (int level = 0; level < levels; level++) {
            head.append("--level-").append(level).append("\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n")
                    .append("Forwarded at level ").append(level).append(".\r\n");
            if (level + 1 < levels) {
                head.append("--level-").append(level).append("\r\nContent-Type: multipart/mixed; boundary=\"level-")
                        .append(level + 1).append("\"\r\n\r\n");
            }
        }
        int last = levels - 1;
        head.append("--level-").append(last).append("\r\nContent-Type: application/octet-stream; name=\"scan.bin\"\r\n")
                .append("Content-Disposition: attachment; filename=\"scan.bin\"\r\n")
                .append("Content-Transfer-Encoding: base64\r\n\r\n");
        out.writeBytes(head.toString().getBytes(StandardCharsets.US_ASCII));
        byte[] line = ("QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5ejAxMjM0\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        while (out.size() < target) {
            out.writeBytes(line);
        }
        StringBuilder tail = new StringBuilder();
        for (int level = last; level >= 0; level--) {
            tail.append("--level-").append(level).append("--\r\n");
        }
        out.writeBytes(tail.toString().getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    private static List<HostileMail> load() {
        List<HostileMail> mails = new ArrayList<>();
        for (String file : new String(resource("index.txt"), StandardCharsets.UTF_8).split("\n")) {
            if (!file.isBlank()) {
                mails.add(new HostileMail(file.strip().replace(".eml", ""), resource(file.strip())));
            }
        }
        return List.copyOf(mails);
    }

    private static byte[] resource(String name) {
        try (InputStream in = HostileMails.class.getResourceAsStream(DIR + name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + DIR + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Read once, on first use; safe to share because {@link HostileMail} copies its bytes in and out. */
    private static final class Loaded {
        static final List<HostileMail> ALL = load();
    }
}
