package io.ragmail.daemon;

import io.ragmail.core.RagmailException;
import io.ragmail.core.knowledge.EmbeddingModelMismatchException;
import io.ragmail.core.knowledge.LuceneKnowledgeStore;
import io.ragmail.config.ConfigException;
import io.ragmail.config.ConfigKeys;
import io.ragmail.config.RagmailConfig;
import io.ragmail.config.KnowledgeIndex;
import io.ragmail.config.LayeredConfig;
import io.ragmail.odoo.OdooClient;
import io.ragmail.odoo.OdooKnowledgeSync;
import io.ragmail.odoo.OdooSyncReport;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * {@code ragmail sync}: one Odoo → knowledge sync into the index in the data directory, then exit.
 * Incremental by default (only what changed since the last run); {@code --full} starts over.
 *
 * <p>Each setting is looked up like the daemon's configuration, so {@code sync} works with the daemon's
 * own files; later sources win: {@code --config} ({@code ragmail.properties}) &lt; {@code --env-file}
 * ({@code .env}) &lt; the environment ({@code RAGMAIL_ODOO_URL}) &lt; a JVM system property
 * ({@code java -Dragmail.odoo.url=… -jar ragmail.jar sync}) &lt; {@code -Dragmail.odoo.url=…} after
 * {@code sync} &lt; the flag ({@code --odoo-url}). The Odoo password comes from the environment
 * ({@code RAGMAIL_ODOO_PASSWORD}) or those files only, never from the command line, where other users
 * of the machine could see it.
 *
 * <p>The index is opened with the embedding model of {@code ragmail.knowledge.embedding-model} (looked
 * up the same way; {@code mistral-embed} takes the key from {@code RAGMAIL_MISTRAL_API_KEY} or
 * {@code MISTRAL_API_KEY}). When the index was made by the other model the sync refuses rather than
 * re-embedding it: set the model the daemon uses.
 */
@Command(name = "sync", mixinStandardHelpOptions = true,
        description = {"Sync products (and other configured models) from Odoo into the knowledge index, once.",
                "Each setting comes from, later ones winning: --config, --env-file, the environment (RAGMAIL_ODOO_URL), "
                        + "a JVM system property (java -Dragmail.odoo.url=...), -Dragmail.odoo.url=... after 'sync', the --odoo-url flag.",
                "The password only from the environment or those files: RAGMAIL_ODOO_PASSWORD."})
final class SyncCommand implements Callable<Integer> {

    static final String PASSWORD_VARIABLE = "RAGMAIL_ODOO_PASSWORD";
    static final String URL = "ragmail.odoo.url";
    static final String DB = "ragmail.odoo.db";
    static final String USER = "ragmail.odoo.user";
    static final String PASSWORD = "ragmail.odoo.password";
    static final String DATA_DIR = "ragmail.data.dir";

    @Option(names = "--odoo-url", description = "Odoo base URL (ragmail.odoo.url, RAGMAIL_ODOO_URL).")
    String url;

    @Option(names = "--odoo-db", description = "Odoo database (ragmail.odoo.db, RAGMAIL_ODOO_DB).")
    String database;

    @Option(names = "--odoo-user", description = "Odoo login (ragmail.odoo.user, RAGMAIL_ODOO_USER).")
    String user;

    @Option(names = "--data-dir", description = "Where the index and the sync cursor live (ragmail.data.dir, RAGMAIL_DATA_DIR); "
            + "default ./data.")
    Path dataDir;

    @Option(names = "-D", paramLabel = "key=value", mapFallbackValue = "",
            description = "A setting by its property name, such as -Dragmail.odoo.url=https://erp.example.com.")
    Map<String, String> properties = new LinkedHashMap<>();

    @Option(names = "--full", description = "Forget the cursor and sync everything again.")
    boolean full;

    @Option(names = "--config", paramLabel = "FILE", defaultValue = "ragmail.properties",
            description = "Properties file with ragmail.* keys, as the daemon reads it (default: ${DEFAULT-VALUE}; ignored when missing).")
    Path propertiesFile;

    @Option(names = "--env-file", paramLabel = "FILE", defaultValue = ".env",
            description = ".env file with RAGMAIL_* variables, as the daemon reads it (default: ${DEFAULT-VALUE}; ignored when missing).")
    Path envFile;

    /** The daemon's configuration files, the lowest layer; read when the command runs. */
    private LayeredConfig files = LayeredConfig.builder().build();

    private final Function<String, String> environment;
    private final Function<String, String> systemProperties;
    private final PrintStream out;
    private final PrintStream err;

    SyncCommand() {
        this(System::getenv, System::getProperty, System.out, System.err);
    }

