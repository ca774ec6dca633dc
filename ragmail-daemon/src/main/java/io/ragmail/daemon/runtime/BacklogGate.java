package io.ragmail.daemon.runtime;

import io.ragmail.core.InboundMail;
import io.ragmail.core.MailAccount;
import io.ragmail.core.MailOutcome;
import io.ragmail.core.MailSource;
import io.ragmail.core.mail.MailSessions;
import io.ragmail.config.Backlog;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Store;
import jakarta.mail.search.ComparisonTerm;
import jakarta.mail.search.ReceivedDateTerm;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code ragmail.imap.backlog} without help from core: on the very first start the daemon records,
 * in {@code <data dir>/first-start.properties}, the folder's UIDVALIDITY and the lowest UID it will
 * answer (UIDNEXT for {@code since-start}, the first mail received within N days for {@code days:N},
 * 0 for {@code all}). {@link #filter} then wraps the mail source and holds back every older mail
 * before it reaches the ledger: it is neither answered nor acknowledged, so a person still sees it.
 * UIDs, not Date headers, decide, because a sender's clock cannot be trusted; if the folder is
 * recreated (new UIDVALIDITY) the arrival instant of the first start is compared with the Date header.
 *
 * <pre>{@code
 * BacklogGate gate = BacklogGate.open(dataDir, imapAccount, "INBOX", Backlog.SINCE_START, clock);
 * MailSource source = gate.filter(imapSource);
 * }</pre>
 */
public final class BacklogGate {

    public static final String FILE_NAME = "first-start.properties";
    private static final Logger log = LoggerFactory.getLogger(BacklogGate.class);
    private static final int LISTED = 20;

    /** What the first start recorded. */
    public record Boundary(Instant firstStart, String backlog, long uidValidity, long firstUid, int heldBack) {
    }

    private final Boundary boundary;
    private final AtomicLong heldBackThisRun = new AtomicLong();

    private BacklogGate(Boundary boundary) {
        this.boundary = boundary;
    }

    public Boundary boundary() {
        return boundary;
    }

    /** Mails held back as backlog since this process started. */
    public long heldBackThisRun() {
        return heldBackThisRun.get();
    }

    /**
     * Loads the boundary, or on the first start computes and stores it, listing the older unanswered
     * mail in the log.
     *
     * @throws MessagingException when the first start cannot read the folder (fatal: nothing may be answered blindly)
     */
    public static BacklogGate open(Path dataDir, MailAccount account, String folderName, Backlog backlog, Clock clock)
            throws IOException, MessagingException {
        Path file = dataDir.resolve(FILE_NAME);
        if (Files.isRegularFile(file)) {
            Properties p = new Properties();
            try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                p.load(r);
            }
            Boundary b = new Boundary(Instant.parse(p.getProperty("firstStart")), p.getProperty("backlog"),
                    Long.parseLong(p.getProperty("uidValidity")), Long.parseLong(p.getProperty("firstUid")),
                    Integer.parseInt(p.getProperty("heldBack", "0")));
            if (!b.backlog().equals(backlog.toString())) {
                log.info("ragmail.imap.backlog is now {}, but it only applies to the first start ({}, {}); unchanged",
                        backlog, b.firstStart(), b.backlog());
            }
            return new BacklogGate(b);
        }
        Instant now = clock.instant();
        Boundary b = measure(account, folderName, backlog, now);
        Properties p = new Properties();
        p.setProperty("firstStart", b.firstStart().toString());
        p.setProperty("backlog", b.backlog());
        p.setProperty("uidValidity", Long.toString(b.uidValidity()));
        p.setProperty("firstUid", Long.toString(b.firstUid()));
        p.setProperty("heldBack", Integer.toString(b.heldBack()));
        Path tmp = dataDir.resolve(FILE_NAME + ".tmp");
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            p.store(w, "written once by ragmail's first start: mail below firstUid is never answered (ragmail.imap.backlog)");
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return new BacklogGate(b);
    }

    private static Boundary measure(MailAccount account, String folderName, Backlog backlog, Instant now)
            throws MessagingException {
        Store store = MailSessions.imap(account, Duration.ofSeconds(15), Duration.ofSeconds(60))
                .getStore(MailSessions.imapProtocol(account));
        store.connect(account.host(), account.port(), account.user(), account.password());
        try {
            IMAPFolder folder = (IMAPFolder) store.getFolder(folderName);
            folder.open(Folder.READ_ONLY);
            try {
                long uidValidity = folder.getUIDValidity();
                long uidNext = folder.getUIDNext();
                long firstUid = switch (backlog.kind()) {
                    case "all" -> 0;
                    case "days" -> {
                        Message[] recent = folder.search(new ReceivedDateTerm(ComparisonTerm.GE,
                                Date.from(now.minus(Duration.ofDays(backlog.days())))));
                        long min = uidNext;
                        for (Message m : recent) {
                            min = Math.min(min, folder.getUID(m));
                        }
                        yield min;
                    }
                    default -> uidNext;
                };
                List<String> older = new ArrayList<>();
                int count = 0;
                if (firstUid > 1) {
                    Message[] held = folder.getMessagesByUID(1, firstUid - 1);
                    for (Message m : held) {
                        if (m == null || m.isSet(jakarta.mail.Flags.Flag.DELETED)) {
                            continue;
                        }
                        count++;
                        if (older.size() < LISTED) {
                            older.add(String.format("  %s  %s", m.getReceivedDate() == null ? "?" : m.getReceivedDate().toInstant(),
                                    oneLine(m.getSubject())));
                        }
                    }
                }
                if (count > 0) {
                    log.warn("first start with ragmail.imap.backlog={}: {} older mails in {} are left for a person and will not be "
                            + "answered (first {} listed):\n{}", backlog, count, folderName, older.size(), String.join("\n", older));
                } else {
                    log.info("first start with ragmail.imap.backlog={}: no older mail in {}", backlog, folderName);
                }
                return new Boundary(now, backlog.toString(), uidValidity, firstUid, count);
            } finally {
                folder.close(false);
            }
        } finally {
            store.close();
        }
    }

    private static String oneLine(String s) {
        String t = s == null ? "(no subject)" : s.replaceAll("[\\r\\n\\t]+", " ");
        return t.length() > 80 ? t.substring(0, 79) + "…" : t;
    }

    /** Whether a mail belongs to the backlog the first start left alone. */
    public boolean isBacklog(InboundMail mail) {
        String ref = mail.sourceRef();
        int colon = ref.indexOf(':');
        if (colon > 0) {
            try {
                long validity = Long.parseLong(ref.substring(0, colon));
                long uid = Long.parseLong(ref.substring(colon + 1));
                if (validity == boundary.uidValidity()) {
                    return uid < boundary.firstUid();
                }
            } catch (NumberFormatException e) {
                // not an IMAP reference: fall through to the date
            }
        }
        if (boundary.backlog().equals("all")) {
            return false;
        }
        Instant cutoff = boundary.backlog().startsWith("days:")
                ? boundary.firstStart().minus(Duration.ofDays(Long.parseLong(boundary.backlog().substring(5))))
                : boundary.firstStart();
        return mail.sentAt() != null && mail.sentAt().isBefore(cutoff);
    }

    /** The source, without the backlog. */
    public MailSource filter(MailSource source) {
        return new MailSource() {
            @Override
            public List<InboundMail> poll(Duration maxWait) throws InterruptedException {
                List<InboundMail> mails = source.poll(maxWait);
                List<InboundMail> kept = new ArrayList<>(mails.size());
                for (InboundMail mail : mails) {
                    if (isBacklog(mail)) {
                        heldBackThisRun.incrementAndGet();
                        log.debug("{} predates the first start ({}); left for a person", mail.key(), boundary.backlog());
                    } else {
                        kept.add(mail);
                    }
                }
                return kept;
            }

            @Override
            public void acknowledge(InboundMail mail, MailOutcome outcome) {
                source.acknowledge(mail, outcome);
            }

            @Override
            public String name() {
                return source.name();
            }

            @Override
            public void close() {
                try {
                    source.close();
                } catch (Exception e) {
                    log.warn("closing the mail source failed: {}", e.toString());
                }
            }
        };
    }
}
