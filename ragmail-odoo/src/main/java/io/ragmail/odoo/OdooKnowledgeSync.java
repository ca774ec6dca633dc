package io.ragmail.odoo;

import io.ragmail.core.KnowledgeDocument;
import io.ragmail.core.KnowledgeStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jsoup.Jsoup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a {@link KnowledgeStore} in step with Odoo records (by default sellable product templates).
 *
 * <p>Each {@link #runOnce()} is incremental: it asks Odoo for the ids and write_dates of records
 * written since the cursor ({@code write_date >= cursor}, ordered by {@code write_date, id}), reads in
 * pages those it has not read with that write_date already, and upserts only documents whose content
 * changed. Odoo returns whole seconds while it stores microseconds, and a transaction commits after
 * its write_date, so the cursor re-reads an overlap window until the cursor's second lies more than
 * {@code overlap} before the moment it was read; from then on it starts at the next second. Records
 * a many2one field points to (a product's category) are watched by their own write_date, since
 * renaming one changes the text of every record that shows it without touching their write_date.
 * Archived records ({@code active = False}, seen because the query runs with
 * {@code active_test=False}) are deleted from the store; deleted records and records that left the
 * domain are found by a periodic id reconciliation (all ids compared), which also picks up anything
 * missed. The cursor lives in a file in the data directory, written atomically. With nothing changed
 * and the cursor settled, a run costs one XML-RPC call per model plus one per watched related model
 * (two for the default products and categories), plus one {@code fields_get} per model on the first
 * run of the process.
 *
 * <pre>{@code
 * OdooKnowledgeSync sync = OdooKnowledgeSync.builder(odooClient, knowledgeStore, dataDir).build();
 * OdooSyncReport report = sync.runOnce();   // schedule this; sync.fullResync() on demand
 * }</pre>
 */
public final class OdooKnowledgeSync {

    public static final int DEFAULT_PAGE_SIZE = 200;
    public static final Duration DEFAULT_OVERLAP = Duration.ofMinutes(2);
    public static final Duration DEFAULT_RECONCILE_INTERVAL = Duration.ofHours(1);
    public static final String DEFAULT_STATE_FILE = "odoo-sync-state.properties";

    private static final Logger LOG = LoggerFactory.getLogger(OdooKnowledgeSync.class);

    /** See {@link #remember}: how long before a read a write_date must lie to count as passed. */
    static final Duration SETTLED = Duration.ofSeconds(10);
    /** Joins a model and one of its many2one fields into the state entry of the related model's cursor. */
    static final String RELATED = ">";

    private final OdooClient client;
    private final KnowledgeStore store;
    private final Path stateFile;
    private final List<OdooSyncModel> models;
    private final int pageSize;
    private final Duration overlap;
    private final Duration reconcileInterval;
    private final Clock clock;
    private final Map<String, Map<String, OdooFieldInfo>> fieldInfo = new ConcurrentHashMap<>();
    /** Related models this Odoo user may not search; not asked again until restart. */
    private final Set<String> untracked = ConcurrentHashMap.newKeySet();
    private final Object runLock = new Object();

    private OdooKnowledgeSync(Builder b) {
        this.client = b.client;
        this.store = b.store;
        this.stateFile = b.dataDir.resolve(b.stateFileName);
        this.models = List.copyOf(b.models);
        this.pageSize = b.pageSize;
        this.overlap = b.overlap;
        this.reconcileInterval = b.reconcileInterval;
        this.clock = b.clock;
    }

    public static Builder builder(OdooClient client, KnowledgeStore store, Path dataDir) {
        return new Builder(client, store, dataDir);
    }

    /** One incremental pass over every model (with id reconciliation when it is due). */
    public OdooSyncReport runOnce() {
        return run(false);
    }

    /** Forgets the cursor, re-reads and re-upserts every record, and deletes what is gone. */
    public OdooSyncReport fullResync() {
        return run(true);
    }

    private OdooSyncReport run(boolean full) {
        synchronized (runLock) {
            Instant started = clock.instant();
            long callsBefore = client.callsMade();
            OdooSyncState state = OdooSyncState.load(stateFile);
            Counts counts = new Counts();
            boolean reconciled = false;
            for (OdooSyncModel model : models) {
                OdooSyncState.ModelState ms = state.model(model.model());
                if (full) {
                    state.reset(model.model());
                }
                reconciled |= syncModel(model, state, ms, full, counts);
                state.save();
            }
            OdooSyncReport report = new OdooSyncReport(counts.fetched, counts.upserted, counts.deleted,
                    client.callsMade() - callsBefore, reconciled, Duration.between(started, clock.instant()));
            LOG.info("Odoo sync{}: {} fetched, {} upserted, {} deleted, {} calls{}", full ? " (full)" : "", report.fetched(),
                    report.upserted(), report.deleted(), report.calls(), reconciled ? ", ids reconciled" : "");
            return report;
        }
    }

    private static final class Counts {
        int fetched;
        int upserted;
        int deleted;
    }

    private boolean syncModel(OdooSyncModel model, OdooSyncState state, OdooSyncState.ModelState ms, boolean full, Counts counts) {
        Map<String, OdooFieldInfo> fields = fields(model);
        boolean archivable = fields.containsKey("active");
        Map<String, Object> ctx = archivable ? Map.of("active_test", false) : Map.of();
        Instant readAt = clock.instant();

        OdooDomain changed = model.domain();
        if (!full && ms.cursor != null) {
            changed = changed.and(OdooDomain.where("write_date", ">=", fromCursor(ms)));
        }
        // ids and write_dates first: the set cannot shift while paging, and what was already read is not read again
        List<OdooRecord> stamps = client.searchRead(model.model(), changed, List.of("write_date"), "write_date asc, id asc", 0, 0, ctx);
        Set<Integer> ids = new LinkedHashSet<>(unseen(stamps, ms, full));
        ids.addAll(relatedChanges(model, fields, state, full, ctx));
        applyPages(model, fields, ms, List.copyOf(ids), full, readAt, counts);
        stamps.forEach(r -> r.writeDate().ifPresent(wd -> advanceCursor(ms, wd)));
        ms.cursorReadAt = readAt;
        forgetBeyondOverlap(ms);

        boolean due = full || ms.reconciledAt == null || !readAt.isBefore(ms.reconciledAt.plus(reconcileInterval));
        if (due) {
            reconcile(model, fields, ms, full, readAt, counts);
            ms.reconciledAt = readAt;
        }
        return due;
    }

    /**
     * The ids among {@code stamps} to read: all when forced, else those whose write_date differs from the
     * one they had when last read. Within the overlap after a bulk change, a run that finds nothing new
     * then reads nothing.
     */
    private static List<Integer> unseen(List<OdooRecord> stamps, OdooSyncState.ModelState ms, boolean force) {
        List<Integer> ids = new ArrayList<>();
        for (OdooRecord r : stamps) {
            String wd = r.writeDate().orElse(null);
            if (force || wd == null || !wd.equals(ms.seen.get(r.id()))) {
                ids.add(r.id());
            }
        }
        return ids;
    }

    /**
     * Remembers the write_date a record had when read, but only once its second lies {@link #SETTLED}
     * before the read: Odoo sends whole seconds, so a record written again later in the same second
     * shows the same write_date, and the margin covers a clock difference between Odoo and us.
     */
    private static void remember(OdooSyncState.ModelState ms, int id, String writeDate, Instant readAt) {
        Instant written = writeDate == null ? null : LocalDateTime.parse(writeDate, OdooRecord.DATETIME).toInstant(ZoneOffset.UTC);
        if (written != null && written.plusSeconds(1).plus(SETTLED).isBefore(readAt)) {
            ms.seen.put(id, writeDate);
        } else {
            ms.seen.remove(id);
        }
    }

    /** Only records the overlap can return again need their write_date remembered; this keeps the state file small. */
    private void forgetBeyondOverlap(OdooSyncState.ModelState ms) {
        if (ms.cursor != null) {
            Instant cursor = LocalDateTime.parse(ms.cursor, OdooRecord.DATETIME).toInstant(ZoneOffset.UTC);
            String horizon = OdooRecord.DATETIME.format(LocalDateTime.ofInstant(cursor.minus(overlap), ZoneOffset.UTC));
            ms.seen.values().removeIf(wd -> wd.compareTo(horizon) < 0);
        }
    }

    /**
     * Records whose text changed because a record they point to did: renaming a product category
     * changes every product's "Category:" line but no product's write_date (pairs 160-164). Each
     * many2one field the model reads is tracked by the related model's own write_date, with the same
     * cursor, overlap and seen write_dates as the model itself; one call per related model per run.
     */
    private Set<Integer> relatedChanges(OdooSyncModel model, Map<String, OdooFieldInfo> fields, OdooSyncState state, boolean full,
            Map<String, Object> ctx) {
        Set<Integer> ids = new LinkedHashSet<>();
        for (String field : model.fields()) {
            OdooFieldInfo info = fields.get(field);
            if (info == null || !"many2one".equals(info.type()) || info.relation().isEmpty()
                    || untracked.contains(info.relation().get())) {
                continue;
            }
            String relation = info.relation().get();
            OdooSyncState.ModelState rs = state.model(model.model() + RELATED + field);
            boolean first = full || rs.cursor == null;
            Instant readAt = clock.instant();
            OdooDomain since = first ? OdooDomain.all() : OdooDomain.where("write_date", ">=", fromCursor(rs));
            List<OdooRecord> stamps;
            try {
                stamps = client.searchRead(relation, since, List.of("write_date"), "write_date asc, id asc", 0, 0,
                        Map.of("active_test", false));
            } catch (OdooAccessException | OdooConfigurationException e) {
                untracked.add(relation);
                LOG.warn("Odoo sync cannot watch {} for changes ({}); a change there reaches {} documents only when they "
                        + "change themselves or at a full resync", relation, e.getMessage(), model.model());
                continue;
            }
            List<Integer> changed = unseen(stamps, rs, false);
            for (OdooRecord r : stamps) {
                String wd = r.writeDate().orElse(null);
                remember(rs, r.id(), wd, readAt);
                if (wd != null) {
                    advanceCursor(rs, wd);
                }
            }
            rs.cursorReadAt = readAt;
            forgetBeyondOverlap(rs);
            if (!first && !changed.isEmpty()) {
                ids.addAll(client.search(model.model(), model.domain().and(OdooDomain.where(field, "in", changed)), "id asc", ctx));
            }
        }
        return ids;
    }

    /** Where the next incremental query starts (see class comment). */
    private String fromCursor(OdooSyncState.ModelState ms) {
        Instant cursor = LocalDateTime.parse(ms.cursor, OdooRecord.DATETIME).toInstant(ZoneOffset.UTC);
        boolean settled = ms.cursorReadAt != null && ms.cursorReadAt.isAfter(cursor.plusSeconds(1).plus(overlap));
        Instant from = settled ? cursor.plusSeconds(1) : cursor.minus(overlap);
        return OdooRecord.DATETIME.format(LocalDateTime.ofInstant(from, ZoneOffset.UTC));
    }

    /** Moves the model's cursor forward to {@code newest}, never back. */
    private static void advanceCursor(OdooSyncState.ModelState ms, String newest) {
        if (newest != null && (ms.cursor == null || newest.compareTo(ms.cursor) > 0)) {
            ms.cursor = newest;
        }
    }

    /** Reads ids page by page, upserting changed documents and deleting archived ones; returns the newest write_date. */
    private String applyPages(OdooSyncModel model, Map<String, OdooFieldInfo> fields, OdooSyncState.ModelState ms,
            List<Integer> ids, boolean force, Instant readAt, Counts counts) {
        List<String> readFields = new ArrayList<>(model.fields());
        readFields.add("write_date");
        if (fields.containsKey("active")) {
            readFields.add("active");
        }
        String newest = null;
        for (int i = 0; i < ids.size(); i += pageSize) {
            List<Integer> page = ids.subList(i, Math.min(ids.size(), i + pageSize));
            List<OdooRecord> records = client.read(model.model(), page, readFields);
            List<KnowledgeDocument> upserts = new ArrayList<>();
            List<String> deletes = new ArrayList<>();
            for (OdooRecord r : records) {
                counts.fetched++;
                String wd = r.writeDate().orElse(null);
                if (wd != null && (newest == null || wd.compareTo(newest) > 0)) {
                    newest = wd;
                }
                remember(ms, r.id(), wd, readAt);
                if (fields.containsKey("active") && !r.flag("active")) {
                    if (ms.known.remove(r.id()) != null) {
                        deletes.add(model.sourceId(r.id()));
                    }
                    continue;
                }
                KnowledgeDocument doc = document(model, fields, r);
                String hash = hash(doc);
                if (force || !hash.equals(ms.known.get(r.id()))) {
                    upserts.add(doc);
                    ms.known.put(r.id(), hash);
                }
            }
            if (!upserts.isEmpty()) {
                store.upsert(upserts);
                counts.upserted += upserts.size();
            }
            if (!deletes.isEmpty()) {
                store.delete(deletes);
                counts.deleted += deletes.size();
            }
        }
        return newest;
    }

    /** Compares every id Odoo still has (active, in the domain) with the documents we hold. */
    private void reconcile(OdooSyncModel model, Map<String, OdooFieldInfo> fields, OdooSyncState.ModelState ms, boolean full,
            Instant readAt, Counts counts) {
        List<Integer> current = client.search(model.model(), model.domain(), "id asc", Map.of());
        Set<Integer> currentSet = new HashSet<>(current);
        List<String> gone = new ArrayList<>();
        for (Integer id : new ArrayList<>(ms.known.keySet())) {
            if (!currentSet.contains(id)) {
                ms.known.remove(id);
                ms.seen.remove(id);
                gone.add(model.sourceId(id));
            }
        }
        if (!gone.isEmpty()) {
            store.delete(gone);
            counts.deleted += gone.size();
        }
        List<Integer> missing = current.stream().filter(id -> !ms.known.containsKey(id)).toList();
        if (!missing.isEmpty() && !full) {
            LOG.info("Odoo sync: {} {} records were missing from the knowledge store; adding them", missing.size(), model.model());
        }
        String newest = applyPages(model, fields, ms, missing, false, readAt, counts);
        advanceCursor(ms, newest);
    }

    private Map<String, OdooFieldInfo> fields(OdooSyncModel model) {
        return fieldInfo.computeIfAbsent(model.model(), name -> {
            Map<String, OdooFieldInfo> info = client.fieldsGet(name);
            for (String f : model.fields()) {
                if (!info.containsKey(f)) {
                    throw new OdooConfigurationException("Odoo model '" + name + "' has no field '" + f
                            + "' (check the sync configuration)", name, f, -1);
                }
            }
            if (!info.containsKey("write_date")) {
                throw new OdooConfigurationException("Odoo model '" + name + "' has no write_date; it cannot be synced incrementally",
                        name, "write_date", -1);
            }
            return info;
        });
    }

    private static KnowledgeDocument document(OdooSyncModel model, Map<String, OdooFieldInfo> fields, OdooRecord r) {
        String text = OdooSyncModel.render(model.template(), f -> value(fields.get(f), r, f));
        String title = value(fields.get(model.titleField()), r, model.titleField());
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("source", "odoo");
        meta.put("model", model.model());
        meta.put("id", Integer.toString(r.id()));
        r.writeDate().ifPresent(wd -> meta.put("write_date", wd));
        return new KnowledgeDocument(model.sourceId(r.id()), title, text.isBlank() ? title : text, meta);
    }

    private static String value(OdooFieldInfo info, OdooRecord r, String field) {
        String type = info == null ? "" : info.type();
        return switch (type) {
            case "html" -> r.text(field).map(h -> Jsoup.parse(h).text()).orElse("");
            case "boolean" -> r.flag(field) ? "yes" : "no";
            case "one2many", "many2many" -> "";
            default -> r.text(field).orElse("");
        };
    }

    private static String hash(KnowledgeDocument d) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(d.title().getBytes(StandardCharsets.UTF_8));
            md.update((byte) 0);
            md.update(d.text().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(md.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Builder of {@link OdooKnowledgeSync}. */
    public static final class Builder {
        private final OdooClient client;
        private final KnowledgeStore store;
        private final Path dataDir;
        private final List<OdooSyncModel> models = new ArrayList<>(List.of(OdooSyncModel.PRODUCT_TEMPLATE));
        private int pageSize = DEFAULT_PAGE_SIZE;
        private Duration overlap = DEFAULT_OVERLAP;
        private Duration reconcileInterval = DEFAULT_RECONCILE_INTERVAL;
        private String stateFileName = DEFAULT_STATE_FILE;
        private Clock clock = Clock.systemUTC();

        private Builder(OdooClient client, KnowledgeStore store, Path dataDir) {
            this.client = Objects.requireNonNull(client, "client");
            this.store = Objects.requireNonNull(store, "store");
            this.dataDir = Objects.requireNonNull(dataDir, "dataDir");
        }

        /** Replaces the default (product.template) with these models. */
        public Builder models(List<OdooSyncModel> models) {
            this.models.clear();
            this.models.addAll(models);
            return this;
        }

        public Builder pageSize(int pageSize) {
            this.pageSize = pageSize;
            return this;
        }

        public Builder overlap(Duration overlap) {
            this.overlap = overlap;
            return this;
        }

        public Builder reconcileInterval(Duration reconcileInterval) {
            this.reconcileInterval = reconcileInterval;
            return this;
        }

        public Builder stateFileName(String stateFileName) {
            this.stateFileName = stateFileName;
            return this;
        }

        /** The clock that decides when the cursor is settled and reconciliation is due. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public OdooKnowledgeSync build() {
            if (models.isEmpty()) {
                throw new IllegalArgumentException("models must not be empty");
            }
            Set<String> names = new HashSet<>();
            for (OdooSyncModel m : models) {
                if (!names.add(m.model())) {
                    throw new IllegalArgumentException("models lists " + m.model() + " twice");
                }
            }
            if (pageSize < 1 || pageSize > 5000) {
                throw new IllegalArgumentException("pageSize must be between 1 and 5000, was " + pageSize);
            }
            if (overlap == null || overlap.isNegative()) {
                throw new IllegalArgumentException("overlap must not be negative, was " + overlap);
            }
            if (reconcileInterval == null || reconcileInterval.isNegative()) {
                throw new IllegalArgumentException("reconcileInterval must not be negative, was " + reconcileInterval);
            }
            if (stateFileName == null || stateFileName.isBlank() || stateFileName.contains("/") || stateFileName.contains("\\")) {
                throw new IllegalArgumentException("stateFileName must be a plain file name, was " + stateFileName);
            }
            return new OdooKnowledgeSync(this);
        }
    }
}
