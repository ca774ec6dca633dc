package io.ragmail.core.imap;

import io.ragmail.core.AuthenticationException;
import io.ragmail.core.InboundMail;
import io.ragmail.core.MailAccount;
import io.ragmail.core.MailOutcome;
import io.ragmail.core.MailSource;
import io.ragmail.core.RetriableException;
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
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.search.FlagTerm;
import jakarta.mail.search.HeaderTerm;
import jakarta.mail.search.SearchTerm;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A {@link MailSource} reading one IMAP folder.
 *
 * <p>{@link #poll(Duration)} waits with IMAP IDLE where the server has it (renewed every
 * {@code idleRenewal}, well inside the 29-minute limit) and polls every {@code pollInterval}
 * otherwise. On the first connection, and whenever the folder's UIDVALIDITY changes, it yields
 * every mail not yet acknowledged; afterwards each new UID once. Mail larger than
 * {@code maxMessageBytes} is yielded from its headers alone, with an
 * {@linkplain InboundMail#unreadableReason() unreadable reason}; its body is never fetched. The
 * folder is opened read-only for reading, so reading never sets {@code \Seen}.
 *
 * <p>A dropped connection or a restarted server makes {@code poll} throw {@link RetriableException};
 * the next call reconnects. Rejected credentials throw {@link io.ragmail.core.AuthenticationException}.
 * An interrupted {@code poll} returns promptly with {@link InterruptedException}.
 * {@link #acknowledge(InboundMail, MailOutcome)} is thread-safe and uses its own connection, so it never waits
 * for an IDLE in progress; acknowledgements from several threads at once are combined into one
 * command, and each call returns once its own mail is acknowledged. Passwords never appear in logs or exception messages.
 *
 * <pre>{@code
 * MailAccount account = new MailAccount("imap.example.com", 993, MailSecurity.SSL, "support@example.com", secret);
 * try (ImapMailSource source = ImapMailSource.builder()
 *         .account(account)
 *         .acknowledgement(Acknowledgement.keyword("$RagmailDone"))
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
    private static final String COMPONENT = "imap";

    public static final String DEFAULT_FOLDER = "INBOX";
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(30);
    public static final Duration DEFAULT_IDLE_RENEWAL = Duration.ofMinutes(10);
    public static final Duration MAX_IDLE_RENEWAL = Duration.ofMinutes(29);
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(15);
    public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(60);
    public static final long DEFAULT_MAX_MESSAGE_BYTES = 25L * 1024 * 1024;
    public static final int DEFAULT_MAX_BATCH = 50;
    /** At most this many bytes of a batch's mail are fetched in one command. */
    private static final long PREFETCH_BYTES = 8L * 1024 * 1024;

    private final MailAccount account;
    private final String folderName;
    private final Acknowledgement acknowledgement;
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

    // acknowledgement side: guarded by ackLock
    private static final int MAX_ACK_BATCH = 256;
    private final Object ackLock = new Object();
    private final ConcurrentLinkedQueue<AckRequest> ackQueue = new ConcurrentLinkedQueue<>();
    private IMAPStore ackStore;
    private IMAPFolder ackFolder;
    private volatile Acknowledgement effectiveAck;

    private volatile boolean closed;

    private ImapMailSource(Builder b) {
        this.account = b.account;
        this.folderName = b.folder;
        this.acknowledgement = b.acknowledgement;
        this.pollInterval = b.pollInterval;
        this.idleRenewal = b.idleRenewal;
        this.connectTimeout = b.connectTimeout;
        this.readTimeout = b.readTimeout;
        this.maxMessageBytes = b.maxMessageBytes;
        this.maxBatch = b.maxBatch;
        this.useIdle = b.useIdle;
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
                List<InboundMail> mail = fetchPending();
                while (mail.isEmpty()) {
                    long remaining = deadline - System.nanoTime();
                    if (remaining <= 0) {
                        break;
                    }
                    if (idleSupported) {
                        idle(Math.min(remaining, idleRenewal.toNanos()));
                    } else {
                        TimeUnit.NANOSECONDS.sleep(Math.min(remaining, pollInterval.toNanos()));
                    }
                    checkInterrupt();
                    mail = fetchPending();
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

    /** Every unacknowledged mail up to the current highest UID becomes pending. */
    private void fullScan(IMAPFolder f, long validity) throws MessagingException {
        pending.clear();
        int count = f.getMessageCount();
        long highest = 0;
        if (count > 0) {
            highest = f.getUID(f.getMessage(count));
            Message[] unacked = f.search(unacknowledgedTerm());
            FetchProfile fp = new FetchProfile();
            fp.add(UIDFolder.FetchProfileItem.UID);
            f.fetch(unacked, fp);
            for (Message m : unacked) {
                long uid = f.getUID(m);
                if (uid > 0 && uid <= highest) {
                    pending.add(uid);
                }
            }
        }
        uidValidity = validity;
        highestUid = highest;
        lastYieldedUid = 0;
        lastYieldedMessageId = "";
    }

    private SearchTerm unacknowledgedTerm() {
        Acknowledgement ack = effectiveAck;
        if (ack instanceof Acknowledgement.Keyword k) {
            return new FlagTerm(new Flags(k.keyword()), false);
        }
        if (ack instanceof Acknowledgement.MoveTo) {
            // done mail has left the folder; also skip mail a previous version flagged as deleted
            return new FlagTerm(new Flags(Flags.Flag.DELETED), false);
        }
        return new FlagTerm(new Flags(Flags.Flag.SEEN), false);
    }

    private List<InboundMail> fetchPending() throws MessagingException {
        Message[] fresh = folder.getMessagesByUID(highestUid + 1, UIDFolder.MAXUID);
        TreeSet<Long> newUids = new TreeSet<>();
        for (Message m : fresh) {
            if (m != null) {
                long uid = folder.getUID(m);
                if (uid > highestUid) {
                    newUids.add(uid);
                }
            }
        }
        TreeSet<Long> work = new TreeSet<>(pending);
        work.addAll(newUids);
        List<Long> batch = new ArrayList<>();
        for (Long uid : work) {
            if (batch.size() >= maxBatch) {
                break;
            }
            batch.add(uid);
        }
        List<InboundMail> result = new ArrayList<>();
        if (!batch.isEmpty()) {
            Message[] messages = folder.getMessagesByUID(batch.stream().mapToLong(Long::longValue).toArray());
            FetchProfile fp = new FetchProfile();
            fp.add(UIDFolder.FetchProfileItem.UID);
            fp.add(FetchProfile.Item.SIZE);
            List<Message> present = new ArrayList<>();
            for (Message m : messages) {
                if (m != null && !m.isExpunged()) {
                    present.add(m);
                }
            }
            folder.fetch(present.toArray(new Message[0]), fp);
            prefetchBodies(present);
            for (Message m : present) {
                InboundMail mail = read((MimeMessage) m);
                if (mail != null) {
                    result.add(mail);
                    long uid = folder.getUID(m);
                    if (uid > lastYieldedUid) {
                        lastYieldedUid = uid;
                        lastYieldedMessageId = mail.headers().first("Message-ID").map(String::strip).orElse("");
                    }
                }
            }
        }
        // only now that the whole batch was read does it count as yielded
        pending.addAll(newUids);
        pending.removeAll(batch);
        if (!newUids.isEmpty()) {
            highestUid = Math.max(highestUid, newUids.last());
        }
        return result;
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

    /** One message; {@code null} when it vanished meanwhile (acknowledged by a move). */
    private InboundMail read(MimeMessage m) throws MessagingException {
        long uid = folder.getUID(m);
        String ref = uidValidity + ":" + uid;
        try {
            long size = m.getSize();
            if (size > maxMessageBytes) {
                return parser.headersOnly(m, ref, size,
                        "message of " + size + " bytes exceeds the limit of " + maxMessageBytes + " bytes");
            }
            ByteArrayOutputStream raw = new ByteArrayOutputStream(size > 0 ? (int) size : 8192);
            m.writeTo(raw);
            return parser.parse(raw.toByteArray(), ref);
        } catch (MessageRemovedException e) {
            return null;
        } catch (IOException e) {
            if (!folder.isOpen()) {
                throw new MessagingException("connection lost while reading UID " + uid, e);
            }
            return parser.headersOnly(m, ref, -1, "message could not be fetched: " + safe(e));
        } catch (MessagingException e) {
            if (!folder.isOpen() || !store.isConnected()) {
                throw e;
            }
            return parser.headersOnly(m, ref, -1, "message could not be fetched: " + safe(e));
        }
    }

    /** One IDLE, ended by a server notification, by the time limit, or by an interrupt. */
    private void idle(long nanos) throws InterruptedException, MessagingException {
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
            done.get(nanos, TimeUnit.NANOSECONDS);
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
        // mail in one command, so 32 workers cost one round trip, not 32 in a row.
        AckRequest mine = new AckRequest(mail, new CompletableFuture<>());
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

    private record AckRequest(InboundMail mail, CompletableFuture<Void> done) {
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
                    acknowledgeOnce(batch);
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
            Acknowledgement ack = acknowledgement;
            if (ack instanceof Acknowledgement.Keyword k) {
                Flags permanent = f.getPermanentFlags();
                if (permanent == null || !permanent.contains(Flags.Flag.USER)) {
                    LOG.warn("IMAP folder {} at {} cannot store keywords (PERMANENTFLAGS lack \\*); "
                            + "acknowledging with \\Seen instead of {}", folderName, where(), k.keyword());
                    ack = Acknowledgement.seen();
                }
            } else if (ack instanceof Acknowledgement.MoveTo move) {
                Folder target = s.getFolder(move.folder());
                if (!target.exists()) {
                    LOG.info("creating IMAP folder {} for acknowledged mail", move.folder());
                    if (!target.create(Folder.HOLDS_MESSAGES) && !target.exists()) {
                        throw new MessagingException("could not create folder " + move.folder());
                    }
                }
            }
            effectiveAck = ack;
            ackStore = s;
            ackFolder = f;
        } catch (MessagingException | RuntimeException e) {
            closeQuietly(s);
            throw e;
        }
    }

    private void acknowledgeOnce(List<AckRequest> batch) throws MessagingException {
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
            for (Message m : f.getMessagesByUID(uids.stream().mapToLong(Long::longValue).toArray())) {
                if (m != null && !m.isExpunged()) {
                    targets.add(m);
                }
            }
        }
        if (targets.isEmpty()) {
            LOG.debug("nothing to acknowledge for {} mail(s) (already moved or gone)", batch.size());
            return;
        }
        Message[] msgs = targets.toArray(new Message[0]);
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
            f.setFlags(msgs, new Flags(Flags.Flag.SEEN), true);
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
        private Duration pollInterval = DEFAULT_POLL_INTERVAL;
        private Duration idleRenewal = DEFAULT_IDLE_RENEWAL;
        private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
        private Duration readTimeout = DEFAULT_READ_TIMEOUT;
        private long maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES;
        private int maxBatch = DEFAULT_MAX_BATCH;
        private boolean useIdle = true;
        private String mailboxName;

        public Builder account(MailAccount account) { this.account = account; return this; }
        /** The folder to read, default {@code INBOX}. */
        public Builder folder(String folder) { this.folder = folder; return this; }
        /** How mail is marked done, default {@link Acknowledgement#seen()}. */
        public Builder acknowledgement(Acknowledgement acknowledgement) { this.acknowledgement = acknowledgement; return this; }
        /** How often to look for mail when the server lacks IDLE, default 30 s. */
        public Builder pollInterval(Duration pollInterval) { this.pollInterval = pollInterval; return this; }
        /** The longest single IDLE, default 10 min, at most 29 min. */
        public Builder idleRenewal(Duration idleRenewal) { this.idleRenewal = idleRenewal; return this; }
        public Builder connectTimeout(Duration connectTimeout) { this.connectTimeout = connectTimeout; return this; }
        public Builder readTimeout(Duration readTimeout) { this.readTimeout = readTimeout; return this; }
        /** Larger mail is yielded from its headers only, default 25 MiB. */
        public Builder maxMessageBytes(long maxMessageBytes) { this.maxMessageBytes = maxMessageBytes; return this; }
        /** At most this many mails per {@code poll}, default 50; the rest come with the next calls. */
        public Builder maxBatch(int maxBatch) { this.maxBatch = maxBatch; return this; }
        /** Whether to wait with IDLE where the server has it, default {@code true}; else poll every {@code pollInterval}. */
        public Builder useIdle(boolean useIdle) { this.useIdle = useIdle; return this; }

        /**
         * The mailbox part of every {@link io.ragmail.core.MailKey} this source yields; default
         * {@code <user>/<folder>}. Keep it stable: the ledger recognises mail by it.
         */
        public Builder mailboxName(String mailboxName) { this.mailboxName = mailboxName; return this; }

        public ImapMailSource build() {
            Objects.requireNonNull(account, "account");
            Objects.requireNonNull(folder, "folder");
            Objects.requireNonNull(acknowledgement, "acknowledgement");
            if (folder.isBlank()) {
                throw new IllegalArgumentException("folder must not be blank");
            }
            if (mailboxName != null && mailboxName.isBlank()) {
                throw new IllegalArgumentException("mailboxName must not be blank");
            }
            if (acknowledgement instanceof Acknowledgement.MoveTo m && m.folder().equals(folder)) {
                throw new IllegalArgumentException("acknowledgement folder must differ from folder, was " + folder);
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
            return new ImapMailSource(this);
        }

        private static void atLeast(String name, Duration value, Duration min) {
            Objects.requireNonNull(value, name);
            if (value.compareTo(min) < 0) {
                throw new IllegalArgumentException(name + " must be at least " + min.toMillis() + "ms, was " + value);
            }
        }
    }
}
