package io.ragmail.daemon;

import io.ragmail.testkit.odoo.FakeOdooServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SyncCommandTest {

    @TempDir
    Path dataDir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(Map<String, String> environment, String... args) {
        return run(environment, Map.of(), args);
    }

    private int run(Map<String, String> environment, Map<String, String> systemProperties, String... args) {
        SyncCommand command = new SyncCommand(environment::get, systemProperties::get,
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new CommandLine(command).execute(args);
    }

    @Test
    void syncs_odoo_products_into_the_index_and_then_only_what_changed() {
        try (FakeOdooServer odoo = FakeOdooServer.builder().build()) {
            odoo.create("product.template", Map.of("name", "Acetone technical grade", "default_code", "ACE-500"));
            odoo.create("product.template", Map.of("name", "Isopropyl alcohol 99%", "default_code", "IPA-200"));
            String[] args = {"--odoo-url", odoo.url(), "--odoo-db", "ragmail", "--odoo-user", "admin",
                    "--data-dir", dataDir.toString()};

            assertThat(run(Map.of(SyncCommand.PASSWORD_VARIABLE, "admin"), args)).isZero();
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("2 fetched, 2 updated");

            out.reset();
            assertThat(run(Map.of(SyncCommand.PASSWORD_VARIABLE, "admin"), args)).isZero();
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("0 updated, 0 removed");
        }
        assertThat(dataDir.resolve("index")).isDirectory();
    }

    @Test
    void syncs_with_mistral_embed_when_the_daemons_setting_says_so_and_refuses_to_re_embed_without_it() {
        try (FakeOdooServer odoo = FakeOdooServer.builder().build();
             io.ragmail.testkit.mistral.FakeMistralServer mistral = io.ragmail.testkit.mistral.FakeMistralServer.start()) {
            odoo.create("product.template", Map.of("name", "Acetone technical grade", "default_code", "ACE-500"));
            String[] args = {"--odoo-url", odoo.url(), "--odoo-db", "ragmail", "--odoo-user", "admin", "--data-dir", dataDir.toString()};
            Map<String, String> mistralEnv = Map.of(SyncCommand.PASSWORD_VARIABLE, "admin",
                    "RAGMAIL_KNOWLEDGE_EMBEDDING_MODEL", "mistral-embed", "MISTRAL_API_KEY", mistral.apiKey(),
                    "RAGMAIL_MISTRAL_BASE_URL", mistral.baseUrl());

            assertThat(run(mistralEnv, args)).as(err.toString(StandardCharsets.UTF_8)).isZero();
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("1 fetched, 1 updated");
            assertThat(mistral.embeddingBatchSizes()).containsExactly(1, 1); // the dimension, the product
            mistral.reset();

            odoo.create("product.template", Map.of("name", "Toluene", "default_code", "TOL-100"));
            int exit = run(Map.of(SyncCommand.PASSWORD_VARIABLE, "admin"), args); // without the daemon's setting: bge

            assertThat(exit).isEqualTo(2);
            assertThat(err.toString(StandardCharsets.UTF_8)).contains("built with mistral-embed/1024",
                    "set ragmail.knowledge.embedding-model (RAGMAIL_KNOWLEDGE_EMBEDDING_MODEL)").doesNotContain(mistral.apiKey());
            assertThat(mistral.embeddingRequestCount()).isZero();

            assertThat(run(mistralEnv, args)).isZero();
            assertThat(mistral.embeddingBatchSizes()).as("nothing re-embedded: the dimension, the new product").containsExactly(1, 1);
        }
    }

    @Test
    void names_every_missing_setting_in_one_line_each_and_never_prints_the_password() {
        int exit = run(Map.of(), "--data-dir", dataDir.toString());

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8).lines())
                .containsExactly(
                        "ragmail sync: missing ragmail.odoo.url (RAGMAIL_ODOO_URL, -Dragmail.odoo.url=… or --odoo-url)",
                        "ragmail sync: missing ragmail.odoo.db (RAGMAIL_ODOO_DB, -Dragmail.odoo.db=… or --odoo-db)",
                        "ragmail sync: missing ragmail.odoo.user (RAGMAIL_ODOO_USER, -Dragmail.odoo.user=… or --odoo-user)",
                        "ragmail sync: missing ragmail.odoo.password (RAGMAIL_ODOO_PASSWORD)");
    }

    @Test
    void a_rejected_password_is_one_clear_line_without_the_password() {
        try (FakeOdooServer odoo = FakeOdooServer.builder().build()) {
            int exit = run(Map.of(SyncCommand.PASSWORD_VARIABLE, "wrong-secret-123"), "--odoo-url", odoo.url(),
                    "--odoo-db", "ragmail", "--odoo-user", "admin", "--data-dir", dataDir.toString());

            assertThat(exit).isEqualTo(1);
            String errors = err.toString(StandardCharsets.UTF_8);
            assertThat(errors).startsWith("ragmail sync failed (odoo):").doesNotContain("wrong-secret-123");
            assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain("wrong-secret-123");
        }
    }

    @Test
    void settings_named_by_property_are_used_and_later_sources_win() {
        try (FakeOdooServer odoo = FakeOdooServer.builder().build()) {
            odoo.create("product.template", Map.of("name", "Acetone technical grade"));
            Map<String, String> environment = Map.of(SyncCommand.PASSWORD_VARIABLE, "admin",
                    "RAGMAIL_ODOO_URL", "http://127.0.0.1:1", "RAGMAIL_ODOO_DB", "ragmail", "RAGMAIL_ODOO_USER", "nobody");
            Map<String, String> jvmProperties = Map.of("ragmail.odoo.url", odoo.url(), "ragmail.odoo.user", "nobody-either");

            // environment < JVM -D (url) < -D after sync (user) ; the db comes from the environment
            int exit = run(environment, jvmProperties, "-Dragmail.odoo.user=admin", "-Dragmail.data.dir=" + dataDir);

            assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isZero();
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("1 fetched, 1 updated");
            assertThat(dataDir.resolve("index")).isDirectory();
        }
    }

    @Test
    void reads_the_daemons_env_file_and_properties_file_password_included_and_the_environment_and_flags_win()
            throws IOException {
        try (FakeOdooServer odoo = FakeOdooServer.builder().build()) {
            odoo.create("product.template", Map.of("name", "Acetone technical grade"));
            Path envFile = Files.writeString(dataDir.resolve("ragmail.env"), String.join("\n",
                    "RAGMAIL_ODOO_URL=http://127.0.0.1:1", "RAGMAIL_ODOO_DB=ragmail", "RAGMAIL_ODOO_USER=admin",
                    "RAGMAIL_ODOO_PASSWORD=admin", "RAGMAIL_DATA_DIR=" + dataDir.resolve("data")));
            Files.setPosixFilePermissions(envFile, PosixFilePermissions.fromString("rw-r--r--")); // warned about below
            Path properties = Files.writeString(dataDir.resolve("ragmail.properties"), "ragmail.odoo.user=nobody\n");

            // properties (user) < .env (url, db, user, password) < environment (url)
            int exit = run(Map.of("RAGMAIL_ODOO_URL", odoo.url()), "--env-file", envFile.toString(),
                    "--config", properties.toString());

            assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isZero();
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("1 fetched, 1 updated");
            assertThat(dataDir.resolve("data").resolve("index")).isDirectory();

            // a flag wins over the file: the wrong user is refused by Odoo
            err.reset();
            exit = run(Map.of("RAGMAIL_ODOO_URL", odoo.url()), "--env-file", envFile.toString(), "--odoo-user", "nobody");
            assertThat(exit).isEqualTo(1);
            assertThat(err.toString(StandardCharsets.UTF_8).lines()).containsExactly(
                    "ragmail sync: warning: " + envFile + " is readable by group or others and holds secrets; run: chmod 600 " + envFile,
                    "ragmail sync failed (odoo): Odoo rejected the login of user 'nobody' on database 'ragmail' (wrong password or API key)");
        }
    }

    @Test
    void a_wrong_password_fails_before_the_knowledge_index_and_its_model_are_opened() {
        try (FakeOdooServer odoo = FakeOdooServer.builder().build()) {
            int exit = run(Map.of(SyncCommand.PASSWORD_VARIABLE, "wrong-secret-123"), "--odoo-url", odoo.url(),
                    "--odoo-db", "ragmail", "--odoo-user", "admin", "--data-dir", dataDir.toString());

            assertThat(exit).isEqualTo(1);
            assertThat(dataDir.resolve("index")).doesNotExist();
            assertThat(odoo.requestCount()).as("one authenticate, nothing else").isEqualTo(1);
        }
    }

    @Test
    void a_machine_without_a_gpu_gets_no_gpu_warnings() {
        ch.qos.logback.classic.Logger djl = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("ai.djl");
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> seen = new ch.qos.logback.core.read.ListAppender<>();
        seen.start();
        djl.addAppender(seen);
        try (FakeOdooServer odoo = FakeOdooServer.builder().build()) {
            odoo.create("product.template", Map.of("name", "Acetone technical grade"));

            int exit = run(Map.of(SyncCommand.PASSWORD_VARIABLE, "admin"), "--odoo-url", odoo.url(), "--odoo-db", "ragmail",
                    "--odoo-user", "admin", "--data-dir", dataDir.toString());

            assertThat(exit).isZero();
            assertThat(seen.list).extracting(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage)
                    .noneMatch(m -> m.contains("GPU count"));
        } finally {
            djl.detachAppender(seen);
        }
    }

    @Test
    void the_help_names_the_ways_to_give_each_setting() {
        String help = new CommandLine(new SyncCommand()).getUsageMessage(CommandLine.Help.Ansi.OFF);

        assertThat(help).contains("-D=key=value", "-Dragmail.odoo.url=", "RAGMAIL_ODOO_URL", "--odoo-url",
                "RAGMAIL_ODOO_PASSWORD");
    }
}
