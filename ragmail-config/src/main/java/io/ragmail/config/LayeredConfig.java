package io.ragmail.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * A {@link RagmailConfig} from layers, later ones winning: built-in defaults &lt;
 * {@code ragmail.properties} &lt; {@code .env} &lt; environment ({@code RAGMAIL_*}, and
 * {@code MISTRAL_API_KEY} for the API key) &lt; flags. Remembers where each value came from, for
 * {@code check-config}, and collects warnings (an open {@code .env}, an unknown key, a likely typo).
 *
 * <pre>{@code
 * LayeredConfig config = LayeredConfig.builder()
 *         .propertiesFile(Path.of("ragmail.properties"))
 *         .envFile(Path.of(".env"))
 *         .environment(System.getenv())
 *         .flags(Map.of("ragmail.mode", "review"))
 *         .build();
 * }</pre>
 *
 * <p>Nothing is read that the caller does not hand over: an application passes {@code System.getenv()}
 * only when its environment is meant for ragmail. The result goes to {@link RagmailComponents#open}.
 */
public final class LayeredConfig implements RagmailConfig {

    private final Map<String, String> values;
    private final Map<String, String> origins;
    private final List<String> warnings;

    private LayeredConfig(Map<String, String> values, Map<String, String> origins, List<String> warnings) {
        this.values = Map.copyOf(values);
        this.origins = Map.copyOf(origins);
        this.warnings = List.copyOf(warnings);
    }

    /** A loader with no layers yet: every key takes its default. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String get(String key) {
        return values.get(key);
    }

    /** Where the value of a key came from ({@code "environment RAGMAIL_IMAP_HOST"}, {@code ".env"}), or {@code "default"}. */
    public String origin(String key) {
        return origins.getOrDefault(key, "default");
    }

    /** Warnings found while loading, each one line; never a secret. */
    public List<String> warnings() {
        return warnings;
    }

    /** The layers of a {@link LayeredConfig}; each is optional. */
    public static final class Builder {
        private Path propertiesFile;
        private Path envFile;
        private Map<String, String> environment = Map.of();
        private Map<String, String> flags = Map.of();

        /** An optional properties file with {@code ragmail.*} keys; ignored when missing. */
        public Builder propertiesFile(Path file) { this.propertiesFile = file; return this; }

        /** An optional {@code .env} file with {@code RAGMAIL_*} names (or {@code ragmail.*} keys); ignored when missing. */
        public Builder envFile(Path file) { this.envFile = file; return this; }

        /** The process environment; only {@code RAGMAIL_*} and {@code MISTRAL_API_KEY} are read. */
        public Builder environment(Map<String, String> environment) { this.environment = Map.copyOf(environment); return this; }

        /** Command-line overrides by property name ({@code -Dragmail.mode=review}). */
        public Builder flags(Map<String, String> flags) { this.flags = Map.copyOf(flags); return this; }

        /** @throws ConfigException when a given file cannot be read */
        public LayeredConfig build() {
            Map<String, String> values = new LinkedHashMap<>();
            Map<String, String> origins = new LinkedHashMap<>();
            List<String> warnings = new ArrayList<>();
            List<String> problems = new ArrayList<>();
            if (propertiesFile != null && Files.isRegularFile(propertiesFile)) {
                Properties props = new Properties();
                try (Reader reader = Files.newBufferedReader(propertiesFile, StandardCharsets.UTF_8)) {
                    props.load(reader);
                    for (String name : props.stringPropertyNames()) {
                        put(name, props.getProperty(name), propertiesFile.toString(), values, origins, warnings);
                    }
                } catch (IOException | IllegalArgumentException e) {
                    problems.add(propertiesFile + ": cannot be read (" + e.getMessage() + ")");
                }
            }
            if (envFile != null && Files.isRegularFile(envFile)) {
                try {
                    Map<String, String> dotEnv = DotEnv.read(envFile);
                    DotEnv.permissionWarning(envFile).ifPresent(warnings::add);
                    applyEnvironment(dotEnv, envFile.toString(), values, origins, warnings, true);
                } catch (IOException e) {
                    problems.add(envFile + ": cannot be read (" + e.getMessage() + ")");
                }
            }
            applyEnvironment(environment, "environment", values, origins, warnings, false);
            flags.forEach((name, value) -> put(name, value, "command line", values, origins, warnings));
            if (!problems.isEmpty()) {
                throw new ConfigException(problems);
            }
            return new LayeredConfig(values, origins, warnings);
        }

        private static void applyEnvironment(Map<String, String> env, String origin, Map<String, String> values,
                                             Map<String, String> origins, List<String> warnings, boolean warnUnknown) {
            // MISTRAL_API_KEY first, so that RAGMAIL_MISTRAL_API_KEY in the same layer wins over it
            String alias = env.get(ConfigKeys.MISTRAL_API_KEY_ALIAS);
            if (alias != null && !alias.isBlank()) {
                values.put(ConfigKeys.MISTRAL_API_KEY.name(), alias);
                origins.put(ConfigKeys.MISTRAL_API_KEY.name(), origin + " " + ConfigKeys.MISTRAL_API_KEY_ALIAS);
            }
            env.forEach((name, value) -> {
                if (name.startsWith("ragmail.")) {
                    put(name, value, origin, values, origins, warnings);
                } else if (name.startsWith("RAGMAIL_")) {
                    ConfigKeys.byEnvName(name).ifPresentOrElse(
                            key -> {
                                values.put(key.name(), value);
                                origins.put(key.name(), origin + " " + name);
                            },
                            () -> warnings.add(origin + ": unknown variable " + name + " ignored (see docs/configuration.md)"));
                } else if (warnUnknown && !name.equals(ConfigKeys.MISTRAL_API_KEY_ALIAS)) {
                    warnings.add(origin + ": unknown variable " + name + " ignored");
                }
            });
        }

        private static void put(String name, String value, String origin, Map<String, String> values,
                                Map<String, String> origins, List<String> warnings) {
            if (ConfigKeys.byName(name).isEmpty()) {
                warnings.add(origin + ": unknown key " + name + " ignored (see docs/configuration.md)");
                return;
            }
            values.put(name, value);
            origins.put(name, origin);
        }
    }
}
