package io.ragmail.daemon.runtime;

import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The daily backup into {@code <data dir>/backups/ragmail-<UTC time>/}: the ledger via SQLite's
 * {@code VACUUM INTO} (a consistent copy while the daemon writes, WAL included) and the files of the
 * knowledge index's latest Lucene commit (commit files are never changed, only deleted, so copying
 * one commit's files is a consistent snapshot; a file deleted mid-copy restarts the copy). Written
 * into a {@code .tmp} folder and renamed, so a half-written backup never looks complete. Keeps the
 * newest {@code keep}. {@code docs/operations.md} shows the restore.
 *
 * <pre>{@code
 * Path backup = new Backups(dataDir, 7, clock).run();
 * Backups.restore(backup, dataDir);   // with the daemon stopped
 * }</pre>
 */
public final class Backups {

    public static final String FOLDER = "backups";
    public static final String LEDGER_FILE = "ledger.db";
    public static final String INDEX_FOLDER = "index";
    private static final Logger log = LoggerFactory.getLogger(Backups.class);
    private static final DateTimeFormatter NAME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private final Path dataDir;
    private final int keep;
    private final Clock clock;

    public Backups(Path dataDir, int keep, Clock clock) {
        this.dataDir = dataDir;
        this.keep = keep;
        this.clock = clock;
    }

    /** Makes one backup and prunes old ones; returns its folder. */
    public Path run() throws IOException {
        Path root = Files.createDirectories(dataDir.resolve(FOLDER));
        String name = "ragmail-" + NAME.format(clock.instant());
        Path tmp = root.resolve(name + ".tmp");
        deleteTree(tmp);
        Files.createDirectories(tmp);
        Path ledger = dataDir.resolve(LEDGER_FILE);
        if (Files.isRegularFile(ledger)) {
            vacuumInto(ledger, tmp.resolve(LEDGER_FILE));
        }
        Path index = dataDir.resolve(INDEX_FOLDER);
        if (Files.isDirectory(index)) {
            snapshotIndex(index, tmp.resolve(INDEX_FOLDER));
        }
        Path done = root.resolve(name);
        deleteTree(done);
        Files.move(tmp, done, StandardCopyOption.ATOMIC_MOVE);
        prune(root);
        log.info("backup written to {}", done);
        return done;
    }

    /** Completed backups, newest first. */
    public List<Path> list() throws IOException {
        Path root = dataDir.resolve(FOLDER);
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(root)) {
            return s.filter(p -> Files.isDirectory(p) && p.getFileName().toString().startsWith("ragmail-")
                            && !p.getFileName().toString().endsWith(".tmp"))
                    .sorted(Comparator.comparing((Path p) -> p.getFileName().toString()).reversed()).toList();
        }
    }

    /**
     * Restores a backup into a data dir whose daemon is stopped: the ledger (its WAL files removed)
     * and the index are replaced.
     */
    public static void restore(Path backup, Path dataDir) throws IOException {
        Path ledger = dataDir.resolve(LEDGER_FILE);
        Files.deleteIfExists(dataDir.resolve(LEDGER_FILE + "-wal"));
        Files.deleteIfExists(dataDir.resolve(LEDGER_FILE + "-shm"));
        Files.copy(backup.resolve(LEDGER_FILE), ledger, StandardCopyOption.REPLACE_EXISTING);
        Path index = backup.resolve(INDEX_FOLDER);
        if (Files.isDirectory(index)) {
            Path target = dataDir.resolve(INDEX_FOLDER);
            deleteTree(target);
            Files.createDirectories(target);
            try (Stream<Path> files = Files.list(index)) {
                for (Path f : files.toList()) {
                    Files.copy(f, target.resolve(f.getFileName()));
                }
            }
        }
    }

    private static void vacuumInto(Path ledger, Path target) throws IOException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + ledger.toAbsolutePath())) {
            try (java.sql.Statement s = c.createStatement()) {
                s.executeUpdate("PRAGMA busy_timeout = 10000");
            }
            try (PreparedStatement ps = c.prepareStatement("VACUUM INTO ?")) {
                ps.setString(1, target.toAbsolutePath().toString());
                ps.execute();
            }
        } catch (SQLException e) {
            throw new IOException("VACUUM INTO failed: " + e.getMessage(), e);
        }
    }

    private static void snapshotIndex(Path index, Path target) throws IOException {
        for (int attempt = 1; ; attempt++) {
            deleteTree(target);
            Files.createDirectories(target);
            try (Directory dir = FSDirectory.open(index)) {
                SegmentInfos commit = SegmentInfos.readLatestCommit(dir);
                for (String file : commit.files(true)) {
                    Files.copy(index.resolve(file), target.resolve(file));
                }
                return;
            } catch (NoSuchFileException e) {
                if (attempt == 3) {
                    throw e;
                }
                // a newer commit replaced the one we copied: copy that one instead
            }
        }
    }

    private void prune(Path root) throws IOException {
        List<Path> all = list();
        for (Path old : all.subList(Math.min(keep, all.size()), all.size())) {
            deleteTree(old);
            log.info("old backup {} removed (ragmail.backup.keep={})", old.getFileName(), keep);
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
