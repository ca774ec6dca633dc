package io.ragmail.config;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Library jars must not carry a logging configuration: a {@code logback.xml} in a dependency silently
 * replaces (or fights with) the host application's own. Only the daemon, an application, ships one.
 */
class NoLoggingConfigurationTest {

    static final List<String> LIBRARY_MODULES = List.of("ragmail-core", "ragmail-odoo", "ragmail-health", "ragmail-config",
            "ragmail-testkit");
    static final List<String> LOGGING_CONFIGURATIONS = List.of("logback.xml", "logback-test.xml", "logback.groovy",
            "log4j2.xml", "log4j2.properties", "log4j.properties", "log4j.xml", "simplelogger.properties",
            "logging.properties");

    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    @Test
    void no_library_module_has_a_logging_configuration_in_its_main_resources() throws IOException {
        List<Path> found = new ArrayList<>();
        for (String module : LIBRARY_MODULES) {
            assertThat(ROOT.resolve(module).resolve("pom.xml")).as("library module %s", module).isRegularFile();
            Path resources = ROOT.resolve(module).resolve("src/main/resources");
            if (!Files.isDirectory(resources)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(resources)) {
                files.filter(f -> LOGGING_CONFIGURATIONS.contains(f.getFileName().toString())).forEach(found::add);
            }
        }

        assertThat(found).as("logging configuration in a library's main resources").isEmpty();
    }

    @Test
    void what_goes_into_the_ragmail_config_jar_has_no_logging_configuration() throws IOException {
        Path classes = Path.of("target", "classes").toAbsolutePath();
        assertThat(classes.resolve("io/ragmail/config/RagmailComponents.class")).isRegularFile();
        List<Path> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(classes)) {
            files.filter(f -> LOGGING_CONFIGURATIONS.contains(f.getFileName().toString())).forEach(found::add);
        }

        assertThat(found).isEmpty();
    }

    @Test
    void on_this_class_path_only_test_resources_bring_a_logback_configuration() throws IOException {
        // the library modules are on the class path as target/classes (reactor) or as jars
        List<String> origins = new ArrayList<>();
        for (String name : List.of("logback.xml", "logback-test.xml", "log4j2.xml", "simplelogger.properties")) {
            for (URL url : Collections.list(getClass().getClassLoader().getResources(name))) {
                origins.add(url.toString());
            }
        }

        assertThat(origins).isNotEmpty(); // this module's own src/test/resources/logback-test.xml
        assertThat(origins).allSatisfy(origin -> assertThat(origin).contains("/target/test-classes/"));
    }
}
