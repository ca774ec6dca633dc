package io.ragmail.examples.folder;

import io.ragmail.core.InboundMail;
import io.ragmail.core.MailOutcome;
import io.ragmail.core.MailSource;
import io.ragmail.core.RetriableException;
import io.ragmail.core.mime.MimeMailParser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * A {@link MailSource} over a folder of {@code .eml} files (RFC 5322 messages, one per file), for
 * mail that arrives by another route than IMAP: a mail gateway that drops files, an export, a test.
 *
 * <p>Acknowledged mail leaves the inbox: to {@code done/} when it needs nobody any more, to
 * {@code attention/} when a person should still read it ({@link MailOutcome#NEEDS_PERSON}).
 *
 * <pre>{@code
 * try (MailSource source = new EmlFolderMailSource(Path.of("mail"))) { ... }
 * }</pre>
 */
public final class EmlFolderMailSource implements MailSource {

    private static final Duration CHECK_EVERY = Duration.ofMillis(200);

    private final Path inbox;
    private final Path done;
    private final Path attention;
    private final MimeMailParser parser = MimeMailParser.create();
    private final Set<String> yielded = ConcurrentHashMap.newKeySet();

    /** Reads {@code root/inbox/*.eml}; creates the folders when missing. */
    public EmlFolderMailSource(Path root) {
        Objects.requireNonNull(root, "root");
        try {
            this.inbox = Files.createDirectories(root.resolve("inbox"));
            this.done = Files.createDirectories(root.resolve("done"));
            this.attention = Files.createDirectories(root.resolve("attention"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the mail folders under " + root, e);
        }
    }

    @Override
    public List<InboundMail> poll(Duration maxWait) throws InterruptedException {
        long deadline = System.nanoTime() + maxWait.toNanos();
        while (true) {
            List<InboundMail> mail = readNew();
            if (!mail.isEmpty() || System.nanoTime() >= deadline) {
                return mail;
            }
            Thread.sleep(Math.min(CHECK_EVERY.toMillis(), Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
        }
    }

    private List<InboundMail> readNew() {
        List<InboundMail> mail = new ArrayList<>();
        try (Stream<Path> files = Files.list(inbox)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".eml")).sorted().toList()) {
                String name = file.getFileName().toString();
                if (yielded.add(name)) {
                    // A file the parser cannot read still comes back as mail, with its reason set.
                    mail.add(parser.parse(Files.readAllBytes(file), name));
                }
            }
        } catch (IOException e) {
            throw new RetriableException(name(), "cannot read " + inbox + ": " + e.getMessage(), e);
        }
        return mail;
    }

    @Override
    public void acknowledge(InboundMail mail, MailOutcome outcome) {
        Path file = inbox.resolve(mail.sourceRef());
        Path target = (outcome.mayHide() ? done : attention).resolve(mail.sourceRef());
        try {
            if (Files.exists(file)) {
                Files.move(file, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException e) {
            throw new RetriableException(name(), "cannot move " + file + ": " + e.getMessage(), e);
        }
    }

    /** Whether the inbox holds no {@code .eml} file any more (every mail was acknowledged). */
    public boolean isEmpty() {
        try (Stream<Path> files = Files.list(inbox)) {
            return files.noneMatch(f -> f.getFileName().toString().endsWith(".eml"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String name() {
        return "eml-folder";
    }
}
