package io.ragmail.daemon;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code ragmail.jar} entry point: {@code java -jar ragmail.jar <command>}.
 *
 * <p>For now it has {@code demo}, which answers sample mail on an embedded mail server, and
 * {@code sync}, one Odoo to knowledge sync. The configured daemon ({@code run}), {@code queue},
 * {@code status} and {@code check-config} come with the daemon work.
 */
@Command(name = "ragmail", mixinStandardHelpOptions = true, version = "ragmail 0.1.0-SNAPSHOT",
        description = "Answers customer e-mail from what the company knows.",
        subcommands = {DemoCommand.class, SyncCommand.class})
public final class RagmailCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new RagmailCli()).execute(args));
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
