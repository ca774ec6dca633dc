package io.ragmail.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a {@code .env} file: {@code NAME=value} lines, {@code #} comments, an optional
 * {@code export } prefix, and values in single or double quotes (kept verbatim inside).
 */
public final class DotEnv {

    private DotEnv() {
    }

    /** The names and values of these lines, in file order; lines that are not {@code NAME=value} are skipped. */
    public static Map<String, String> parse(List<String> lines) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : lines) {
            String s = line.strip();
            if (s.isEmpty() || s.startsWith("#")) {
                continue;
            }
            if (s.startsWith("export ")) {
                s = s.substring("export ".length()).strip();
            }
            int eq = s.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String name = s.substring(0, eq).strip();
            String value = s.substring(eq + 1).strip();
            if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"") || value.startsWith("'") && value.endsWith("'"))) {
                value = value.substring(1, value.length() - 1);
            } else {
                int comment = value.indexOf(" #");
                if (comment >= 0) {
                    value = value.substring(0, comment).strip();
                }
            }
            values.put(name, value);
        }
        return values;
    }

    /** {@link #parse} of a UTF-8 file. */
    public static Map<String, String> read(Path file) throws IOException {
        return parse(Files.readAllLines(file, StandardCharsets.UTF_8));
    }

    /**
     * A warning when the file holds secrets readable by group or others, naming {@code chmod 600};
     * empty on file systems without POSIX permissions.
     */
    public static Optional<String> permissionWarning(Path file) {
        PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        if (view == null) {
            return Optional.empty();
        }
        try {
            Set<PosixFilePermission> perms = view.readAttributes().permissions();
            boolean open = perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ)
                    || perms.contains(PosixFilePermission.GROUP_WRITE) || perms.contains(PosixFilePermission.OTHERS_WRITE);
            return open ? Optional.of(file + " is readable by group or others and holds secrets; run: chmod 600 " + file)
                    : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
