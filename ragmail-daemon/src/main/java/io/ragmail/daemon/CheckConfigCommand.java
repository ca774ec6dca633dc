package io.ragmail.daemon;

import io.ragmail.core.MailAccount;
import io.ragmail.core.mail.MailSessions;
import io.ragmail.config.ConfigKey;
import io.ragmail.config.ConfigKeys;
import io.ragmail.config.LayeredConfig;
import io.ragmail.odoo.OdooClient;
import jakarta.mail.Folder;
import jakarta.mail.Store;
import jakarta.mail.Transport;
import picocli.CommandLine.Command;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code ragmail check-config}: validates the configuration, shows where each value came from (secrets
 * only as set/unset), and tries every configured connection, one line each with the result and the
 * time it took. Exit 0 only when every check passes; 2 when the configuration itself is wrong.
 */
@Command(name = "check-config", mixinStandardHelpOptions = true,
        description = "Validate the configuration and try each configured connection.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every check passed", "1:a check failed", "2:configuration error"})
final class CheckConfigCommand extends ConfiguredCommand implements Callable<Integer> {

    static final Duration TIMEOUT = Duration.ofSeconds(15);
    private int failed;
    private java.util.List<String> secrets = java.util.List.of();

    @Override
    public Integer call() {
        LayeredConfig config = loadConfig();
        if (config == null || !validate(config)) {
            return ExitCodes.CONFIG;
        }
        secrets = ConfigKeys.all().stream().filter(k -> k.secret() && config.isSet(k)).map(k -> config.get(k.name()).strip())
                .filter(v -> v.length() >= 4).toList();
        out().println("configuration (non-default values; secrets shown as set/unset):");
        for (ConfigKey<?> key : ConfigKeys.all()) {
            if (key.secret() || config.isSet(key)) {
                out().printf("  %-38s %s  [%s]%n", key.name(), key.display(config.get(key.name())), config.origin(key.name()));
            }
        }
        out().println();
        check("configuration valid", () -> ConfigKeys.all().size() + " keys known");
        if (config.isSet(ConfigKeys.IMAP_AUTHSERV_ID)) {
            check("sender verification", () -> "authserv-id " + config.value(ConfigKeys.IMAP_AUTHSERV_ID));
        } else {
            out().println("warn  sender verification: ragmail.imap.authserv-id is not set, so no sender is verified and "
                    + "no ERP facts ever reach a prompt");
        }
        check("data dir writable " + config.dataDir().toAbsolutePath(), () -> {
            Files.createDirectories(config.dataDir());
            Path probe = Files.createTempFile(config.dataDir(), ".check", ".tmp");
            Files.delete(probe);
            return "ok";
        });
        Path knowledge = config.value(ConfigKeys.KNOWLEDGE_DIR);
        if (knowledge != null) {
            check("knowledge dir readable " + knowledge, () -> {
                try (Stream<Path> files = Files.walk(knowledge)) {
                    return files.filter(Files::isRegularFile).filter(Files::isReadable).count() + " readable files";
                }
            });
        }
        MailAccount imap = config.imapAccount();
        String folder = config.value(ConfigKeys.IMAP_FOLDER);
        check("imap login " + imap.user() + "@" + imap.host() + ":" + imap.port() + " folder " + folder, () -> {
            Store store = MailSessions.imap(imap, TIMEOUT, TIMEOUT).getStore(MailSessions.imapProtocol(imap));
            store.connect(imap.host(), imap.port(), imap.user(), imap.password());
            try {
                Folder f = store.getFolder(folder);
                f.open(Folder.READ_ONLY);
                try {
                    return f.getMessageCount() + " mails, " + f.getUnreadMessageCount() + " unread";
                } finally {
                    f.close(false);
                }
            } finally {
                store.close();
            }
        });
        MailAccount smtp = config.smtpAccount();
        check("smtp login " + (smtp.authenticates() ? smtp.user() + "@" : "") + smtp.host() + ":" + smtp.port(), () -> {
            try (Transport t = MailSessions.smtp(smtp, TIMEOUT, TIMEOUT).getTransport(MailSessions.smtpProtocol(smtp))) {
                t.connect(smtp.host(), smtp.port(), smtp.authenticates() ? smtp.user() : null, smtp.authenticates() ? smtp.password() : null);
                return "ok";
            }
        });
        if (config.odooConfigured()) {
            check("odoo authenticate " + config.value(ConfigKeys.ODOO_URL).getHost() + " db " + config.value(ConfigKeys.ODOO_DB), () -> {
                OdooClient client = OdooClient.builder().url(config.value(ConfigKeys.ODOO_URL).toString())
                        .database(config.value(ConfigKeys.ODOO_DB)).username(config.value(ConfigKeys.ODOO_USER))
                        .password(config.value(ConfigKeys.ODOO_PASSWORD)).maxAttempts(1).build();
                return "uid " + client.authenticate() + ", Odoo " + client.version();
            });
        } else {
            out().println("skip  odoo: not configured (no ERP facts; knowledge from files only)");
        }
        if (config.mistralApiKey().isPresent()) {
            URI base = config.value(ConfigKeys.MISTRAL_BASE_URL);
            check("mistral " + base.getHost() + " model " + config.value(ConfigKeys.MISTRAL_MODEL),
                    () -> mistral(base, config.mistralApiKey().get(), config.value(ConfigKeys.MISTRAL_MODEL)));
        } else {
            out().println("skip  mistral: no API key (the offline template drafter answers, every reply goes to review)");
        }
        out().println(failed == 0 ? "all checks passed" : failed + " check" + (failed == 1 ? "" : "s") + " failed");
        out().flush();
        return failed == 0 ? ExitCodes.OK : ExitCodes.FAILED;
    }

    /** {@code GET /models}; where that is not offered (404), a one-token chat completion. */
    static String mistral(URI base, String key, String model) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
        String root = base.toString().endsWith("/") ? base.toString() : base + "/";
        HttpResponse<String> models = http.send(HttpRequest.newBuilder(URI.create(root + "models")).timeout(TIMEOUT)
                .header("Authorization", "Bearer " + key).GET().build(), HttpResponse.BodyHandlers.ofString());
        int status = models.statusCode();
        if (status == 200) {
            return models.body().contains("\"" + model + "\"") ? "key accepted, model available"
                    : "key accepted; model " + model + " not in the list";
        }
        if (status == 404) {
            String body = "{\"model\":\"" + model.replace("\"", "") + "\",\"max_tokens\":1,\"messages\":[{\"role\":\"user\",\"content\":\"ping\"}]}";
            status = http.send(HttpRequest.newBuilder(URI.create(root + "chat/completions")).timeout(TIMEOUT)
                    .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status == 200) {
                return "key accepted (one-token chat call; no /models here)";
            }
        }
        throw new IllegalStateException(status == 401 || status == 403 ? "API key refused (HTTP " + status + ")" : "HTTP " + status);
    }

    @FunctionalInterface
    interface Check {
        String run() throws Exception;
    }

    private void check(String what, Check check) {
        long start = System.nanoTime();
        String result;
        boolean ok;
        try {
            result = check.run();
            ok = true;
        } catch (Exception e) {
            result = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
            ok = false;
            failed++;
        }
        for (String secret : secrets) {
            result = result.replace(secret, "****"); // a server may echo what it was sent
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        out().printf("%-5s %s: %s (%d ms)%n", ok ? "ok" : "FAIL", what, result, ms);
        out().flush();
    }
}
