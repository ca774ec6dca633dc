package io.ragmail.core.imap;

import io.ragmail.core.AuthenticationException;
import io.ragmail.core.Component;
import io.ragmail.core.InboundMail;
import io.ragmail.core.MailAccount;
import io.ragmail.core.MailOutcome;
import io.ragmail.core.MailSource;
import io.ragmail.core.RetriableException;
import io.ragmail.core.internal.Settings;
import io.ragmail.core.mail.MailErrors;
import io.ragmail.core.mail.MailSessions;
import io.ragmail.core.mime.MimeMailParser;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.FetchProfile;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessageRemovedException;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.UIDFolder;
import jakarta.mail.event.MessageCountAdapter;
import jakarta.mail.event.MessageCountEvent;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.search.AndTerm;
import jakarta.mail.search.ComparisonTerm;
import jakarta.mail.search.FlagTerm;
import jakarta.mail.search.HeaderTerm;
import jakarta.mail.search.ReceivedDateTerm;
import jakarta.mail.search.SearchTerm;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * A {@link MailSource} reading one IMAP folder.
 *
 * <p>{@link #poll(Duration)} waits with IMAP IDLE where the server has it (renewed every
 * {@code idleRenewal}, well inside the 29-minute limit) and polls every {@code pollInterval}
 * otherwise. On the first connection, and whenever the folder's UIDVALIDITY changes, it yields
 * every mail not yet handled (see below) that reached the folder after {@code startAfter}; afterwards
 * each new UID once, whether or not someone has read it meanwhile. Mail larger than
 * {@code maxMessageBytes} is yielded from its headers alone, with an
 * {@linkplain InboundMail#unreadableReason() unreadable reason}; its body is never fetched. The
 * folder is opened read-only for reading, so reading never sets {@code \Seen}.
 *
 * <p><b>What counts as handled.</b> Where the folder stores keywords ({@code PERMANENTFLAGS}
 * with {@code \*}, as Dovecot, Cyrus, Gmail and most servers do), every acknowledgement leaves a
 * keyword: {@code $RagmailDone} for {@link MailOutcome#ANSWERED} and {@link MailOutcome#IGNORED}
 * (besides {@code \Seen} with {@link Acknowledgement#seen()}), {@code $RagmailUnanswered} for
 * {@link MailOutcome#NEEDS_PERSON}, which is never marked read or moved, so it stays in front of
 * a person (most clients show the keyword as a tag). The start-up scan looks for mail without these
 * keywords, so mail a colleague read while ragmail was down is still processed. Without keyword
 * support, {@code \Seen} is the only mark: the scan then yields unread mail only, and mail that
 * needs a person stays unread and is yielded again after each restart (the ledger recognises it).
 *
 * <p><b>Where the work happens.</b> The reading connection only fetches: each mail's bytes are
 * parsed on a small pool of {@code parseThreads} threads, so a slow or huge mail never holds up the
 * next {@code poll}, nor other mail of the same batch; a mail still being parsed is yielded by a later
 * {@code poll}. Mail is therefore not necessarily yielded in UID order. A mail whose fetch the server refuses for now (for example {@code NO [UNAVAILABLE]})
 * stays pending and is fetched again by the next {@code poll}; when nothing else could be yielded,
 * {@code poll} throws {@link RetriableException}. Only a mail whose fetch fails
 * {@value #MAX_FETCH_ATTEMPTS} times in a row without such a temporary response code is yielded
 * as unreadable.
 *
 * <p>A dropped connection or a restarted server makes {@code poll} throw {@link RetriableException};
 * the next call reconnects. Rejected credentials throw {@link io.ragmail.core.AuthenticationException}.
 * An interrupted {@code poll} returns promptly with {@link InterruptedException}.
 * {@link #acknowledge(InboundMail, MailOutcome)} is thread-safe and uses its own connection, so it
 * never waits for an IDLE in progress or a parse; acknowledgements from several threads at once are
 * combined, and each call returns once its own mail is acknowledged, or throws
 * {@link RetriableException} when that failed. Passwords never appear in logs or exception messages.
 *
 * <pre>{@code
 * MailAccount account = new MailAccount("imap.example.com", 993, MailSecurity.SSL, "support@example.com", secret);
 * try (ImapMailSource source = ImapMailSource.builder()
 *         .account(account)
 *         .acknowledgement(Acknowledgement.keyword("$RagmailDone"))
 *         .startAfter(firstStart)          // a first start does not yield months-old mail
 *         .build()) {
 *     for (InboundMail mail : source.poll(Duration.ofMinutes(1))) {
 *         handle(mail);
 *         source.acknowledge(mail, MailOutcome.ANSWERED);
 *     }
 * }
 * }</pre>
 */
public final class ImapMailSource implements MailSource {

    private static final Logger LOG = LoggerFactory.getLogger(ImapMailSource.class);
    private static final String COMPONENT = Component.IMAP;

    public static final String DEFAULT_FOLDER = "INBOX";
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(30);
    public static final Duration DEFAULT_IDLE_RENEWAL = Duration.ofMinutes(10);
    public static final Duration MAX_IDLE_RENEWAL = Duration.ofMinutes(29);
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(15);
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(60);
    public static final long DEFAULT_MAX_MESSAGE_BYTES = 25L * 1024 * 1024;
    public static final int DEFAULT_MAX_BATCH = 50;
    /** Threads that parse fetched mail, default 2. */
    public static final int DEFAULT_PARSE_THREADS = 2;
    /** The keyword that marks mail a person must see: handled, but not answered. */
    public static final String DEFAULT_UNANSWERED_KEYWORD = "$RagmailUnanswered";
    /** A mail whose fetch failed this often in a row (without a temporary response code) is yielded as unreadable. */
    public static final int MAX_FETCH_ATTEMPTS = 3;
    /** At most this many bytes of a batch's mail are fetched in one command. */
    private static final long PREFETCH_BYTES = 8L * 1024 * 1024;
    /** Fetched bytes waiting for (or in) a parse, at most; one mail of up to maxMessageBytes is always admitted. */
    private static final long PARSE_BACKLOG_BYTES = 32L * 1024 * 1024;
    /**
     * How long {@code poll} waits for a parse that just started before it goes into IDLE: most mail
     * parses in a few milliseconds, and starting and ending an IDLE costs two round trips.
     */
    private static final long PARSE_GRACE_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    /**
     * RFC 5530 response codes that say "not now" rather than "never". Jakarta Mail hands a failed
     * FETCH over as text only, so the code is read from the server's response text.
     */
    private static final Pattern TEMPORARY_RESPONSE = Pattern.compile("\\[(UNAVAILABLE|INUSE|LIMIT|SERVERBUG)]");

    private final MailAccount account;
    private final String folderName;
    private final Acknowledgement acknowledgement;
    private final String unansweredKeyword;
    private final Instant startAfter;
    private final Duration pollInterval;
    private final Duration idleRenewal;
    private final Duration connectTimeout;
    private final Duration readTimeout;
    private final long maxMessageBytes;
    private final int maxBatch;
    private final boolean useIdle;
    private final MimeMailParser parser;
    private final Session pollSession;
    private final Session ackSession;
    private final Consumer<byte[]> parseHook;
    private final Runnable idleHook;

    // poll side: guarded by pollLock
    private final Object pollLock = new Object();
    private IMAPStore store;
    private IMAPFolder folder;
    private boolean idleSupported;
    private long uidValidity = -1;
    private long highestUid;
    // fingerprint of the last mail yielded, to notice a mailbox replaced under the same UIDVALIDITY
    private long lastYieldedUid;
    private String lastYieldedMessageId = "";
    private final TreeSet<Long> pending = new TreeSet<>();
    // UIDs whose bytes were fetched and are being parsed on the parse pool, in UID order
    private final TreeMap<Long, Parse> parsing = new TreeMap<>();
    private long parsingBytes;
    // UID -> how often fetching its body failed in a row
    private final Map<Long, Integer> fetchFailures = new HashMap<>();
    // EXISTS notifications seen on the reading connection (counted by a listener)
    private final AtomicLong arrivals = new AtomicLong();
    private long arrivalsAtScan;
    // tagged NO/BAD answers on the reading connection: Jakarta Mail reads a refused body fetch as an
    // empty body, so the refusal (and its response code) is only seen here
    private final AtomicLong refusals = new AtomicLong();
    private volatile String lastRefusal = "";
    // completed when a parse finishes or mail arrives, to end a wait early
    private volatile CompletableFuture<Void> wake = new CompletableFuture<>();
    private final ExecutorService parsers;

    /** A mail whose bytes were fetched and whose parse runs (or ran) on the parse pool. */
    private record Parse(long uid, long bytes, CompletableFuture<InboundMail> result) {
    }

    // acknowledgement side: guarded by ackLock
    private static final int MAX_ACK_BATCH = 256;
    private final Object ackLock = new Object();
    private final ConcurrentLinkedQueue<AckRequest> ackQueue = new ConcurrentLinkedQueue<>();
    private IMAPStore ackStore;
    private IMAPFolder ackFolder;
    private volatile Acknowledgement effectiveAck;
    // whether the folder keeps keywords; learned from PERMANENTFLAGS on the acknowledging connection
    private volatile boolean keywordsStored;

    private volatile boolean closed;

    private ImapMailSource(Builder b) {
        this.account = b.account;
        this.folderName = b.folder;
        this.acknowledgement = b.acknowledgement;
        this.unansweredKeyword = b.unansweredKeyword;
        this.startAfter = b.startAfter;
        this.pollInterval = b.pollInterval;
        this.idleRenewal = b.idleRenewal;
        this.connectTimeout = b.connectTimeout;
        this.readTimeout = b.readTimeout;
        this.maxMessageBytes = b.maxMessageBytes;
        this.maxBatch = b.maxBatch;
        this.useIdle = b.useIdle;
        this.parseHook = b.parseHook;
        this.idleHook = b.idleHook;
        this.parser = MimeMailParser.builder().mailbox(b.mailboxName != null ? b.mailboxName : defaultMailboxName(account, b.folder)).build();
        // IDLE reads nothing until the server speaks, so the reading connection's socket timeout must
        // outlast one IDLE period; the acknowledging connection keeps the configured read timeout.
        Duration idleReadTimeout = readTimeout.compareTo(idleRenewal.plusSeconds(30)) > 0
                ? readTimeout : idleRenewal.plusSeconds(30);
        this.pollSession = MailSessions.imap(account, connectTimeout, idleReadTimeout);
        // reading must never mark mail \Seen, even on servers that ignore EXAMINE's read-only state
        this.pollSession.getProperties().put("mail." + MailSessions.imapProtocol(account) + ".peek", "true");
        this.ackSession = MailSessions.imap(account, connectTimeout, readTimeout);
        this.effectiveAck = acknowledgement;
        AtomicInteger threadNumber = new AtomicInteger();
        // daemon threads: a source somebody forgot to close must not keep the JVM alive; the queue
        // is bounded in effect by PARSE_BACKLOG_BYTES and maxBatch (see fetchPending)
        this.parsers = new ThreadPoolExecutor(b.parseThreads, b.parseThreads, 0, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(), runnable -> {
                    Thread thread = new Thread(runnable, "ragmail-imap-parse-" + threadNumber.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String name() {
        return COMPONENT;
    }

    /** The acknowledgement in force: the configured one, or {@code \Seen} when keywords are not stored. */
    public Acknowledgement effectiveAcknowledgement() {
        return effectiveAck;
    }

    // ------------------------------------------------------------------ poll

    @Override
    public List<InboundMail> poll(Duration maxWait) throws InterruptedException {
        Objects.requireNonNull(maxWait, "maxWait");
        synchronized (pollLock) {
            if (closed) {
                throw new IllegalStateException("source is closed");
            }
            checkInterrupt();
            long deadline = System.nanoTime() + Math.max(0, maxWait.toNanos());
            try {
                connectIfNeeded();
                List<InboundMail> mail = collect();
                while (mail.isEmpty()) {
                    long remaining = deadline - System.nanoTime();
                    if (remaining <= 0) {
                        break;
                    }
                    waitForNews(remaining);
                    checkInterrupt();
                    mail = collect();
                }
                return mail;
            } catch (MessagingException | IllegalStateException e) {
                if (closed) {
                    throw new IllegalStateException("source is closed", e);
                }
                abandonConnection();
                throw new RetriableException(COMPONENT, "IMAP " + where() + " failed: " + safe(e), e);
            }
        }
    }

    /**
     * Waits until mail may have arrived or a parse finished, or {@code remaining} nanoseconds passed.
     *
     * <p>An EXISTS the server sent while we were busy with other commands (or, on some servers, right
     * before IDLE's continuation) is consumed by Jakarta Mail without ending an IDLE: the listener
     * counts it in {@link #arrivals}, and an arrival since the last scan skips the wait, or ends it.
     */
    private void waitForNews(long remaining) throws InterruptedException, MessagingException {
        CompletableFuture<Void> signal = new CompletableFuture<>();
        wake = signal; // armed before the checks below, so a completion after them still ends the wait
        if (arrivals.get() != arrivalsAtScan || anyParseDone()) {
            return;
        }
        if (!parsing.isEmpty()) {
            try {
                signal.get(Math.min(remaining, PARSE_GRACE_NANOS), TimeUnit.NANOSECONDS);
                return;
            } catch (TimeoutException e) {
                remaining -= PARSE_GRACE_NANOS;
                if (remaining <= 0) {
                    return;
                }
            } catch (ExecutionException e) {
                return;
            }
        }
        if (idleSupported) {
            idleHook.run();
            idle(Math.min(remaining, idleRenewal.toNanos()), signal);
        } else {
            try {
                signal.get(Math.min(remaining, pollInterval.toNanos()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException | ExecutionException e) {
                // time to look again
            }
        }
    }

    private boolean anyParseDone() {
        for (Parse p : parsing.values()) {
            if (p.result().isDone()) {
                return true;
            }
        }
        return false;
    }

    private void signalWake() {
        wake.complete(null);
    }

    private void checkInterrupt() throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException("poll interrupted");
        }
    }

    private void connectIfNeeded() throws MessagingException {
        if (folder != null && folder.isOpen()) {
            return;
        }
        abandonConnection();
        synchronized (ackLock) {
            // learns PERMANENTFLAGS and creates the move target before the first scan
            ensureAckConnection();
        }
        IMAPStore s = openStore(pollSession);
        try {
            IMAPFolder f = (IMAPFolder) s.getFolder(folderName);
            f.open(Folder.READ_ONLY);
            f.addMessageCountListener(new MessageCountAdapter() {
                @Override
                public void messagesAdded(MessageCountEvent e) {
                    arrivals.incrementAndGet();
                    signalWake();
                }
            });
            f.doCommand(p -> {
                p.addResponseHandler(r -> {
                    if (r.isTagged() && (r.isNO() || r.isBAD())) {
                        lastRefusal = r.toString();
                        refusals.incrementAndGet();
                    }
                });
                return null;
            });
            idleSupported = useIdle && s.hasCapability("IDLE");
            long validity = f.getUIDValidity();
            long uidNext = f.getUIDNext();
            if (validity != uidValidity || (uidNext > 0 && uidNext <= highestUid) || mailboxReplaced(f)) {
                if (uidValidity != -1) {
                    LOG.info("IMAP folder {} changed (UIDVALIDITY {} -> {}); yielding every unacknowledged mail again",
                            folderName, uidValidity, validity);
                }
                fullScan(f, validity);
            }
            store = s;
            folder = f;
            LOG.info("IMAP connected to {} folder {} (IDLE {})", where(), folderName,
                    idleSupported ? "supported" : "not supported, polling every " + pollInterval);
        } catch (MessagingException | RuntimeException e) {
            closeQuietly(s);
            throw e;
        }
    }

    /**
     * Some servers (and GreenMail after a restart) recreate a mailbox without changing UIDVALIDITY:
     * the UID of the last mail yielded then holds a different mail.
     */
    private boolean mailboxReplaced(IMAPFolder f) throws MessagingException {
        if (lastYieldedUid <= 0) {
            return false;
        }
        Message m = f.getMessageByUID(lastYieldedUid);
        if (m == null) {
            // gone: moved away by a move acknowledgement is normal, otherwise the mailbox changed
            return !(effectiveAck instanceof Acknowledgement.MoveTo);
        }
        String[] ids = m.getHeader("Message-ID");
        String id = ids == null || ids.length == 0 ? "" : ids[0].strip();
        if (!id.equals(lastYieldedMessageId)) {
            LOG.warn("IMAP folder {} at {} was replaced without a new UIDVALIDITY; yielding every unacknowledged mail again",
                    folderName, where());
            return true;
        }
        return false;
    }

    private IMAPStore openStore(Session session) throws MessagingException {
        IMAPStore s = (IMAPStore) session.getStore(MailSessions.imapProtocol(account));
        try {
            s.connect(account.host(), account.port(), account.user(), account.password());
        } catch (AuthenticationFailedException e) {
            throw new AuthenticationException(COMPONENT, "IMAP login as '" + account.user() + "' at " + where()
                    + " was rejected: " + safe(e), e);
        }
        return s;
    }

    /** Every unhandled mail up to the current highest UID, received after {@code startAfter}, becomes pending. */
    private void fullScan(IMAPFolder f, long validity) throws MessagingException {
        boolean sameMailbox = validity == uidValidity;
        pending.clear();
        fetchFailures.clear();
        int count = f.getMessageCount();
        long highest = 0;
        if (count > 0) {
            highest = f.getUID(f.getMessage(count));
            Message[] unhandled = f.search(unhandledTerm());
            FetchProfile fp = new FetchProfile();
            fp.add(UIDFolder.FetchProfileItem.UID);
            if (startAfter != null) {
                fp.add(IMAPFolder.FetchProfileItem.INTERNALDATE);
            }
            f.fetch(unhandled, fp);
            for (Message m : unhandled) {
                long uid = f.getUID(m);
                if (uid <= 0 || uid > highest || (sameMailbox && parsing.containsKey(uid))) {
                    continue;
                }
                if (startAfter != null) {
                    // SEARCH SINCE counts whole days in the server's time zone: the exact cut is made here
                    Date received = m.getReceivedDate();
                    if (received != null && received.toInstant().isBefore(startAfter)) {
                        continue;
                    }
                }
                pending.add(uid);
            }
        }
        uidValidity = validity;
        highestUid = highest;
        lastYieldedUid = 0;
        lastYieldedMessageId = "";
    }

    /** Mail that no acknowledgement has marked yet (see the class comment), and when asked, only recent mail. */
    private SearchTerm unhandledTerm() {
        Acknowledgement ack = effectiveAck;
        Flags marks = new Flags(Flags.Flag.DELETED); // a previous version's move, half done
        if (keywordsStored) {
            marks.add(unansweredKeyword);
            if (ack instanceof Acknowledgement.Keyword k) {
                marks.add(k.keyword());
            } else if (ack instanceof Acknowledgement.Seen) {
                marks.add(Acknowledgement.DEFAULT_KEYWORD);
            }
        } else if (ack instanceof Acknowledgement.Seen) {
            marks.add(Flags.Flag.SEEN); // the only mark there is
        }
        SearchTerm term = new FlagTerm(marks, false); // none of the marks set
        if (startAfter != null) {
            // one day early: SINCE is a date in the server's time zone; the exact cut is client-side
            term = new AndTerm(term, new ReceivedDateTerm(ComparisonTerm.GE,
                    Date.from(startAfter.minus(Duration.ofDays(1)))));
        }
        return term;
    }

    /** Starts fetching and parsing what is pending, and returns the mail whose parse is done, in UID order. */
    private List<InboundMail> collect() throws MessagingException {
        fetchPending();
        List<InboundMail> result = new ArrayList<>();
        for (Iterator<Parse> it = parsing.values().iterator(); it.hasNext(); ) {
            Parse p = it.next();
            if (!p.result().isDone()) {
                continue;
            }
            it.remove();
            parsingBytes -= p.bytes();
            InboundMail mail = p.result().join(); // the parse task never completes exceptionally
            result.add(mail);
            if (p.uid() > lastYieldedUid) {
                lastYieldedUid = p.uid();
                lastYieldedMessageId = mail.headers().first("Message-ID").map(String::strip).orElse("");
            }
        }
        return result;
    }

    private void fetchPending() throws MessagingException {
        // counted before the UID range query: an EXISTS handled after this instant may not be in its answer
        arrivalsAtScan = arrivals.get();
        Message[] fresh = folder.getMessagesByUID(highestUid + 1, UIDFolder.MAXUID);
        for (Message m : fresh) {
            if (m != null) {
                long uid = folder.getUID(m);
                if (uid > highestUid) {
                    pending.add(uid);
                    highestUid = uid;
                }
            }
        }
        if (pending.isEmpty() || parsing.size() >= maxBatch) {
            return;
        }
        List<Long> batch = new ArrayList<>();
        for (Long uid : pending) {
            if (batch.size() + parsing.size() >= maxBatch) {
                break;
            }
            batch.add(uid);
        }
        Message[] messages = folder.getMessagesByUID(batch.stream().mapToLong(Long::longValue).toArray());
        FetchProfile fp = new FetchProfile();
        fp.add(UIDFolder.FetchProfileItem.UID);
        fp.add(FetchProfile.Item.SIZE);
        List<Message> present = new ArrayList<>();
        for (int i = 0; i < messages.length; i++) {
            Message m = messages[i];
            if (m != null && !m.isExpunged()) {
                present.add(m);
            } else {
                pending.remove(batch.get(i)); // expunged meanwhile (moved by an acknowledgement, deleted)
                fetchFailures.remove(batch.get(i));
            }
        }
        folder.fetch(present.toArray(new Message[0]), fp);
        List<Message> admitted = new ArrayList<>();
        long budget = Math.max(PARSE_BACKLOG_BYTES, maxMessageBytes) - parsingBytes;
        for (Message m : present) {
            long size = Math.max(0, m.getSize());
            long loaded = size > maxMessageBytes ? 0 : size;
            if (loaded > budget && !(parsing.isEmpty() && admitted.isEmpty())) {
                break; // the rest waits until parses finish: bounded memory
            }
            budget -= loaded;
            admitted.add(m);
        }
        prefetchBodies(admitted);
        int temporaryFailures = 0;
        String lastFailure = null;
        for (Message m : admitted) {
            long uid = folder.getUID(m);
            FetchOutcome outcome = fetch((MimeMessage) m, uid);
            if (outcome.retryLater()) {
                temporaryFailures++;
                lastFailure = outcome.failure();
                continue;
            }
            pending.remove(uid);
            fetchFailures.remove(uid);
            if (outcome.parse() != null) {
                parsing.put(uid, outcome.parse());
                parsingBytes += outcome.parse().bytes();
            }
        }
        if (temporaryFailures > 0 && temporaryFailures == admitted.size() && parsing.isEmpty()) {
            // nothing to hand out: tell the caller, who backs off, instead of waiting in IDLE
            throw new RetriableException(COMPONENT, "IMAP " + where() + " could not hand out " + temporaryFailures
                    + " message(s) for now: " + lastFailure);
        }
    }

    /**
     * What became of one mail's fetch: a parse started (or, for a headers-only mail, already done),
     * nothing (it vanished), or a failure after which it stays pending.
     */
    private record FetchOutcome(Parse parse, boolean retryLater, String failure) {
        static final FetchOutcome GONE = new FetchOutcome(null, false, null);
    }

    /**
     * Fetches the whole of the batch's smaller messages (up to {@value #PREFETCH_BYTES} bytes together)
     * in one command instead of one round trip per message. Should that fail while the connection
     * stays up, each message is read on its own as before, so one odd message cannot stop the rest.
     */
    private void prefetchBodies(List<Message> present) throws MessagingException {
        List<Message> small = new ArrayList<>();
        long budget = PREFETCH_BYTES;
        for (Message m : present) {
            int size = m.getSize();
            if (size >= 0 && size <= maxMessageBytes && size <= budget) {
                small.add(m);
                budget -= size;
            }
        }
        if (small.size() < 2) {
            return;
        }
        FetchProfile whole = new FetchProfile();
        whole.add(IMAPFolder.FetchProfileItem.MESSAGE);
        try {
            folder.fetch(small.toArray(new Message[0]), whole);
        } catch (MessagingException | RuntimeException e) {
            if (!folder.isOpen() || !store.isConnected()) {
                throw e instanceof MessagingException me ? me : new MessagingException("prefetch failed", e);
            }
            LOG.debug("fetching {} messages at once failed; reading them one by one: {}", small.size(), safe(e));
        }
    }

    /** Fetches one message's bytes here, on the reading connection, and leaves the parse to the pool. */
    private FetchOutcome fetch(MimeMessage m, long uid) throws MessagingException {
        String ref = uidValidity + ":" + uid;
        try {
            long size = m.getSize();
            if (size > maxMessageBytes) {
                InboundMail mail = parser.headersOnly(m, ref, size,
                        "message of " + size + " bytes exceeds the limit of " + maxMessageBytes + " bytes");
                signalWake();
                return new FetchOutcome(new Parse(uid, 0, CompletableFuture.completedFuture(mail)), false, null);
            }
            ByteArrayOutputStream raw = new ByteArrayOutputStream(size > 0 ? (int) size : 8192);
            long refusalsBefore = refusals.get();
            m.writeTo(raw);
            byte[] bytes = raw.toByteArray();
            if (refusals.get() != refusalsBefore || (bytes.length == 0 && size > 0)) {
                return fetchFailed(m, uid, ref, new MessagingException("the server refused the fetch: "
                        + lastRefusal.strip()));
            }
            return new FetchOutcome(new Parse(uid, bytes.length, parseLater(bytes, ref)), false, null);
        } catch (MessageRemovedException e) {
            return FetchOutcome.GONE;
        } catch (IOException e) {
            if (!folder.isOpen()) {
                throw new MessagingException("connection lost while reading UID " + uid, e);
            }
            return fetchFailed(m, uid, ref, e);
        } catch (MessagingException e) {
            if (!folder.isOpen() || !store.isConnected()) {
                throw e;
            }
            return fetchFailed(m, uid, ref, e);
        }
    }

    /**
     * A fetch the server refused while the connection stayed up: tried again later, unless it failed
     * {@value #MAX_FETCH_ATTEMPTS} times in a row without a temporary response code.
     */
    private FetchOutcome fetchFailed(MimeMessage m, long uid, String ref, Exception e) throws MessagingException {
        String failure = safe(e);
        int attempts = fetchFailures.merge(uid, 1, Integer::sum);
        if (isTemporary(e) || attempts < MAX_FETCH_ATTEMPTS) {
            LOG.info("IMAP fetch of UID {} in {} failed (attempt {}), will try again: {}", uid, folderName, attempts, failure);
            return new FetchOutcome(null, true, failure);
        }
        LOG.warn("IMAP fetch of UID {} in {} failed {} times; yielding it as unreadable: {}", uid, folderName, attempts, failure);
        InboundMail mail = parser.headersOnly(m, ref, -1, "message could not be fetched: " + failure);
        return new FetchOutcome(new Parse(uid, 0, CompletableFuture.completedFuture(mail)), false, null);
    }

    private static boolean isTemporary(Throwable e) {
        Set<Throwable> seen = new java.util.HashSet<>();
        for (Throwable t = e; t != null && seen.add(t); t = t.getCause()) {
            if (t.getMessage() != null && TEMPORARY_RESPONSE.matcher(t.getMessage()).find()) {
                return true;
            }
            if (t instanceof java.net.SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }

    /** Parses on the pool; never completes exceptionally (a parser failure becomes an unreadable mail). */
    private CompletableFuture<InboundMail> parseLater(byte[] bytes, String ref) {
        CompletableFuture<InboundMail> result = new CompletableFuture<>();
        Runnable task = () -> {
            InboundMail mail;
            try {
                parseHook.accept(bytes);
                mail = parser.parse(bytes, ref);
            } catch (RuntimeException | Error e) {
                LOG.warn("parsing the mail at {} failed; yielding it as unreadable", ref, e);
                mail = parser.headersOnly(headerBytes(bytes), ref, bytes.length,
                        "message could not be parsed: " + e.getClass().getSimpleName());
            }
            result.complete(mail);
            signalWake();
        };
        try {
            parsers.execute(task);
        } catch (RejectedExecutionException e) {
            task.run(); // closing: finish here rather than lose the mail
        }
        return result;
    }

    /** The header section of a raw message (up to the first empty line). */
    private static byte[] headerBytes(byte[] raw) {
        for (int i = 0; i + 3 < raw.length; i++) {
            if (raw[i] == '\r' && raw[i + 1] == '\n' && raw[i + 2] == '\r' && raw[i + 3] == '\n') {
                return java.util.Arrays.copyOf(raw, i + 4);
            }
        }
        return raw;
    }

    /** One IDLE, ended by a server notification, by {@code signal}, by the time limit, or by an interrupt. */
    private void idle(long nanos, CompletableFuture<Void> signal) throws InterruptedException, MessagingException {
        IMAPFolder f = folder;
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread idler = new Thread(() -> {
            try {
                f.idle(true);
                done.complete(null);
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        }, "ragmail-imap-idle");
        idler.setDaemon(true);
        idler.start();
        try {
            CompletableFuture.anyOf(done, signal).get(nanos, TimeUnit.NANOSECONDS);
            if (!done.isDone()) {
                endIdle(f, done); // woken by a parse or an arrival that IDLE itself did not report
            } else {
                done.get();
            }
        } catch (InterruptedException e) {
            abandonConnection();
            throw e;
        } catch (TimeoutException e) {
            endIdle(f, done);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof MessagingException me) {
                throw me;
            }
            throw new MessagingException("IDLE failed: " + cause, cause instanceof Exception ex ? ex : null);
        }
    }

    /** Any command on the folder makes Jakarta Mail send DONE; repeat until the IDLE thread is out. */
    private void endIdle(IMAPFolder f, CompletableFuture<Void> done) throws InterruptedException, MessagingException {
        long deadline = System.nanoTime() + readTimeout.toNanos();
        while (!done.isDone()) {
            f.doCommand(p -> {
                p.simpleCommand("NOOP", null);
                return null;
            });
            try {
                done.get(200, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                if (System.nanoTime() > deadline) {
                    throw new MessagingException("IDLE did not end within " + readTimeout);
                }
            } catch (ExecutionException e) {
                return; // the connection problem, if any, shows on the next command
            } catch (InterruptedException e) {
                abandonConnection();
                throw e;
            }
        }
    }

    /** Drops the reading connection without waiting: closing may block on a dead socket. */
    private void abandonConnection() {
        IMAPStore s = store;
        store = null;
        folder = null;
        if (s != null) {
            Thread closer = new Thread(() -> closeQuietly(s), "ragmail-imap-close");
            closer.setDaemon(true);
            closer.start();
        }
    }

    // ------------------------------------------------------------------ acknowledge

    @Override
    public void acknowledge(InboundMail mail, MailOutcome outcome) {
        Objects.requireNonNull(mail, "mail");
        Objects.requireNonNull(outcome, "outcome");
        if (closed) {
            throw new IllegalStateException("source is closed");
        }
        // Acknowledgements are combined: whoever holds the connection acknowledges every waiting
        // mail in one command per outcome, so 32 workers cost one round trip, not 32 in a row.
        AckRequest mine = new AckRequest(mail, outcome, new CompletableFuture<>());
        ackQueue.add(mine);
        synchronized (ackLock) {
            while (!mine.done().isDone()) {
                List<AckRequest> batch = new ArrayList<>();
                AckRequest next;
                while (batch.size() < MAX_ACK_BATCH && (next = ackQueue.poll()) != null) {
                    batch.add(next);
                }
                acknowledgeBatch(batch);
            }
        }
        try {
            mine.done().join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    private record AckRequest(InboundMail mail, MailOutcome outcome, CompletableFuture<Void> done) {
    }

    /** Acknowledges {@code batch} (holding {@code ackLock}), completing every request's future. */
    private void acknowledgeBatch(List<AckRequest> batch) {
        if (closed) {
            batch.forEach(r -> r.done().completeExceptionally(new IllegalStateException("source is closed")));
            return;
        }
        MessagingException last = null;
        try {
            for (int attempt = 0; attempt < 2; attempt++) {
                try {
                    ensureAckConnection();
                    List<AckRequest> hide = batch.stream().filter(r -> r.outcome().mayHide()).toList();
                    List<AckRequest> keep = batch.stream().filter(r -> !r.outcome().mayHide()).toList();
                    if (!keep.isEmpty()) {
                        keepVisible(keep);
                    }
                    if (!hide.isEmpty()) {
                        acknowledgeOnce(hide);
                    }
                    batch.forEach(r -> r.done().complete(null));
                    return;
                } catch (MessagingException | IllegalStateException e) {
                    last = e instanceof MessagingException me ? me : new MessagingException(e.getMessage(), e);
                    LOG.debug("acknowledgement of {} mail(s) failed, reconnecting", batch.size(), e);
                    closeAck();
                }
            }
        } catch (RuntimeException | Error e) {
            batch.forEach(r -> r.done().completeExceptionally(e));
            return;
        }
        for (AckRequest r : batch) {
            r.done().completeExceptionally(new RetriableException(COMPONENT, "IMAP acknowledgement of " + r.mail().key()
                    + " at " + where() + " failed: " + safe(last), last));
        }
    }

    private void ensureAckConnection() throws MessagingException {
        if (ackFolder != null && ackFolder.isOpen()) {
            return;
        }
        closeAck();
        IMAPStore s = openStore(ackSession);
        try {
            IMAPFolder f = (IMAPFolder) s.getFolder(folderName);
            f.open(Folder.READ_WRITE);
            Flags permanent = f.getPermanentFlags();
            boolean keywords = permanent != null && permanent.contains(Flags.Flag.USER);
            Acknowledgement ack = acknowledgement;
            if (ack instanceof Acknowledgement.Keyword k && !keywords) {
                LOG.warn("IMAP folder {} at {} cannot store keywords (PERMANENTFLAGS lack \\*); "
                        + "acknowledging with \\Seen instead of {}", folderName, where(), k.keyword());
                ack = Acknowledgement.seen();
            } else if (!keywords) {
                LOG.warn("IMAP folder {} at {} cannot store keywords (PERMANENTFLAGS lack \\*): mail that needs a "
                        + "person is left unread and yielded again after each restart, and mail read by someone "
                        + "else before ragmail saw it counts as handled", folderName, where());
            }
            if (ack instanceof Acknowledgement.MoveTo move) {
                Folder target = s.getFolder(move.folder());
                if (!target.exists()) {
                    LOG.info("creating IMAP folder {} for acknowledged mail", move.folder());
                    if (!target.create(Folder.HOLDS_MESSAGES) && !target.exists()) {
                        throw new MessagingException("could not create folder " + move.folder());
                    }
                }
            }
            keywordsStored = keywords;
            effectiveAck = ack;
            ackStore = s;
            ackFolder = f;
        } catch (MessagingException | RuntimeException e) {
            closeQuietly(s);
            throw e;
        }
    }

    /** The batch's messages still in the folder: by UID where UIDVALIDITY matches, else by Message-ID. */
    private Message[] targets(List<AckRequest> batch) throws MessagingException {
        IMAPFolder f = ackFolder;
        Set<Message> targets = new LinkedHashSet<>();
        long validity = f.getUIDValidity();
        List<Long> uids = new ArrayList<>();
        for (AckRequest request : batch) {
            InboundMail mail = request.mail();
            long[] ref = parseRef(mail.sourceRef());
            if (ref != null && ref[0] == validity) {
                uids.add(ref[1]);
            } else if (!mail.key().isDigest()) {
                targets.addAll(List.of(f.search(new HeaderTerm("Message-ID", mail.key().messageId()))));
            }
        }
        if (!uids.isEmpty()) {
            long[] wanted = uids.stream().mapToLong(Long::longValue).toArray();
            Message[] found = f.getMessagesByUID(wanted);
            if (java.util.Arrays.stream(found).anyMatch(Objects::isNull)) {
                // Mail that arrived after this connection last spoke to the server: some servers
                // (GreenMail among them) send the EXISTS after the FETCH that names the new message,
                // and Jakarta Mail drops a FETCH for a message it has not heard of. A NOOP brings the
                // folder up to date; what is still missing then has really left the folder.
                f.doCommand(p -> {
                    p.simpleCommand("NOOP", null);
                    return null;
                });
                found = f.getMessagesByUID(wanted);
            }
            for (Message m : found) {
                if (m != null && !m.isExpunged()) {
                    targets.add(m);
                }
            }
        }
        return targets.toArray(new Message[0]);
    }

    /**
     * {@link MailOutcome#NEEDS_PERSON}: never {@code \Seen}, never moved; the unanswered keyword
     * remembers it as handled where the folder stores keywords. Without keywords nothing is set: the
     * mail is yielded again after a restart and the ledger recognises it.
     */
    private void keepVisible(List<AckRequest> batch) throws MessagingException {
        if (!keywordsStored) {
            LOG.debug("{} mail(s) need a person; left unread and unmarked (no keywords on this folder)", batch.size());
            return;
        }
        Message[] msgs = targets(batch);
        if (msgs.length > 0) {
            ackFolder.setFlags(msgs, new Flags(unansweredKeyword), true);
        }
        LOG.debug("marked {} message(s) {} and left them unread", msgs.length, unansweredKeyword);
    }

    private void acknowledgeOnce(List<AckRequest> batch) throws MessagingException {
        IMAPFolder f = ackFolder;
        Message[] msgs = targets(batch);
        if (msgs.length == 0) {
            // already moved, or deleted by someone: nothing left that could be yielded again
            LOG.debug("nothing to acknowledge for {} mail(s) (already moved or gone)", batch.size());
            return;
        }
        Acknowledgement ack = effectiveAck;
        if (ack instanceof Acknowledgement.Keyword k) {
            f.setFlags(msgs, new Flags(k.keyword()), true);
        } else if (ack instanceof Acknowledgement.MoveTo move) {
            Folder target = ackStore.getFolder(move.folder());
            if (ackStore.hasCapability("MOVE")) {
                f.moveMessages(msgs, target);
            } else {
                f.copyMessages(msgs, target);
                f.setFlags(msgs, new Flags(Flags.Flag.DELETED), true);
                if (ackStore.hasCapability("UIDPLUS")) {
                    f.expunge(msgs);
                } else {
                    f.expunge();
                }
            }
        } else {
            Flags flags = new Flags(Flags.Flag.SEEN);
            if (keywordsStored) {
                // the scan goes by this keyword, not by \Seen, which people set and clear as they read
                flags.add(Acknowledgement.DEFAULT_KEYWORD);
            }
            f.setFlags(msgs, flags, true);
        }
        LOG.debug("acknowledged {} message(s) ({})", msgs.length, ack);
    }

    private static long[] parseRef(String sourceRef) {
        int colon = sourceRef.indexOf(':');
        if (colon < 1) {
            return null;
        }
        try {
            return new long[] {Long.parseLong(sourceRef.substring(0, colon)), Long.parseLong(sourceRef.substring(colon + 1))};
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private void closeAck() {
        IMAPStore s = ackStore;
        ackStore = null;
        ackFolder = null;
        closeQuietly(s);
    }

    // ------------------------------------------------------------------ misc

    @Override
    public void close() {
        closed = true;
        parsers.shutdownNow();
        synchronized (ackLock) {
            closeAck();
        }
        abandonConnection();
    }

    private static void closeQuietly(IMAPStore s) {
        if (s == null) {
            return;
        }
        try {
            s.close();
        } catch (MessagingException | RuntimeException e) {
            LOG.debug("closing IMAP store failed", e);
        }
    }

    /**
     * The ledger's name for this mailbox: login and folder, so that two mailboxes sharing one ledger
     * never mix, while a server's host name can change without making old mail look new.
     */
    private static String defaultMailboxName(MailAccount account, String folder) {
        return account.user().isEmpty() ? folder : account.user() + "/" + folder;
    }

    private String where() {
        return account.host() + ":" + account.port();
    }

    /** An exception's message with the password, should a server ever echo it, masked. */
    private String safe(Throwable e) {
        if (e == null) {
            return "unknown error";
        }
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        Throwable cause = e.getCause();
        if (cause != null && cause.getMessage() != null && !message.contains(cause.getMessage())) {
            message = message + " (" + cause.getClass().getSimpleName() + ": " + cause.getMessage() + ")";
        }
        return MailErrors.mask(message, account);
    }

    @Override
    public String toString() {
        return "ImapMailSource[" + account + ", folder=" + folderName + ", " + acknowledgement + "]";
    }

    /** Builds an {@link ImapMailSource}; {@code account} is required. */
    public static final class Builder {
        private MailAccount account;
        private String folder = DEFAULT_FOLDER;
        private Acknowledgement acknowledgement = Acknowledgement.seen();
        private String unansweredKeyword = DEFAULT_UNANSWERED_KEYWORD;
        private Instant startAfter;
        private Duration pollInterval = DEFAULT_POLL_INTERVAL;
        private Duration idleRenewal = DEFAULT_IDLE_RENEWAL;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration readTimeout = DEFAULT_READ_TIMEOUT;
        private long maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES;
        private int maxBatch = DEFAULT_MAX_BATCH;
        private int parseThreads = DEFAULT_PARSE_THREADS;
        private boolean useIdle = true;
        private String mailboxName;
        private Consumer<byte[]> parseHook = raw -> { };
        private Runnable idleHook = () -> { };

        public Builder account(MailAccount account) { this.account = account; return this; }
        /** The folder to read, default {@code INBOX}. */
        public Builder folder(String folder) { this.folder = folder; return this; }

        /**
         * How answered and ignored mail is marked done, default {@link Acknowledgement#seen()} (which
         * also sets the keyword {@value Acknowledgement#DEFAULT_KEYWORD} where the folder stores keywords).
         */
        public Builder acknowledgement(Acknowledgement acknowledgement) { this.acknowledgement = acknowledgement; return this; }

        /**
         * The keyword that marks mail a person must see ({@link MailOutcome#NEEDS_PERSON}), default
         * {@value #DEFAULT_UNANSWERED_KEYWORD}; such mail is never marked read or moved.
         */
        public Builder unansweredKeyword(String keyword) { this.unansweredKeyword = keyword; return this; }

        /**
         * Mail that reached the folder (IMAP INTERNALDATE) before this instant is never yielded by a
         * start-up scan, handled or not; default none (every unhandled mail). For a daemon's backlog
         * setting: the instant of its first start ("only new mail"), now minus N days, or none ("all").
         * Mail arriving while the source runs is always yielded.
         */
        public Builder startAfter(Instant startAfter) { this.startAfter = startAfter; return this; }

        /** How often to look for mail when the server lacks IDLE, default 30 s. */
        public Builder pollInterval(Duration pollInterval) { this.pollInterval = pollInterval; return this; }
        /** The longest single IDLE, default 10 min, at most 29 min. */
        public Builder idleRenewal(Duration idleRenewal) { this.idleRenewal = idleRenewal; return this; }
        public Builder connectTimeout(Duration connectTimeout) { this.connectTimeout = connectTimeout; return this; }
        public Builder readTimeout(Duration readTimeout) { this.readTimeout = readTimeout; return this; }
        /** Larger mail is yielded from its headers only, default 25 MiB. */
        public Builder maxMessageBytes(long maxMessageBytes) { this.maxMessageBytes = maxMessageBytes; return this; }
        /** At most this many mails per {@code poll} (and in parsing at once), default 50; the rest come with the next calls. */
        public Builder maxBatch(int maxBatch) { this.maxBatch = maxBatch; return this; }
        /** Threads that parse fetched mail, default {@value #DEFAULT_PARSE_THREADS}. */
        public Builder parseThreads(int parseThreads) { this.parseThreads = parseThreads; return this; }
        /** Whether to wait with IDLE where the server has it, default {@code true}; else poll every {@code pollInterval}. */
        public Builder useIdle(boolean useIdle) { this.useIdle = useIdle; return this; }

        /**
         * The mailbox part of every {@link io.ragmail.core.MailKey} this source yields; default
         * {@code <user>/<folder>}. Keep it stable: the ledger recognises mail by it.
         */
        public Builder mailboxName(String mailboxName) { this.mailboxName = mailboxName; return this; }

        /** Test seam: runs on the parse thread before each mail is parsed (to simulate a slow parse). */
        Builder parseHook(Consumer<byte[]> hook) { this.parseHook = Objects.requireNonNull(hook, "parseHook"); return this; }

        /** Test seam: runs on the polling thread right before an IDLE starts (to deliver mail into that gap). */
        Builder idleHook(Runnable hook) { this.idleHook = Objects.requireNonNull(hook, "idleHook"); return this; }

        public ImapMailSource build() {
            Settings.required(account, "account");
            Settings.required(folder, "folder");
            Settings.required(acknowledgement, "acknowledgement");
            Settings.required(unansweredKeyword, "unansweredKeyword");
            if (folder.isBlank()) {
                throw new IllegalArgumentException("folder must not be blank");
            }
            if (mailboxName != null && mailboxName.isBlank()) {
                throw new IllegalArgumentException("mailboxName must not be blank");
            }
            if (acknowledgement instanceof Acknowledgement.MoveTo m && m.folder().equals(folder)) {
                throw new IllegalArgumentException("acknowledgement folder must differ from folder, was " + folder);
            }
            try {
                new Acknowledgement.Keyword(unansweredKeyword);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unansweredKeyword must be an IMAP atom, was '" + unansweredKeyword + "'");
            }
            if (acknowledgement instanceof Acknowledgement.Keyword k && k.keyword().equalsIgnoreCase(unansweredKeyword)) {
                throw new IllegalArgumentException("unansweredKeyword must differ from the acknowledgement keyword, was "
                        + unansweredKeyword);
            }
            atLeast("pollInterval", pollInterval, Duration.ofMillis(100));
            atLeast("idleRenewal", idleRenewal, Duration.ofMillis(100));
            if (idleRenewal.compareTo(MAX_IDLE_RENEWAL) > 0) {
                throw new IllegalArgumentException("idleRenewal must be at most 29min, was " + idleRenewal);
            }
            atLeast("connectTimeout", connectTimeout, Duration.ofMillis(100));
            atLeast("readTimeout", readTimeout, Duration.ofMillis(100));
            if (maxMessageBytes < 1024) {
                throw new IllegalArgumentException("maxMessageBytes must be at least 1024, was " + maxMessageBytes);
            }
            if (maxBatch < 1) {
                throw new IllegalArgumentException("maxBatch must be at least 1, was " + maxBatch);
            }
            if (parseThreads < 1 || parseThreads > 64) {
                throw new IllegalArgumentException("parseThreads must be between 1 and 64, was " + parseThreads);
            }
            return new ImapMailSource(this);
        }

        private static void atLeast(String name, Duration value, Duration min) {
            Settings.required(value, name);
            if (value.compareTo(min) < 0) {
                throw new IllegalArgumentException(name + " must be at least " + min.toMillis() + "ms, was " + value);
            }
        }
    }
}
