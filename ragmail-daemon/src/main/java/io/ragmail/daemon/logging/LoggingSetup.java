package io.ragmail.daemon.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.filter.ThresholdFilter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeAndTimeBasedRollingPolicy;
import ch.qos.logback.core.util.FileSize;
import io.ragmail.config.ConfigKey;
import io.ragmail.config.ConfigKeys;
import io.ragmail.config.RagmailConfig;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds the running daemon's logging from the configuration, replacing the jar's quiet default
 * ({@code logback.xml}, console warnings only, for the short commands):
 * <ul>
 *   <li>console (for systemd's journal, Docker's log driver) and {@code ragmail.log}, INFO by default;</li>
 *   <li>{@code ragmail-error.log}: warnings and errors only, what an operator reads first;</li>
 *   <li>optionally {@code ragmail.json.log}, JSON lines for a log shipper;</li>
 *   <li>every file rolls daily and at {@code ragmail.log.max-file-size}, archives are gzipped, kept
 *       {@code ragmail.log.max-history} days, and all files together stay under
 *       {@code ragmail.log.total-cap}: the cap is shared among the files, each file's share minus its
 *       live file is its archive cap, so logs cannot fill the disk;</li>
 *   <li>every secret of the configuration is masked in every line ({@link MaskingEncoder});</li>
 *   <li>third-party start-up noise is turned down (see {@link #QUIET}).</li>
 * </ul>
 *
 * <pre>{@code
 * Path logs = LoggingSetup.configure(config, true);   // before the daemon starts
 * }</pre>
 */
public final class LoggingSetup {

    public static final String MAIN_FILE = "ragmail.log";
    public static final String ERROR_FILE = "ragmail-error.log";
    public static final String JSON_FILE = "ragmail.json.log";
    static final String PATTERN = "%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%thread] %logger{30} - %msg%n";

    /**
     * Loggers turned down: their INFO lines at start-up explain nothing an operator can act on
     * (GreenMail in tests, PDFBox font warnings on odd PDFs, the HTTP and mail clients' chatter).
     */
    static final Map<String, Level> QUIET = Map.of(
            "org.apache.pdfbox", Level.ERROR,
            "org.apache.fontbox", Level.ERROR,
            "com.icegreen.greenmail", Level.ERROR,
            "org.eclipse.angus", Level.WARN,
            "org.apache.xmlrpc", Level.WARN,
            "dev.langchain4j", Level.WARN,
            "ai.djl", Level.ERROR, // GPU detection on a CPU-only host ("Failed to detect GPU count") and tokenizer defaults
            "org.apache.lucene", Level.WARN,
            "io.github.resilience4j", Level.WARN);

    private LoggingSetup() {
    }

    /** Replaces the logging configuration; returns the log folder. */
    public static Path configure(RagmailConfig config, boolean console) throws IOException {
        Path dir = Files.createDirectories(config.logDir());
        List<String> secrets = new ArrayList<>();
        for (ConfigKey<?> key : ConfigKeys.all()) {
            if (key.secret() && config.isSet(key)) {
                secrets.add(config.get(key.name()).strip());
            }
        }
        long fileSize = config.value(ConfigKeys.LOG_MAX_FILE_SIZE);
        int history = config.value(ConfigKeys.LOG_MAX_HISTORY);
        long cap = config.value(ConfigKeys.LOG_TOTAL_CAP);
        boolean json = config.value(ConfigKeys.LOG_JSON);
        Level level = Level.toLevel(config.value(ConfigKeys.LOG_LEVEL).toUpperCase(Locale.ROOT), Level.INFO);

        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(level);
        // shares of the cap: main 60 %, errors 20 %, JSON 20 % (main 75 %, errors 25 % without JSON)
        long mainShare = json ? cap * 6 / 10 : cap * 3 / 4;
        long errorShare = json ? cap * 2 / 10 : cap / 4;
        root.addAppender(rolling(context, dir, MAIN_FILE, pattern(context, secrets), fileSize, history, mainShare, null));
        root.addAppender(rolling(context, dir, ERROR_FILE, pattern(context, secrets), fileSize, history, errorShare, Level.WARN));
        if (json) {
            JsonEncoder encoder = new JsonEncoder();
            encoder.setContext(context);
            MaskingEncoder masking = new MaskingEncoder(encoder, secrets);
            masking.setContext(context);
            masking.start();
            root.addAppender(rolling(context, dir, JSON_FILE, masking, fileSize, history,
                    cap - mainShare - errorShare, null));
        }
        if (console) {
            ConsoleAppender<ILoggingEvent> out = new ConsoleAppender<>();
            out.setContext(context);
            out.setName("CONSOLE");
            out.setEncoder(pattern(context, secrets));
            out.start();
            root.addAppender(out);
        }
        QUIET.forEach((name, quiet) -> context.getLogger(name).setLevel(level.isGreaterOrEqual(quiet) ? level : quiet));
        return dir;
    }

    /** Back to the jar's default ({@code logback.xml}), for an embedder or a test that configured the daemon's logging. */
    public static void reset() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        try {
            new ch.qos.logback.classic.util.ContextInitializer(context).autoConfig();
        } catch (ch.qos.logback.core.joran.spi.JoranException e) {
            throw new IllegalStateException("cannot restore the default logging: " + e.getMessage(), e);
        }
    }

    private static Encoder<ILoggingEvent> pattern(LoggerContext context, List<String> secrets) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        MaskingEncoder masking = new MaskingEncoder(encoder, secrets);
        masking.setContext(context);
        masking.start(); // starts the pattern encoder too; built in code, nothing else would
        return masking;
    }

    private static Appender<ILoggingEvent> rolling(LoggerContext context, Path dir, String file, Encoder<ILoggingEvent> encoder,
                                                   long maxFileSize, int history, long share, Level threshold) {
        RollingFileAppender<ILoggingEvent> appender = new RollingFileAppender<>();
        appender.setContext(context);
        appender.setName(file);
        appender.setFile(dir.resolve(file).toString());
        // the live file can grow to maxFileSize before it rolls; archives get what is left of the share
        long fileLimit = Math.max(1024, Math.min(maxFileSize, share / 2));
        SizeAndTimeBasedRollingPolicy<ILoggingEvent> policy = new SizeAndTimeBasedRollingPolicy<>();
        policy.setContext(context);
        policy.setParent(appender);
        String base = file.substring(0, file.lastIndexOf('.'));
        policy.setFileNamePattern(dir.resolve(base + ".%d{yyyy-MM-dd}.%i.log.gz").toString());
        policy.setMaxFileSize(new FileSize(fileLimit));
        policy.setMaxHistory(history);
        policy.setTotalSizeCap(new FileSize(Math.max(1024, share - fileLimit)));
        policy.setCleanHistoryOnStart(true);
        policy.start();
        appender.setRollingPolicy(policy);
        appender.setEncoder(encoder);
        if (threshold != null) {
            ThresholdFilter filter = new ThresholdFilter();
            filter.setLevel(threshold.levelStr);
            filter.start();
            appender.addFilter(filter);
        }
        appender.start();
        return appender;
    }
}
