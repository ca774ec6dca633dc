package io.ragmail.it;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Packages named {@code *.internal} are not API (they get no Javadoc and may change in any release),
 * and the rule is kept, not just written down: across the whole repository, main code uses an
 * internal package only from inside its own module's package tree ({@code io.ragmail.core.*} for
 * {@code io.ragmail.core.mail.internal}), and a test of an internal class lives in that package.
 */
class InternalPackagesTest {

    private static final Pattern PACKAGE = Pattern.compile("(?m)^package ([\\w.]+);");
    private static final Pattern INTERNAL_IMPORT = Pattern.compile("(?m)^import (?:static )?(io\\.ragmail\\.[\\w.]*?\\.internal)\\.");

    @Test
    void no_code_outside_its_module_and_no_test_outside_the_package_uses_an_internal_package() throws IOException {
        Path root = Path.of("").toAbsolutePath().getParent();
        assertThat(root.resolve("ragmail-core")).isDirectory();

        List<String> violations = new ArrayList<>();
        List<Path> sources;
        try (Stream<Path> files = Files.walk(root)) {
            sources = files.filter(f -> f.toString().endsWith(".java"))
                    .filter(f -> !f.toString().contains("/target/") && !f.toString().contains("/.git/"))
                    .toList();
        }
        for (Path file : sources) {
            String text = Files.readString(file);
            Matcher p = PACKAGE.matcher(text);
            String pkg = p.find() ? p.group(1) : "";
            boolean test = file.toString().contains("/src/test/");
            Matcher imports = INTERNAL_IMPORT.matcher(text);
            while (imports.find()) {
                String internal = imports.group(1);
                boolean allowed = test ? pkg.equals(internal) : pkg.startsWith(moduleRoot(internal));
                if (!allowed) {
                    violations.add(root.relativize(file) + " (" + pkg + ") uses " + internal);
                }
            }
        }

        assertThat(sources).hasSizeGreaterThan(100);
        assertThat(violations).isEmpty();
    }

    /** {@code io.ragmail.core} for {@code io.ragmail.core.mail.internal}: the module's root package. */
    private static String moduleRoot(String internalPackage) {
        String[] parts = internalPackage.split("\\.");
        return parts[0] + "." + parts[1] + "." + parts[2];
    }
}
