package io.ragmail.daemon;

import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

/** Runs the real command line with a given environment and captures what a person would see. */
final class CliFixture {

    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();
    private final Map<String, String> environment;

    CliFixture(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    int run(String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        CommandLine cli = new CommandLine(new RagmailCli(), new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> cls) throws Exception {
                K instance = CommandLine.defaultFactory().create(cls);
                if (instance instanceof ConfiguredCommand c) {
                    c.environment = () -> environment;
                }
                return instance;
            }
        });
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    String out() {
        return out.toString();
    }

    String err() {
        return err.toString();
    }
}
