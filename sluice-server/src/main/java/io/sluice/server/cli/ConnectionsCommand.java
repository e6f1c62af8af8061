package io.sluice.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sluice admin connections list|close}: the client connections of every protocol, through
 * {@code /api/v1/connections}.
 */
@Command(name = "connections", mixinStandardHelpOptions = true,
        description = "List client connections of every protocol, or close one.",
        subcommands = {ConnectionsCommand.List.class, ConnectionsCommand.Close.class})
final class ConnectionsCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Open connections, oldest first.")
    static final class List extends AdminCommand.Sub {
        @Option(names = "--protocol", description = "Only this protocol's connections (kafka, amqp, nats, resp).")
        String protocol;

        @Override
        public Integer call() throws Exception {
            JsonNode all = api.call("GET", "/api/v1/connections"
                    + (protocol == null ? "" : "?protocol=" + AdminHttp.enc(protocol)), null);
            api.print(out(), all, "id", "protocol", "remoteAddress", "user", "clientName", "clientId",
                    "receivedBytes", "sentBytes", "errors");
            return 0;
        }
    }

    @Command(name = "close", mixinStandardHelpOptions = true,
            description = "Close a connection (the client sees its connection dropped).")
    static final class Close extends AdminCommand.Sub {
        @Parameters(index = "0", description = "Connection id, as listed.")
        String id;

        @Override
        public Integer call() throws Exception {
            api.call("DELETE", "/api/v1/connections/" + AdminHttp.enc(id), null);
            if (api.json) {
                out().println("{\"closed\": " + AdminHttp.JSON.writeValueAsString(id) + "}");
            } else {
                out().println("closed connection " + id);
            }
            out().flush();
            return 0;
        }
    }
}
