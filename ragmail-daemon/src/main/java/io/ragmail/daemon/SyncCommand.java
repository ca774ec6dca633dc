package io.ragmail.daemon;

import io.ragmail.core.RagmailException;
import io.ragmail.core.knowledge.LuceneKnowledgeStore;
import io.ragmail.odoo.OdooClient;
import io.ragmail.odoo.OdooKnowledgeSync;
import io.ragmail.odoo.OdooSyncReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;

/**
 * {@code ragmail sync}: one Odoo → knowledge sync into the index in the data directory, then exit.
 * Incremental by default (only what changed since the last run); {@code --full} starts over.
 *
 * <p>The Odoo password is read from the environment ({@code RAGMAIL_ODOO_PASSWORD}) only, never
 * from the command line, where other users of the machine could see it.
 */
@Command(name = "sync", mixinStandardHelpOptions = true,
        description = "Sync products (and other configured models) from Odoo into the knowledge index, once.")
final class SyncCommand implements Callable<Integer> {

    static final String PASSWORD_VARIABLE = "RAGMAIL_ODOO_PASSWORD";

    @Option(names = "--odoo-url", defaultValue = "${env:RAGMAIL_ODOO_URL}",
            description = "Odoo base URL (ragmail.odoo.url / RAGMAIL_ODOO_URL).")
    String url;

    @Option(names = "--odoo-db", defaultValue = "${env:RAGMAIL_ODOO_DB}",
            description = "Odoo database (ragmail.odoo.db / RAGMAIL_ODOO_DB).")
    String database;

    @Option(names = "--odoo-user", defaultValue = "${env:RAGMAIL_ODOO_USER}",
            description = "Odoo login (ragmail.odoo.user / RAGMAIL_ODOO_USER).")
    String user;

    @Option(names = "--data-dir", defaultValue = "${env:RAGMAIL_DATA_DIR:-data}",
            description = "Where the index and the sync cursor live (ragmail.data.dir / RAGMAIL_DATA_DIR), default ./data.")
    Path dataDir;

    @Option(names = "--full", description = "Forget the cursor and sync everything again.")
    boolean full;

    private final Function<String, String> environment;
    private final PrintStream out;
    private final PrintStream err;

    SyncCommand() {
        this(System::getenv, System.out, System.err);
    }

    SyncCommand(Function<String, String> environment, PrintStream out, PrintStream err) {
        this.environment = environment;
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() throws Exception {
        String password = environment.apply(PASSWORD_VARIABLE);
        Map<String, String> required = new LinkedHashMap<>();
        required.put("ragmail.odoo.url (--odoo-url, RAGMAIL_ODOO_URL)", url);
        required.put("ragmail.odoo.db (--odoo-db, RAGMAIL_ODOO_DB)", database);
        required.put("ragmail.odoo.user (--odoo-user, RAGMAIL_ODOO_USER)", user);
        required.put("ragmail.odoo.password (" + PASSWORD_VARIABLE + ")", password);
        boolean missing = false;
        for (Map.Entry<String, String> setting : required.entrySet()) {
            if (setting.getValue() == null || setting.getValue().isBlank()) {
                err.println("ragmail sync: missing " + setting.getKey());
                missing = true;
            }
        }
        if (missing) {
            return 2;
        }
        OdooClient client = OdooClient.builder().url(url).database(database).username(user).password(password).build();
        try (LuceneKnowledgeStore store = LuceneKnowledgeStore.builder().directory(dataDir.resolve("index")).build()) {
            OdooKnowledgeSync sync = OdooKnowledgeSync.builder(client, store, dataDir).build();
            OdooSyncReport report = full ? sync.fullResync() : sync.runOnce();
            out.printf("synced from Odoo: %d fetched, %d updated, %d removed, %d calls, %d ms%n",
                    report.fetched(), report.upserted(), report.deleted(), report.calls(), report.elapsed().toMillis());
            return 0;
        } catch (RagmailException e) {
            err.println("ragmail sync failed (" + e.component() + "): " + e.getMessage());
            return 1;
        }
    }
}
