package io.ragmail.daemon;

import io.ragmail.testkit.odoo.FakeOdooServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SyncCommandTest {

    @TempDir
    Path dataDir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(Map<String, String> environment, String... args) {
        SyncCommand command = new SyncCommand(environment::get,
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
    void names_every_missing_setting_in_one_line_each_and_never_prints_the_password() {
        int exit = run(Map.of(), "--data-dir", dataDir.toString());

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8).lines())
                .containsExactly(
                        "ragmail sync: missing ragmail.odoo.url (--odoo-url, RAGMAIL_ODOO_URL)",
                        "ragmail sync: missing ragmail.odoo.db (--odoo-db, RAGMAIL_ODOO_DB)",
                        "ragmail sync: missing ragmail.odoo.user (--odoo-user, RAGMAIL_ODOO_USER)",
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
}
