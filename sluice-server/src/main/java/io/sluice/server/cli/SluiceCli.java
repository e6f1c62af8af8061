package io.sluice.server.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code sluice} command line: {@code serve} starts a node; {@code stream}, {@code produce} and {@code consume}
 * talk to a running node over its Kafka listener, so they work against any Sluice (or Kafka) reachable from here;
 * {@code admin} calls the node's HTTP admin API.
 */
@Command(name = "sluice", mixinStandardHelpOptions = true, versionProvider = SluiceCli.Version.class,
        description = "Sluice: one durable log under streams, queues and routing; speaks Kafka, AMQP 0-9-1, NATS "
                + "and Redis Streams.",
        subcommands = {ServeCommand.class, StreamCommand.class, ProduceCommand.class, ConsumeCommand.class,
                AdminCommand.class,
                CommandLine.HelpCommand.class})
public final class SluiceCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line (tests execute it in-process). */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new SluiceCli());
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            cmd.getErr().println("error: " + (ex.getMessage() == null ? ex.toString() : ex.getMessage()));
            return 1;
        });
        return cl;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = SluiceCli.class.getPackage().getImplementationVersion();
            return new String[] {"sluice " + (v == null ? "0.1.0-SNAPSHOT" : v)};
        }
    }
}
