package io.ragmail.config;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Documentation cannot drift from the code: every key the daemon and the library read is in the example env and the reference page. */
class ConfigReferenceTest {

    private static final Path MODULE = Path.of("").toAbsolutePath();
    private static final Path ROOT = MODULE.getParent();

    @Test
    void ragmail_example_env_documents_every_key_with_its_default() throws IOException {
        String example = Files.readString(ROOT.resolve("ragmail.example.env"), StandardCharsets.UTF_8);

        for (ConfigKey<?> key : ConfigKeys.all()) {
            assertThat(example).as("ragmail.example.env lacks %s", key.envName())
                    .containsPattern("(?m)^(# )?" + key.envName() + "=");
        }
        assertThat(example).as("regenerate with ConfigReference.exampleEnv()").contains(ConfigReference.exampleEnv());
    }

    @Test
    void docs_configuration_md_has_the_table_of_every_key() throws IOException {
        String docs = Files.readString(ROOT.resolve("docs/configuration.md"), StandardCharsets.UTF_8);

        assertThat(docs).as("regenerate the table with ConfigReference.markdownTable()").contains(ConfigReference.markdownTable());
    }

    @Test
    void every_key_spelled_in_the_daemon_and_config_code_is_a_registered_key() throws IOException {
        Set<String> unknown = new TreeSet<>(spelledKeys(MODULE.resolve("src/main/java")));
        unknown.addAll(spelledKeys(ROOT.resolve("ragmail-daemon/src/main/java")));
        ConfigKeys.all().forEach(k -> unknown.remove(k.name()));
        unknown.removeIf(s -> s.endsWith(".") || s.matches(".*\\.(log|lock|properties|db)")); // file names, not keys

        assertThat(unknown).as("keys read in code but missing from ConfigKeys (and so from the docs)").isEmpty();
    }

    @Test
    void the_library_never_reads_the_process_environment_by_itself() throws IOException {
        try (Stream<Path> files = Files.walk(MODULE.resolve("src/main/java"))) {
            for (Path file : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                boolean reads = Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                        .map(String::strip).filter(l -> !l.startsWith("*") && !l.startsWith("//"))
                        .anyMatch(l -> l.contains("System.getenv") || l.contains("System::getenv"));
                assertThat(reads).as("%s reads the environment; the caller passes it to LayeredConfig", file).isFalse();
            }
        }
    }

    private static Set<String> spelledKeys(Path sources) throws IOException {
        Pattern literal = Pattern.compile("\"(ragmail\\.[a-z0-9.-]+)\"");
        Set<String> spelled = new TreeSet<>();
        try (Stream<Path> files = Files.walk(sources)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                Matcher m = literal.matcher(Files.readString(file, StandardCharsets.UTF_8));
                while (m.find()) {
                    spelled.add(m.group(1));
                }
            }
        }
        return spelled;
    }
}