    SyncCommand(Function<String, String> environment, Function<String, String> systemProperties, PrintStream out, PrintStream err) {
        this.environment = environment;
        this.systemProperties = systemProperties;
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() throws Exception {
        if (properties.containsKey(PASSWORD) || systemProperties.apply(PASSWORD) != null) {
            err.println("ragmail sync: " + PASSWORD + " is read from " + PASSWORD_VARIABLE + " or the configuration files only, "
                    + "never from the command line");
            return 2;
        }
        try {
            files = LayeredConfig.builder().propertiesFile(propertiesFile).envFile(envFile).build();
        } catch (ConfigException e) {
            e.problems().forEach(p -> err.println("ragmail sync: " + p));
            return 2;
        }
        files.warnings().forEach(w -> err.println("ragmail sync: warning: " + w));
        Map<String, String> required = new LinkedHashMap<>();
        required.put(URL, setting(URL, url));
        required.put(DB, setting(DB, database));
        required.put(USER, setting(USER, user));
        required.put(PASSWORD, firstSet(environment.apply(PASSWORD_VARIABLE), files.get(PASSWORD)));
        boolean missing = false;
        for (Map.Entry<String, String> s : required.entrySet()) {
            if (s.getValue() == null || s.getValue().isBlank()) {
                err.println("ragmail sync: missing " + s.getKey() + " (" + howToSet(s.getKey()) + ")");
                missing = true;
            }
        }
        if (missing) {
            return 2;
        }
        Path data = Path.of(setting(DATA_DIR, dataDir == null ? null : dataDir.toString(), "data"));
        try {
            OdooClient client = OdooClient.builder().url(required.get(URL)).database(required.get(DB)).username(required.get(USER))
                    .password(required.get(PASSWORD)).build();
            // a wrong URL or password fails here, in a fraction of a second, not after the embedding model has loaded
            client.authenticate();
            quietGpuProbe();
            RagmailConfig config = this::embeddingSetting;
            if (config.usesMistralEmbed() && config.mistralApiKey().isEmpty()) {
                err.println("ragmail sync: " + ConfigKeys.KNOWLEDGE_EMBEDDING_MODEL.name() + "=mistral-embed needs the Mistral API key ("
                        + ConfigKeys.MISTRAL_API_KEY.envName() + " or " + ConfigKeys.MISTRAL_API_KEY_ALIAS + ")");
                return 2;
            }
            try (LuceneKnowledgeStore store = KnowledgeIndex.open(config, data.resolve("index"), Clock.systemUTC(), false)) {
                OdooKnowledgeSync sync = OdooKnowledgeSync.builder(client, store, data).build();
                OdooSyncReport report = full ? sync.fullResync() : sync.runOnce();
                out.printf("synced from Odoo: %d fetched, %d updated, %d removed, %d calls, %d ms%n",
                        report.fetched(), report.upserted(), report.deleted(), report.calls(), report.elapsed().toMillis());
                return 0;
            }
        } catch (EmbeddingModelMismatchException e) {
            err.println("ragmail sync: the knowledge index was built with " + e.indexedModel() + ", not " + e.requestedModel()
                    + "; set " + ConfigKeys.KNOWLEDGE_EMBEDDING_MODEL.name() + " (" + ConfigKeys.KNOWLEDGE_EMBEDDING_MODEL.envName()
                    + ") as the daemon has it (the daemon re-embeds the index when that setting changes)");
            return 2;
        } catch (ConfigException e) {
            err.println("ragmail sync: " + String.join("; ", e.problems()));
            return 2;
        } catch (RagmailException e) {
            err.println("ragmail sync failed (" + e.component() + "): " + e.getMessage());
            return 1;
        } catch (IllegalArgumentException e) {
            err.println("ragmail sync: " + e.getMessage());
            return 2;
        }
    }

    /** A setting of the embedding model, the Mistral key falling back to {@code MISTRAL_API_KEY} as in the daemon. */
    private String embeddingSetting(String key) {
        String value = setting(key, null);
        if (value == null && key.equals(ConfigKeys.MISTRAL_API_KEY.name())) {
            value = environment.apply(ConfigKeys.MISTRAL_API_KEY_ALIAS);
        }
        return value;
    }

    private String setting(String key, String flag) {
        return setting(key, flag, null);
    }

    /** The value of a setting: flag &gt; -D after sync &gt; JVM system property &gt; environment &gt; files &gt; default. */
    private String setting(String key, String flag, String fallback) {
        String value = firstSet(flag, properties.get(key), systemProperties.apply(key), environment.apply(variable(key)), files.get(key));
        return value == null ? fallback : value;
    }

    private static String firstSet(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return null;
    }

    private static String variable(String key) {
        return key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    private static String howToSet(String key) {
        if (PASSWORD.equals(key)) {
            return PASSWORD_VARIABLE;
        }
        String flag = "--" + key.substring("ragmail.".length()).replace('.', '-');
        return variable(key) + ", -D" + key + "=… or " + flag;
    }

    /**
     * DJL, under the in-process embedding model, probes for CUDA and logs "Failed to detect GPU count"
     * twice at WARN on every machine without a GPU, where that is expected and harmless: only its
     * errors are shown, unless the logging configuration sets that logger's level itself.
     */
    static void quietGpuProbe() {
        if (LoggerFactory.getLogger("ai.djl.util.cuda.CudaUtils") instanceof ch.qos.logback.classic.Logger probe
                && probe.getLevel() == null) {
            probe.setLevel(ch.qos.logback.classic.Level.ERROR);
        }
    }
}
