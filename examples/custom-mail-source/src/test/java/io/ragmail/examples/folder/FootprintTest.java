package io.ragmail.examples.folder;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a user who adds {@code io.ragmail:ragmail-core} alone ships: this module's runtime class path
 * (written by the dependency plugin at build time) stays within core's budget, and none of core's
 * optional heavy dependencies comes along.
 */
class FootprintTest {

    /** ragmail-core's budget for its mandatory dependencies, itself included (docs/architecture.md). */
    static final long BUDGET_BYTES = 25L * 1024 * 1024;

    @Test
    void ragmail_core_alone_stays_within_its_budget_and_brings_no_optional_dependency() throws IOException {
        String classPath = Files.readString(Path.of("target", "runtime-classpath.txt")).strip();
        List<Path> jars = Arrays.stream(classPath.split(File.pathSeparator)).map(Path::of).toList();
        long total = 0;
        for (Path jar : jars) {
            total += Files.size(jar);
        }
        String largest = jars.stream().sorted(Comparator.comparingLong(FootprintTest::size).reversed()).limit(5)
                .map(j -> j.getFileName() + " " + size(j) / 1024 + " KB").collect(Collectors.joining(", "));

        assertThat(jars).extracting(j -> j.getFileName().toString())
                .noneMatch(name -> name.startsWith("onnxruntime") || name.startsWith("langchain4j-embeddings")
                        || name.startsWith("pdfbox") || name.startsWith("langchain4j-mistral-ai")
                        || name.startsWith("tokenizers"));
        assertThat(total).as("ragmail-core's runtime dependencies: %d KB; largest: %s", total / 1024, largest)
                .isLessThanOrEqualTo(BUDGET_BYTES);
    }

    private static long size(Path jar) {
        try {
            return Files.size(jar);
        } catch (IOException e) {
            return 0;
        }
    }
}
