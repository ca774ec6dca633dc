package io.ragmail.daemon;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The daemon's environment is read in one place, the command line, and handed to the configuration from there. */
class EnvironmentAccessTest {

    private static final Path MODULE = Path.of("").toAbsolutePath();

    @Test
    void only_the_command_line_reads_the_process_environment() throws IOException {
        try (Stream<Path> files = Files.walk(MODULE.resolve("src/main/java/io/ragmail/daemon"))) {
            for (Path file : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                boolean reads = Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                        .map(String::strip).filter(l -> !l.startsWith("*") && !l.startsWith("//"))
                        .anyMatch(l -> l.contains("System.getenv") || l.contains("System::getenv"));
                if (reads) {
                    assertThat(file.getParent().getFileName().toString()).as(file.toString()).isEqualTo("daemon");
                }
            }
        }
    }
}
