package io.ragmail.core.knowledge;

import io.ragmail.core.KnowledgeDocument;
import io.ragmail.core.KnowledgeStore;
import io.ragmail.core.NonRetriableException;
import io.ragmail.core.RetriableException;
import io.ragmail.core.knowledge.internal.PdfText;
import org.jsoup.Jsoup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Keeps a {@link KnowledgeStore} in sync with a folder of {@code .md}, {@code .txt}, {@code .html}
 * and {@code .pdf} files: new files are added, changed ones replaced, removed ones deleted. Each file
 * becomes one document with source id {@code file:<path relative to the folder>}.
 *
 * <p>Bad files never stop a sync: empty or oversized files, binary junk, PDFs that are not PDFs or
 * are encrypted, and unsupported types are skipped, logged with the reason and listed in the
 * {@link IngestReport}; a skipped file that was ingested before keeps its previous version. Against
 * a {@link KnowledgeCatalog} (such as {@link LuceneKnowledgeStore}) unchanged files cost nothing and
 * files removed while the application was down are found; against other stores the ingester
 * remembers only what it synced itself since it was created.
 *
 * <pre>{@code
 * FileKnowledgeIngester ingester = FileKnowledgeIngester.builder()
 *         .store(store)
 *         .folder(Path.of("knowledge"))
 *         .build();
 * IngestReport report = ingester.sync();
 * }</pre>
 */
public final class FileKnowledgeIngester {

    /** Files larger than this are skipped: 20 MiB, larger than any realistic SDS or FAQ. */
    public static final long DEFAULT_MAX_FILE_SIZE = 20L * 1024 * 1024;
    /** Documents per upsert call. */
    public static final int DEFAULT_BATCH_SIZE = 32;
    /** Prefix of every source id this ingester writes. */
    public static final String SOURCE_ID_PREFIX = "file:";
    /** File name extensions read, lower case. */
    public static final Set<String> SUPPORTED_EXTENSIONS = Set.of("md", "markdown", "txt", "html", "htm", "pdf");

    private static final Logger LOG = LoggerFactory.getLogger(FileKnowledgeIngester.class);
    private static final String COMPONENT = "knowledge";

    private final KnowledgeStore store;
    private final Path folder;
    private final long maxFileSize;
    private final int batchSize;
    private final Map<String, String> metadata;
    /** What this ingester last synced, for stores that are not a {@link KnowledgeCatalog}. */
    private final Map<String, String> synced = new HashMap<>();

    private FileKnowledgeIngester(Builder b) {
        this.store = b.store;
        this.folder = b.folder;
        this.maxFileSize = b.maxFileSize;
        this.batchSize = b.batchSize;
        this.metadata = Map.copyOf(b.metadata);
    }

    /** A builder; store and folder are required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Brings the store in line with the folder.
     *
     * @throws NonRetriableException the folder does not exist or is not a folder
     * @throws RetriableException the folder could not be listed
     */
    public synchronized IngestReport sync() {
        if (!Files.isDirectory(folder)) {
            throw new NonRetriableException(COMPONENT, "knowledge folder " + folder + " does not exist or is not a folder");
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(folder)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException | RuntimeException e) {
            throw new RetriableException(COMPONENT, "cannot list knowledge folder " + folder + ": " + e, e);
        }

        Map<String, String> held = store instanceof KnowledgeCatalog catalog
                ? catalog.sourceVersions(SOURCE_ID_PREFIX) : new HashMap<>(synced);
        List<String> added = new ArrayList<>();
        List<String> updated = new ArrayList<>();
        List<String> unchanged = new ArrayList<>();
        List<IngestReport.Skipped> skipped = new ArrayList<>();
        Map<String, String> present = new LinkedHashMap<>();
        List<KnowledgeDocument> batch = new ArrayList<>();

        for (Path file : files) {
            String relative = folder.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
            String sourceId = SOURCE_ID_PREFIX + relative;
            KnowledgeDocument document;
            try {
                document = read(file, relative, sourceId);
            } catch (SkipException e) {
                String reason = held.containsKey(sourceId) ? e.getMessage() + "; previous version kept" : e.getMessage();
                LOG.warn("knowledge file {} skipped: {}", relative, reason);
                skipped.add(new IngestReport.Skipped(relative, reason));
                if (held.containsKey(sourceId)) {
                    present.put(sourceId, held.get(sourceId));
                }
                continue;
            }
            String hash = KnowledgeCatalog.contentHash(document);
            present.put(sourceId, hash);
            String before = held.get(sourceId);
            if (hash.equals(before)) {
                unchanged.add(sourceId);
                continue;
            }
            (before == null ? added : updated).add(sourceId);
            batch.add(document);
            if (batch.size() >= batchSize) {
                store.upsert(List.copyOf(batch));
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            store.upsert(List.copyOf(batch));
        }
        List<String> removed = held.keySet().stream().filter(id -> !present.containsKey(id)).sorted().toList();
        if (!removed.isEmpty()) {
            store.delete(removed);
        }
        synced.clear();
        synced.putAll(present);
        IngestReport report = new IngestReport(added, updated, unchanged, removed, skipped);
        LOG.info("knowledge folder {} synced: {} added, {} updated, {} unchanged, {} removed, {} skipped",
                folder, added.size(), updated.size(), unchanged.size(), removed.size(), skipped.size());
        return report;
    }

    private KnowledgeDocument read(Path file, String relative, String sourceId) throws SkipException {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String extension = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
        if (!SUPPORTED_EXTENSIONS.contains(extension)) {
            throw new SkipException("unsupported file type" + (extension.isEmpty() ? "" : " ." + extension)
                    + " (supported: .md, .txt, .html, .pdf)");
        }
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new SkipException("unreadable: " + e.getClass().getSimpleName());
        }
        if (size == 0) {
            throw new SkipException("empty file");
        }
        if (size > maxFileSize) {
            throw new SkipException("too large: " + size + " bytes, maxFileSize is " + maxFileSize);
        }
        String baseName = dot < 0 ? name : name.substring(0, dot);
        Extracted extracted = switch (extension) {
            case "pdf" -> readPdf(file, baseName);
            case "html", "htm" -> readHtml(readText(file), baseName);
            case "md", "markdown" -> readMarkdown(readText(file), baseName);
            default -> new Extracted(baseName, readText(file));
        };
        String text = extracted.text().strip();
        if (text.isEmpty()) {
            throw new SkipException("no text" + (extension.equals("pdf") ? " (a scanned PDF without a text layer?)" : ""));
        }
        Map<String, String> meta = new TreeMap<>(metadata);
        meta.put("format", extension.equals("htm") ? "html" : extension.equals("markdown") ? "md" : extension);
        meta.put("path", relative);
        return new KnowledgeDocument(sourceId, extracted.title(), text, meta);
    }

