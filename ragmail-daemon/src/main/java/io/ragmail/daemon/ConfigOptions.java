package io.ragmail.daemon;

import io.ragmail.config.LayeredConfig;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** The configuration options every configured command shares (a picocli mixin). */
final class ConfigOptions {

    @Option(names = "--config", paramLabel = "FILE", defaultValue = "ragmail.properties",
            description = "Properties file with ragmail.* keys (default: ${DEFAULT-VALUE}; ignored when missing).")
    Path propertiesFile;

    @Option(names = "--env-file", paramLabel = "FILE", defaultValue = ".env",
            description = ".env file with RAGMAIL_* variables (default: ${DEFAULT-VALUE}; ignored when missing). Keep it chmod 600.")
    Path envFile;

    @Option(names = {"-D", "--set"}, paramLabel = "KEY=VALUE", mapFallbackValue = "",
            description = "Overrides one key, such as -Dragmail.mode=review or --set ragmail.concurrency=2. Never pass secrets here: other users see the command line.")
    Map<String, String> flags = new LinkedHashMap<>();

    LayeredConfig load(Map<String, String> environment) {
        return LayeredConfig.builder()
                .propertiesFile(propertiesFile)
                .envFile(envFile)
                .environment(environment)
                .flags(flags)
                .build();
    }
}
