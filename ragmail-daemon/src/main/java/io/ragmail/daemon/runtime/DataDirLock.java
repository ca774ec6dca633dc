package io.ragmail.daemon.runtime;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Exactly one daemon per data dir: an OS file lock on {@code <data dir>/ragmail.lock}, holding the
 * owner's PID. The OS releases the lock when the process dies, even by SIGKILL, so a crash never
 * leaves a stale lock behind (the PID text may stay; it is only read while the lock is held).
 *
 * <pre>{@code
 * try (DataDirLock lock = DataDirLock.acquire(dataDir)) { ... }   // InstanceLockedException names the holder
 * }</pre>
 */
public final class DataDirLock implements AutoCloseable {

    public static final String FILE_NAME = "ragmail.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private DataDirLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * @throws InstanceLockedException when another process (or this one) holds the data dir
     * @throws IOException             when the lock file cannot be written
     */
    public static DataDirLock acquire(Path dataDir) throws IOException {
        Files.createDirectories(dataDir);
        Path file = dataDir.resolve(FILE_NAME);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            String holder = readHolder(channel);
            channel.close();
            throw new InstanceLockedException(dataDir, holder);
        }
        channel.truncate(0);
        channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
        channel.force(true);
        return new DataDirLock(channel, lock);
    }

    private static String readHolder(FileChannel channel) {
        try {
            ByteBuffer buffer = ByteBuffer.allocate(64);
            channel.read(buffer, 0);
            String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII).strip();
            return text.isEmpty() ? "unknown" : text;
        } catch (IOException e) {
            return "unknown";
        }
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }

    /** Another instance holds the data dir; {@code ragmail run} exits 4. */
    public static final class InstanceLockedException extends IllegalStateException {
        private static final long serialVersionUID = 1L;
        private final String holderPid;

        InstanceLockedException(Path dataDir, String holderPid) {
            super("another ragmail (PID " + holderPid + ") is running on data dir " + dataDir.toAbsolutePath()
                    + "; stop it first, or give this one its own ragmail.data.dir");
            this.holderPid = holderPid;
        }

        public String holderPid() {
            return holderPid;
        }
    }
}
