package io.ragmail.daemon;

import io.ragmail.config.ConfigException;
import io.ragmail.config.LayeredConfig;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Map;
import java.util.function.Supplier;

/** What the configured commands share: the configuration options, loading, and the user-facing output streams. */
abstract class ConfiguredCommand {

    @Mixin
    ConfigOptions configOptions = new ConfigOptions();

    @Spec
    CommandSpec spec;

    /** The process environment; tests give their own. */
    Supplier<Map<String, String>> environment = System::getenv;

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** Loads the configuration and prints its warnings; {@code null} (after printing why) when files cannot be read. */
    LayeredConfig loadConfig() {
        try {
            LayeredConfig config = configOptions.load(environment.get());
            config.warnings().forEach(w -> err().println("ragmail: warning: " + w));
            return config;
        } catch (ConfigException e) {
            e.problems().forEach(p -> err().println("ragmail: " + p));
            return null;
        }
    }

    /** Prints every problem, one line each; returns whether there were none. */
    boolean validate(LayeredConfig config) {
        var problems = config.problems();
        problems.forEach(p -> err().println("ragmail: " + p));
        if (!problems.isEmpty()) {
            err().println("ragmail: " + problems.size() + " configuration problem" + (problems.size() == 1 ? "" : "s")
                    + "; see docs/configuration.md and ragmail.example.env");
        }
        err().flush();
        return problems.isEmpty();
    }

    static CommandLine.IExitCodeGenerator exit(int code) {
        return () -> code;
    }
}
