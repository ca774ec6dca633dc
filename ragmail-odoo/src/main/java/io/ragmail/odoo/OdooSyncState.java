package io.ragmail.odoo;

import io.ragmail.core.NonRetriableException;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The sync cursor, persisted as a properties file written atomically (temp file + rename): per model
 * the last write_date seen, when it was read, when ids were last reconciled, the id → content
 * hash of every document in the knowledge store, and the id → write_date of records already read.
 * A related model a template reads (such as a product's category) has its own entry, named
 * {@code <model>><field>}, with its cursor and seen write_dates.
 */
final class OdooSyncState {

    static final class ModelState {
        String cursor;          // "YYYY-MM-DD HH:MM:SS" of the newest record seen, or null
        Instant cursorReadAt;   // when the run that saw it read
        Instant reconciledAt;
        final TreeMap<Integer, String> known = new TreeMap<>(); // id -> content hash
        // id -> the write_date it had when read, once that second lay well before the read (see OdooKnowledgeSync.SETTLED)
        final TreeMap<Integer, String> seen = new TreeMap<>();
    }

    private final Path file;
    private final Map<String, ModelState> models = new HashMap<>();

    private OdooSyncState(Path file) {
        this.file = file;
    }

    static OdooSyncState load(Path file) {
        OdooSyncState state = new OdooSyncState(file);
        if (!Files.exists(file)) {
            return state;
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException | IllegalArgumentException e) {
            throw new NonRetriableException("odoo", "cannot read the Odoo sync state " + file + ": " + e.getMessage()
                    + " (delete it to resync from scratch)", e);
        }
        for (String key : p.stringPropertyNames()) {
            int dot = key.lastIndexOf('.');
            String model = key.substring(0, dot);
            String what = key.substring(dot + 1);
            ModelState m = state.model(model);
            String v = p.getProperty(key);
            switch (what) {
                case "cursor" -> m.cursor = v.isEmpty() ? null : v;
                case "cursorReadAt" -> m.cursorReadAt = v.isEmpty() ? null : Instant.parse(v);
                case "reconciledAt" -> m.reconciledAt = v.isEmpty() ? null : Instant.parse(v);
                case "known" -> readPairs(v, m.known);
                case "seen" -> readPairs(v, m.seen);
                default -> {
                    // unknown keys from a newer version are ignored
                }
            }
        }
        return state;
    }

    /** "id:value,id:value"; the value may contain ':' (a write_date does), never ','. */
    private static void readPairs(String v, Map<Integer, String> into) {
        if (!v.isEmpty()) {
            for (String pair : v.split(",")) {
                int colon = pair.indexOf(':');
                into.put(Integer.valueOf(pair.substring(0, colon)), pair.substring(colon + 1));
            }
        }
    }

    private static String writePairs(Map<Integer, String> pairs) {
        StringBuilder sb = new StringBuilder();
        pairs.forEach((id, value) -> {
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(id).append(':').append(value);
        });
        return sb.toString();
    }

    ModelState model(String model) {
        return models.computeIfAbsent(model, k -> new ModelState());
    }

    void reset(String model) {
        ModelState m = model(model);
        m.cursor = null;
        m.cursorReadAt = null;
        m.reconciledAt = null;
        m.seen.clear();
    }

    void save() {
        Properties p = new Properties();
        models.forEach((model, m) -> {
            p.setProperty(model + ".cursor", m.cursor == null ? "" : m.cursor);
            p.setProperty(model + ".cursorReadAt", m.cursorReadAt == null ? "" : m.cursorReadAt.toString());
            p.setProperty(model + ".reconciledAt", m.reconciledAt == null ? "" : m.reconciledAt.toString());
            p.setProperty(model + ".known", writePairs(m.known));
            p.setProperty(model + ".seen", writePairs(m.seen));
        });
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                p.store(w, "ragmail Odoo sync state; delete to resync from scratch");
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new NonRetriableException("odoo", "cannot write the Odoo sync state " + file + ": " + e.getMessage(), e);
        }
    }
}
