package io.ragmail.daemon;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code ragmail.jar} entry point: {@code java -jar ragmail.jar <command>}: {@code run} (the
 * daemon), {@code check-config}, {@code queue}, {@code status}, {@code sync} (one Odoo sync) and
 * {@code demo} (sample mail on an embedded server). Exit codes: 0 ok, 1 a check or command failed,
 * 2 configuration error, 3 a dependency unreachable at start, 4 another instance holds the data dir.
 */
@Command(name = "ragmail", mixinStandardHelpOptions = true, version = "ragmail 0.1.0-SNAPSHOT",
        description = "Answers customer e-mail from what the company knows.",
        subcommands = {RunCommand.class, CheckConfigCommand.class, QueueCommand.class, StatusCommand.class,
                SyncCommand.class, DemoCommand.class})
public final class RagmailCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(new CommandLine(new RagmailCli()).execute(args));
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