    private static String readText(Path file) throws SkipException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new SkipException("unreadable: " + e.getClass().getSimpleName());
        }
        int controls = 0;
        for (byte b : bytes) {
            if (b == 0) {
                throw new SkipException("binary content in a text file");
            }
            if (b > 0 && b < 0x20 && b != '\n' && b != '\r' && b != '\t' && b != '\f') {
                controls++;
            }
        }
        if (controls > bytes.length / 10) {
            throw new SkipException("binary content in a text file");
        }
        String text = new String(bytes, StandardCharsets.UTF_8);
        return text.startsWith("\uFEFF") ? text.substring(1) : text;
    }

    private static Extracted readMarkdown(String text, String fallbackTitle) {
        for (String line : text.lines().limit(20).toList()) {
            if (line.startsWith("# ")) {
                return new Extracted(line.substring(2).strip(), text);
            }
        }
        return new Extracted(fallbackTitle, text);
    }

    private static Extracted readHtml(String html, String fallbackTitle) {
        org.jsoup.nodes.Document doc = Jsoup.parse(html);
        doc.select("script, style, noscript, template").remove();
        String title = doc.title().isBlank() ? fallbackTitle : doc.title().strip();
        doc.select("br").after("\n");
        doc.select("p, div, li, tr, h1, h2, h3, h4, h5, h6, section, article, table, pre").append("\n");
        String text = doc.body() == null ? "" : doc.body().wholeText();
        text = text.replaceAll("[ \\t\\x0B\\f\\r]+", " ").replaceAll(" ?\n ?", "\n").replaceAll("\n{3,}", "\n\n");
        return new Extracted(title, text);
    }

    private static Extracted readPdf(Path file, String fallbackTitle) throws SkipException {
        if (!PdfText.isAvailable()) {
            throw new SkipException("PDF support is not on the class path: add " + PdfText.ARTIFACT);
        }
        try {
            PdfText.Extracted pdf = PdfText.read(file);
            return new Extracted(pdf.title().orElse(fallbackTitle), pdf.text());
        } catch (PdfText.UnreadableException e) {
            throw new SkipException(e.getMessage());
        }
    }

    private record Extracted(String title, String text) {
    }

    /** A file that is not ingested, with the reason as message. */
    private static final class SkipException extends Exception {
        private static final long serialVersionUID = 1L;

        SkipException(String reason) {
            super(reason, null, false, false);
        }
    }

    /**
     * Settings of a {@link FileKnowledgeIngester}.
     *
     * <pre>{@code
     * FileKnowledgeIngester.builder().store(store).folder(dir).metadata(Map.of("type", "sds")).build();
     * }</pre>
     */
    public static final class Builder {
        private KnowledgeStore store;
        private Path folder;
        private long maxFileSize = DEFAULT_MAX_FILE_SIZE;
        private int batchSize = DEFAULT_BATCH_SIZE;
        private Map<String, String> metadata = Map.of();

        private Builder() {
        }

        /** The store to keep in sync. Required. */
        public Builder store(KnowledgeStore store) {
            this.store = store;
            return this;
        }

        /** The folder to read, with its subfolders. Required. */
        public Builder folder(Path folder) {
            this.folder = folder;
            return this;
        }

        /** Larger files are skipped; default {@link #DEFAULT_MAX_FILE_SIZE}. */
        public Builder maxFileSize(long maxFileSize) {
            this.maxFileSize = maxFileSize;
            return this;
        }

        /** Documents per upsert; default {@link #DEFAULT_BATCH_SIZE}. */
        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /** Metadata added to every document (such as {@code type=sds}); {@code format} and {@code path} are always set. */
        public Builder metadata(Map<String, String> metadata) {
            this.metadata = Map.copyOf(Objects.requireNonNull(metadata, "metadata"));
            return this;
        }

        /** Validates the settings. */
        public FileKnowledgeIngester build() {
            if (store == null) {
                throw new IllegalArgumentException("store must be set");
            }
            if (folder == null) {
                throw new IllegalArgumentException("folder must be set");
            }
            if (maxFileSize < 1) {
                throw new IllegalArgumentException("maxFileSize must be at least 1 byte, was " + maxFileSize);
            }
            if (batchSize < 1) {
                throw new IllegalArgumentException("batchSize must be at least 1, was " + batchSize);
            }
            return new FileKnowledgeIngester(this);
        }
    }
}
