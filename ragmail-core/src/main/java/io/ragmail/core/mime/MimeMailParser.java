package io.ragmail.core.mime;

import io.ragmail.core.Attachment;
import io.ragmail.core.EmailAddress;
import io.ragmail.core.InboundMail;
import io.ragmail.core.MailHeaders;
import io.ragmail.core.MailKey;
import jakarta.activation.DataSource;
import jakarta.mail.Header;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MailDateFormat;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimePart;
import jakarta.mail.internet.MimeUtility;
import jakarta.mail.util.SharedByteArrayInputStream;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.NodeTraversor;
import org.jsoup.select.NodeVisitor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a raw RFC 822 message into an {@link InboundMail}, and never throws for a bad one.
 *
 * <p>Prefers {@code text/plain}, converts HTML-only mail to text (scripts and styles dropped),
 * decodes charsets (an unknown charset falls back to UTF-8, then ISO-8859-1) and RFC 2047 encoded
 * words, tolerates broken boundaries, invalid base64, raw 8-bit headers and deep nesting (parts
 * deeper than {@link #DEFAULT_MAX_DEPTH} are ignored), lists attachments without loading them and
 * strips quoted history into {@link InboundMail#queryText()}. Header values never contain CR, LF or
 * other control characters, so a decoded subject cannot inject headers into a reply. A mail without
 * Message-ID is keyed {@code "digest:" + sha256(From, To, Date, Subject, body start)}.
 *
 * <pre>{@code
 * MimeMailParser parser = MimeMailParser.builder().mailbox("INBOX").build();
 * InboundMail mail = parser.parse(rawBytes);
 * mail.unreadable().ifPresent(reason -> log.warn("skipping: {}", reason));
 * }</pre>
 */
public final class MimeMailParser {

    private static final Logger LOG = LoggerFactory.getLogger(MimeMailParser.class);

    public static final int DEFAULT_MAX_DEPTH = 20;
    public static final int DEFAULT_MAX_TEXT_BYTES = 2 * 1024 * 1024;
    /** How many MIME parts of one mail are looked at, at all levels together; the rest are ignored. */
    public static final int DEFAULT_MAX_PARTS = 1000;
    public static final String DEFAULT_MAILBOX = "INBOX";
    /**
     * How much of one header value is read; the rest is dropped. Real values are far shorter (a
     * References list of 500 ids is about 30 KB); this bounds every header step, such as decoding
     * and the loop guard's scans, whatever a sender puts in a header.
     */
    public static final int MAX_HEADER_VALUE_CHARS = 64 * 1024;
    private static final int DIGEST_BODY_CHARS = 1000;
    private static final int MAX_REASON_CHARS = 500;
    private static final Pattern MESSAGE_ID_TOKEN = Pattern.compile("<[^<>\\s]+>");
    /** What ends a token of the loose address scan: the blanks of {@code \s} and address punctuation. */
    private static final String LOOSE_DELIMITERS = " \t\n\r\u000B\f<>\"',;:()[]";
    private static final int MAX_LOOSE_ADDRESSES = 500;
    private static final Pattern PLAIN_ADDRESS = Pattern.compile("[^\\s<>\"@,;:]+@[^\\s<>\"@,;:]+");
    private static final Pattern BRACKETED_ADDRESS = Pattern.compile("<([^\\s<>\"@,;:]+@[^\\s<>\"@,;:]+)>");
    /** A line break of a folded header and the whitespace that continues it. */
    private static final Pattern FOLD = Pattern.compile("\r?\n[ \t]*");
    private static final Pattern CHARSET_PARAMETER =
            Pattern.compile("charset\\s*=\\s*\"?([^\";\\s]+)", Pattern.CASE_INSENSITIVE);
    private static final Set<String> BLOCK_TAGS = Set.of("p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4",
            "h5", "h6", "blockquote", "pre", "table", "ul", "ol", "hr", "section", "article", "header", "footer");

    private final String mailbox;
    private final int maxDepth;
    private final int maxTextBytes;
    private final int maxParts;
    private final Session session;

    private MimeMailParser(Builder builder) {
        this.mailbox = builder.mailbox;
        this.maxDepth = builder.maxDepth;
        this.maxTextBytes = builder.maxTextBytes;
        this.maxParts = builder.maxParts;
        Properties props = new Properties();
        props.put("mail.mime.address.strict", "false");
        props.put("mail.mime.multipart.ignoremissingendboundary", "true");
        props.put("mail.mime.multipart.ignoremissingboundaryparameter", "true");
        props.put("mail.mime.multipart.allowempty", "true");
        props.put("mail.mime.parameters.strict", "false");
        props.put("mail.mime.decodetext.strict", "false");
        this.session = Session.getInstance(props);
    }

    /** A parser with the defaults: mailbox {@code INBOX}, depth 20, 2 MiB of text per part. */
    public static MimeMailParser create() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The mailbox name used in the {@link MailKey}s this parser makes. */
    public String mailbox() {
        return mailbox;
    }

    /** Parses raw RFC 822 bytes. */
    public InboundMail parse(byte[] raw) {
        return parse(raw, "");
    }

    /** Parses raw RFC 822 bytes; {@code sourceRef} is passed through to the mail. */
    public InboundMail parse(byte[] raw, String sourceRef) {
        Objects.requireNonNull(raw, "raw");
        // shared: every part, at every level of nesting, is a window onto these bytes, not a copy
        return parse(new SharedByteArrayInputStream(raw), sourceRef, raw.length);
    }

    /** Parses a raw RFC 822 stream, read to its end (the caller closes it). */
    public InboundMail parse(InputStream raw, String sourceRef) {
        return parse(raw, sourceRef, -1);
    }

    private InboundMail parse(InputStream raw, String sourceRef, long size) {
        MimeMessage message;
        try {
            message = new MimeMessage(session, raw);
        } catch (MessagingException | RuntimeException e) {
            LOG.debug("unparseable message", e);
            return InboundMail.builder()
                    .key(new MailKey(mailbox, MailKey.DIGEST_PREFIX + sha256("unparseable:" + e)))
                    .sourceRef(sourceRef)
                    .sizeBytes(size)
                    .unreadableReason("message could not be parsed: " + describe(e))
                    .build();
        }
        return parse(message, sourceRef, size);
    }

    /** Parses an already-built Jakarta Mail message (its content is read, up to the text cap). */
    public InboundMail parse(MimeMessage message, String sourceRef) {
        Objects.requireNonNull(message, "message");
        // a message read from a store knows its full size; a plain MimeMessage only its body's
        return parse(message, sourceRef, message.getClass() == MimeMessage.class ? -1 : safeSize(message));
    }

    private InboundMail parse(MimeMessage message, String sourceRef, long size) {
        InboundMail.Builder mail = headersInto(message, InboundMail.builder().sourceRef(sourceRef));
        StringBuilder problems = new StringBuilder();
        Body body = new Body();
        try {
            walk(message, 0, body, problems);
        } catch (RuntimeException e) {
            LOG.debug("body could not be read", e);
            note(problems, "body could not be read: " + describe(e));
        }
        String text = clean(body.plain != null ? body.plain : body.html != null ? htmlToText(body.html) : "");
        if (text.isEmpty() && body.fallback != null) {
            text = clean(body.fallback);
        }
        String query = QuoteStripper.strip(text);
        if (query.isBlank()) {
            query = text.strip();
        }
        mail.text(text).queryText(query).attachments(body.attachments).sizeBytes(size);
        rekeyIfDigest(mail, text);
        if (text.isEmpty() && body.attachments.isEmpty() && problems.length() > 0) {
            mail.unreadableReason(problems.toString());
        }
        return mail.build();
    }

    /**
     * An {@link InboundMail} built from the headers only, for a mail that must not be loaded (too
     * large) or could not be read: {@code unreadableReason} says why. Only the header lines of
     * {@code message} are read; on IMAP that fetches the header section alone.
     */
    public InboundMail headersOnly(MimeMessage message, String sourceRef, long sizeBytes, String unreadableReason) {
        Objects.requireNonNull(unreadableReason, "unreadableReason");
        InboundMail.Builder mail = headersInto(message, InboundMail.builder().sourceRef(sourceRef));
        rekeyIfDigest(mail, "");
        return mail.sizeBytes(sizeBytes).unreadableReason(unreadableReason).build();
    }

    /** Like {@link #headersOnly(MimeMessage, String, long, String)} from raw header bytes. */
    public InboundMail headersOnly(byte[] rawHeaders, String sourceRef, long sizeBytes, String unreadableReason) {
        try {
            MimeMessage message = new MimeMessage(session, new ByteArrayInputStream(rawHeaders));
            return headersOnly(message, sourceRef, sizeBytes, unreadableReason);
        } catch (MessagingException | RuntimeException e) {
            return InboundMail.builder()
                    .key(new MailKey(mailbox, MailKey.DIGEST_PREFIX + sha256(new String(rawHeaders, StandardCharsets.ISO_8859_1))))
                    .sourceRef(sourceRef).sizeBytes(sizeBytes).unreadableReason(unreadableReason).build();
        }
    }

    // ---------------------------------------------------------------- headers

    private InboundMail.Builder headersInto(MimeMessage message, InboundMail.Builder mail) {
        MailHeaders.Builder headers = MailHeaders.builder();
        try {
            Enumeration<Header> all = message.getAllHeaders();
            while (all.hasMoreElements()) {
                Header h = all.nextElement();
                String name = sanitize(h.getName());
                if (!name.isEmpty()) {
                    headers.add(name, decodeHeader(h.getValue()));
                }
            }
        } catch (MessagingException | RuntimeException e) {
            LOG.debug("headers could not be read", e);
        }
        MailHeaders decoded = headers.build();
        mail.headers(decoded);
        List<EmailAddress> from = addresses(message, "From");
        mail.from(from.isEmpty() ? EmailAddress.of("") : from.get(0));
        mail.replyTo(addresses(message, "Reply-To"));
        mail.to(addresses(message, "To"));
        mail.cc(addresses(message, "Cc"));
        mail.subject(decoded.first("Subject").orElse("").strip());
        mail.sentAt(date(rawHeader(message, "Date")));
        mail.inReplyTo(firstId(decoded.first("In-Reply-To").orElse("")));
        mail.references(ids(String.join(" ", decoded.all("References"))));
        mail.contentType(baseType(rawHeader(message, "Content-Type")));
        String messageId = decoded.first("Message-ID").map(String::strip).orElse("");
        mail.key(new MailKey(mailbox, messageId.isEmpty() ? MailKey.DIGEST_PREFIX + "pending" : messageId));
        return mail;
    }

    private static String rawHeader(MimeMessage message, String name) {
        try {
            String value = message.getHeader(name, null);
            return value == null ? "" : head(value, MAX_HEADER_VALUE_CHARS);
        } catch (MessagingException | RuntimeException e) {
            return "";
        }
    }

    /** Unfolds, repairs raw 8-bit UTF-8, decodes encoded words, and removes control characters. */
    static String decodeHeader(String raw) {
        if (raw == null) {
            return "";
        }
        String value = repair8bit(unfold(head(raw, MAX_HEADER_VALUE_CHARS)));
        try {
            value = MimeUtility.decodeText(value);
        } catch (IOException | RuntimeException e) {
            // unknown charset in an encoded word: keep the text as written
        }
        return sanitize(value).strip();
    }

    private static String head(String s, int maxChars) {
        return s.length() <= maxChars ? s : s.substring(0, maxChars);
    }

    /** Joins the lines of a folded header value with single spaces. */
    private static String unfold(String s) {
        return FOLD.matcher(s).replaceAll(" ");
    }

    /** Header text was read as ISO-8859-1; when its bytes are valid UTF-8, they were meant as UTF-8. */
    private static String repair8bit(String s) {
        boolean high = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c > 0xFF) {
                return s;
            }
            high |= c >= 0x80;
        }
        if (!high) {
            return s;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(s.getBytes(StandardCharsets.ISO_8859_1))).toString();
        } catch (CharacterCodingException e) {
            return s;
        }
    }

    /** Control characters (CR, LF, NUL, ...) become spaces: a header value is one safe line. */
    static String sanitize(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            out.append(Character.isISOControl(c) || c == '\u2028' || c == '\u2029' ? ' ' : c);
        }
        return out.toString();
    }

    private static List<EmailAddress> addresses(MimeMessage message, String header) {
        String raw;
        try {
            raw = message.getHeader(header, ",");
        } catch (MessagingException | RuntimeException e) {
            return List.of();
        }
        if (raw == null || raw.isBlank()) {
            return List.of();
        }
        raw = repair8bit(unfold(head(raw, MAX_HEADER_VALUE_CHARS)));
        List<EmailAddress> result = new ArrayList<>();
        try {
            for (InternetAddress a : InternetAddress.parseHeader(raw, false)) {
                String address = a.getAddress() == null ? "" : sanitize(a.getAddress()).strip();
                if (PLAIN_ADDRESS.matcher(address).matches()) {
                    String personal = a.getPersonal();
                    result.add(new EmailAddress(address, sanitize(personal)));
                } else if (!address.isEmpty()) {
                    result.clear();
                    break;
                }
            }
            if (!result.isEmpty()) {
                return result;
            }
        } catch (Exception e) {
            // fall through to the lenient scan
        }
        String decoded = decodeHeader(raw);
        Matcher bracketed = BRACKETED_ADDRESS.matcher(decoded);
        while (bracketed.find()) {
            result.add(EmailAddress.of(bracketed.group(1)));
        }
        if (result.isEmpty()) {
            result.addAll(looseAddresses(decoded));
        }
        return result;
    }

    /**
     * The tokens of {@code value} (split at blanks and address punctuation) that hold an {@code @}
     * with something on both sides. A scan, not a regular expression: the pattern it replaces tried
     * every start inside a long run without {@code @} again and was quadratic in the header's length.
     */
    static List<EmailAddress> looseAddresses(String value) {
        List<EmailAddress> found = new ArrayList<>();
        int start = 0;
        int innerAt = -1; // the first '@' of the token that is not its first character
        for (int i = 0; i <= value.length(); i++) {
            char c = i == value.length() ? ' ' : value.charAt(i);
            if (LOOSE_DELIMITERS.indexOf(c) >= 0) {
                if (innerAt >= 0 && innerAt < i - 1 && found.size() < MAX_LOOSE_ADDRESSES) {
                    found.add(EmailAddress.of(value.substring(start, i)));
                }
                start = i + 1;
                innerAt = -1;
            } else if (c == '@' && i > start && innerAt < 0) {
                innerAt = i;
            }
        }
        return found;
    }

    private static Instant date(String raw) {
        if (raw.isBlank()) {
            return null;
        }
        try {
            Date date = new MailDateFormat().parse(unfold(raw).strip());
            return date == null ? null : date.toInstant();
        } catch (Exception e) {
            return null;
        }
    }

    private static String firstId(String value) {
        List<String> ids = ids(value);
        return ids.isEmpty() ? "" : ids.get(0);
    }

    private static List<String> ids(String value) {
        List<String> ids = new ArrayList<>();
        Matcher m = MESSAGE_ID_TOKEN.matcher(value);
        while (m.find() && ids.size() < 500) {
            ids.add(m.group());
        }
        return ids;
    }

    private static String baseType(String contentType) {
        if (contentType == null || contentType.isBlank()) {
            return "text/plain";
        }
        try {
            return new ContentType(contentType).getBaseType().toLowerCase(Locale.ROOT);
        } catch (Exception e) {
            String base = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
            // RFC 2045 5.2: an invalid Content-Type is taken as text/plain
            return base.matches("[a-z0-9!#$&^_.+-]+/[a-z0-9!#$&^_.+-]+") ? base : "text/plain";
        }
    }

    /** A mail without Message-ID is keyed by the digest of its stable headers and {@code text}. */
    private void rekeyIfDigest(InboundMail.Builder mail, String text) {
        InboundMail partial = mail.build();
        if (partial.key().isDigest()) {
            mail.key(new MailKey(mailbox, digest(partial.headers(), text)));
        }
    }

    private String digest(MailHeaders headers, String text) {
        StringBuilder stable = new StringBuilder();
        for (String name : List.of("From", "To", "Date", "Subject")) {
            stable.append(name).append(':').append(headers.first(name).orElse("")).append('\n');
        }
        stable.append(text, 0, Math.min(text.length(), DIGEST_BODY_CHARS));
        return MailKey.DIGEST_PREFIX + sha256(stable.toString());
    }

    private static String sha256(String s) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(md.digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------- body

    private static final class Body {
        String plain;
        String html;
        String fallback;
        int parts;
        final List<Attachment> attachments = new ArrayList<>();
    }

    private void walk(Part part, int depth, Body body, StringBuilder problems) {
        if (depth > maxDepth) {
            limit(problems, "MIME nesting deeper than " + maxDepth + " ignored");
            return;
        }
        if (++body.parts > maxParts) {
            limit(problems, "more than " + maxParts + " MIME parts; the rest ignored");
            return;
        }
        String type = partType(part);
        String disposition = disposition(part);
        String fileName = fileName(part);
        boolean attachment = "attachment".equals(disposition) || (!fileName.isEmpty() && !type.startsWith("multipart/"));
        if (type.startsWith("multipart/")) {
            Multipart multipart = multipart(part, problems);
            if (multipart == null) {
                if (body.fallback == null) {
                    body.fallback = stripMimeNoise(readText(part, true));
                }
                return;
            }
            int count;
            try {
                count = multipart.getCount();
            } catch (MessagingException | RuntimeException e) {
                note(problems, "broken multipart: " + describe(e));
                if (body.fallback == null) {
                    body.fallback = stripMimeNoise(readText(part, true));
                }
                return;
            }
            for (int i = 0; i < count && body.parts < maxParts + 1; i++) {
                try {
                    walk(multipart.getBodyPart(i), depth + 1, body, problems);
                } catch (MessagingException | RuntimeException e) {
                    note(problems, "part " + i + " unreadable: " + describe(e));
                }
            }
            return;
        }
        if (!attachment && type.equals("text/plain") && body.plain == null) {
            body.plain = readText(part, false);
        } else if (!attachment && type.equals("text/html") && body.html == null) {
            body.html = readText(part, false);
        } else if (!attachment && type.startsWith("text/") && depth == 0 && body.plain == null) {
            body.plain = readText(part, false);
        } else if (attachment || !type.startsWith("text/")) {
            body.attachments.add(new Attachment(fileName, type, estimatedSize(part)));
        }
    }

    /**
     * Adds a problem to the reason a mail may be recorded with, once; the reason stays short
     * ({@value #MAX_REASON_CHARS} characters and the limits hit) however many parts are broken.
     */
    private static void note(StringBuilder problems, String problem) {
        if (problems.length() < MAX_REASON_CHARS && problems.indexOf(problem) < 0) {
            problems.append(problem).append("; ");
        }
    }

    /** A limit that was hit is always named, once. */
    private static void limit(StringBuilder problems, String limit) {
        if (problems.indexOf(limit) < 0) {
            problems.insert(0, limit + "; ");
        }
    }

    private Multipart multipart(Part part, StringBuilder problems) {
        try {
            if (part instanceof MimePart mimePart) {
                // parse the raw part ourselves so the leniency of our session applies; streamed, not
                // read into an array: the raw stream of a part read from shared bytes is a window onto
                // them, and so are the parts found in it, so no level of nesting copies the mail
                MimeMultipart mp = new MimeMultipart(new RawPartSource(mimePart, safeContentType(part)));
                mp.getCount();
                return mp;
            }
            Object content = part.getContent();
            return content instanceof Multipart mp ? mp : null;
        } catch (MessagingException | IOException | RuntimeException e) {
            note(problems, "broken multipart: " + describe(e));
            return null;
        }
    }

    /** The undecoded bytes of a part as a {@link DataSource}, read when the multipart is parsed. */
    private record RawPartSource(MimePart part, String contentType) implements DataSource {
        @Override
        public InputStream getInputStream() throws IOException {
            try {
                return rawStream(part);
            } catch (MessagingException e) {
                throw new IOException(e);
            }
        }

        @Override
        public OutputStream getOutputStream() {
            throw new UnsupportedOperationException("read only");
        }

        @Override
        public String getContentType() {
            return contentType;
        }

        @Override
        public String getName() {
            return "part";
        }
    }

    private static InputStream rawStream(MimePart part) throws MessagingException {
        if (part instanceof MimeMessage message) {
            return message.getRawInputStream();
        }
        return ((jakarta.mail.internet.MimeBodyPart) part).getRawInputStream();
    }

    private static String safeContentType(Part part) {
        try {
            String ct = part.getContentType();
            return ct == null ? "multipart/mixed" : unfold(ct);
        } catch (MessagingException | RuntimeException e) {
            return "multipart/mixed";
        }
    }

    private static String partType(Part part) {
        return baseType(safeContentTypeOrText(part));
    }

    private static String safeContentTypeOrText(Part part) {
        try {
            String[] values = part.getHeader("Content-Type");
            return values == null || values.length == 0 ? "text/plain" : unfold(values[0]);
        } catch (MessagingException | RuntimeException e) {
            return "text/plain";
        }
    }

    private static String disposition(Part part) {
        try {
            String d = part.getDisposition();
            return d == null ? "" : d.toLowerCase(Locale.ROOT);
        } catch (MessagingException | RuntimeException e) {
            return "";
        }
    }

    private static String fileName(Part part) {
        try {
            String name = part.getFileName();
            return name == null ? "" : decodeHeader(name);
        } catch (MessagingException | RuntimeException e) {
            return "";
        }
    }

    private static long estimatedSize(Part part) {
        try {
            int size = part.getSize();
            if (size < 0) {
                return -1;
            }
            return isBase64(part) ? size * 3L / 4 : size;
        } catch (MessagingException | RuntimeException e) {
            return -1;
        }
    }

    private static boolean isBase64(Part part) throws MessagingException {
        String[] enc = part.getHeader("Content-Transfer-Encoding");
        return enc != null && enc.length > 0 && enc[0].strip().equalsIgnoreCase("base64");
    }

    /** Reads a text part, decoding its transfer encoding (leniently) and charset (with fall-backs). */
    private String readText(Part part, boolean raw) {
        byte[] bytes;
        try {
            if (raw && part instanceof MimePart mimePart) {
                bytes = readAll(rawStream(mimePart), maxTextBytes);
            } else {
                bytes = readAll(part.getInputStream(), maxTextBytes);
            }
        } catch (MessagingException | IOException | RuntimeException e) {
            bytes = lenientDecode(part);
        }
        return decodeCharset(bytes, charsetOf(part));
    }

    private byte[] lenientDecode(Part part) {
        if (!(part instanceof MimePart mimePart)) {
            return new byte[0];
        }
        try {
            byte[] raw = readAll(rawStream(mimePart), maxTextBytes * 2);
            if (isBase64(part)) {
                String alphabet = new String(raw, StandardCharsets.ISO_8859_1).replaceAll("[^A-Za-z0-9+/]", "");
                alphabet = alphabet.substring(0, alphabet.length() - alphabet.length() % 4);
                try {
                    return java.util.Base64.getDecoder().decode(alphabet);
                } catch (IllegalArgumentException e) {
                    return raw;
                }
            }
            return raw;
        } catch (MessagingException | IOException | RuntimeException e) {
            return new byte[0];
        }
    }

    private static byte[] readAll(InputStream in, int cap) throws IOException {
        try (InputStream input = in) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            int n;
            while (out.size() < cap && (n = input.read(buffer, 0, Math.min(buffer.length, cap - out.size()))) > 0) {
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        }
    }

    private static String charsetOf(Part part) {
        try {
            String ct = safeContentTypeOrText(part);
            String charset = new ContentType(ct).getParameter("charset");
            return charset == null ? "" : charset.strip();
        } catch (Exception e) {
            Matcher m = CHARSET_PARAMETER.matcher(safeContentTypeOrText(part));
            return m.find() ? m.group(1) : "";
        }
    }

    static String decodeCharset(byte[] bytes, String charsetName) {
        Charset charset = null;
        if (charsetName != null && !charsetName.isBlank()) {
            try {
                charset = Charset.forName(MimeUtility.javaCharset(charsetName));
            } catch (RuntimeException e) {
                charset = null;
            }
        }
        if (charset != null && !charset.equals(StandardCharsets.US_ASCII)) {
            return new String(bytes, charset);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
    }

    /** For a multipart whose structure could not be parsed: drop boundary and part-header lines. */
    private static String stripMimeNoise(String raw) {
        StringBuilder out = new StringBuilder();
        for (String line : raw.split("\r?\n")) {
            String l = line.strip();
            if (l.startsWith("--") || isMimeHeaderLine(l)) {
                continue;
            }
            out.append(line).append('\n');
        }
        String text = out.toString();
        return text.contains("<") && text.toLowerCase(Locale.ROOT).contains("<html") ? htmlToText(text) : text;
    }

    /** {@code Content-*:} or {@code MIME-Version:}, in any case. */
    private static boolean isMimeHeaderLine(String line) {
        if (line.regionMatches(true, 0, "mime-version:", 0, 13)) {
            return true;
        }
        if (!line.regionMatches(true, 0, "content-", 0, 8)) {
            return false;
        }
        int i = 8;
        while (i < line.length() && (Character.isLetter(line.charAt(i)) && line.charAt(i) < 0x80 || line.charAt(i) == '-')) {
            i++;
        }
        return i > 8 && i < line.length() && line.charAt(i) == ':';
    }

    /** HTML to plain text: scripts, styles and head dropped; block elements become line breaks. */
    public static String htmlToText(String html) {
        Document doc = Jsoup.parse(html);
        doc.select("script, style, head, noscript, template, iframe, object, embed, svg").remove();
        StringBuilder out = new StringBuilder();
        NodeTraversor.traverse(new NodeVisitor() {
            @Override
            public void head(Node node, int depth) {
                if (node instanceof TextNode text) {
                    out.append(text.text());
                } else if (node instanceof Element element && BLOCK_TAGS.contains(element.normalName())) {
                    out.append('\n');
                }
            }

            @Override
            public void tail(Node node, int depth) {
                if (node instanceof Element element && BLOCK_TAGS.contains(element.normalName())
                        && !element.normalName().equals("br")) {
                    out.append('\n');
                }
            }
        }, doc.body() == null ? doc : doc.body());
        return out.toString();
    }

    /**
     * Line ends normalised, control characters other than tab and newline removed, blanks at line
     * ends dropped, three or more line breaks collapsed to two. One pass, linear in the text: the
     * regular expression this replaces ({@code [ \t]+\n}) retried every blank of a long run of blanks
     * without a line break and took seconds on 80 KB of spaces.
     */
    static String clean(String text) {
        StringBuilder out = new StringBuilder(text.length());
        int pendingBlanksFrom = -1; // where the blanks at the end of out start, -1 when none
        int newlines = 0;           // line breaks at the end of out
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\r') {
                if (i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    continue; // CR LF: the LF that follows is the line break
                }
                c = '\n';
            }
            if (c == '\n') {
                if (pendingBlanksFrom >= 0) {
                    out.setLength(pendingBlanksFrom);
                    pendingBlanksFrom = -1;
                }
                if (++newlines <= 2) {
                    out.append('\n');
                }
            } else if (c == ' ' || c == '\t' || c == '\u00a0') {
                if (pendingBlanksFrom < 0) {
                    pendingBlanksFrom = out.length();
                }
                out.append(c == '\u00a0' ? ' ' : c);
            } else if (!Character.isISOControl(c)) {
                pendingBlanksFrom = -1;
                newlines = 0;
                out.append(c);
            }
        }
        return out.toString().strip();
    }

    private static long safeSize(Message message) {
        try {
            return message.getSize();
        } catch (MessagingException | RuntimeException e) {
            return -1;
        }
    }

    private static String describe(Throwable e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + sanitize(m));
    }

    /** Builds a {@link MimeMailParser}. */
    public static final class Builder {
        private String mailbox = DEFAULT_MAILBOX;
        private int maxDepth = DEFAULT_MAX_DEPTH;
        private int maxTextBytes = DEFAULT_MAX_TEXT_BYTES;
        private int maxParts = DEFAULT_MAX_PARTS;

        /** The mailbox name in the ledger keys, default {@code INBOX}. */
        public Builder mailbox(String mailbox) {
            this.mailbox = Objects.requireNonNull(mailbox, "mailbox");
            return this;
        }

        /** How deep nested multiparts are followed, default 20; deeper parts are ignored. */
        public Builder maxDepth(int maxDepth) {
            this.maxDepth = maxDepth;
            return this;
        }

        /** How many bytes of one text part are read, default 2 MiB; the rest is ignored. */
        public Builder maxTextBytes(int maxTextBytes) {
            this.maxTextBytes = maxTextBytes;
            return this;
        }

        /** How many MIME parts of one mail are looked at, all levels together, default 1000; the rest are ignored. */
        public Builder maxParts(int maxParts) {
            this.maxParts = maxParts;
            return this;
        }

        public MimeMailParser build() {
            if (maxParts < 1) {
                throw new IllegalArgumentException("maxParts must be at least 1, was " + maxParts);
            }
            if (mailbox.isBlank()) {
                throw new IllegalArgumentException("mailbox must not be blank");
            }
            if (maxDepth < 1) {
                throw new IllegalArgumentException("maxDepth must be at least 1, was " + maxDepth);
            }
            if (maxTextBytes < 1024) {
                throw new IllegalArgumentException("maxTextBytes must be at least 1024, was " + maxTextBytes);
            }
            return new MimeMailParser(this);
        }
    }
}
