package io.sluice.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sluice admin ...}: the admin HTTP API (docs/openapi.yaml) from the command line, printing tables or, with
 * {@code --json}, the API's JSON. Talks to the node's {@code http.port} with {@code java.net.http.HttpClient}.
 */
@Command(name = "admin", mixinStandardHelpOptions = true,
        description = "Inspect and operate a running node through its HTTP admin API.",
        subcommands = {AdminCommand.Health.class, AdminCommand.Alerts.class, AdminCommand.Streams.class,
                AdminCommand.Queues.class, AdminCommand.Exchanges.class, AdminCommand.Bindings.class,
                AdminCommand.Groups.class, AdminCommand.Group.class, AdminCommand.ResetOffsets.class,
                AdminCommand.Peek.class, AdminCommand.Purge.class, AdminCommand.Redrive.class,
                AdminCommand.RedriveStatus.class, ConnectionsCommand.class})
final class AdminCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Base of every subcommand: the shared options and the output stream picocli was given. */
    abstract static class Sub implements Callable<Integer> {
        @Mixin
        AdminHttp api;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        PrintWriter out() {
            return spec.commandLine().getOut();
        }
    }

    @Command(name = "health", mixinStandardHelpOptions = true, description = "Node health (exit 1 when DOWN).")
    static final class Health extends Sub {
        @Override
        public Integer call() throws Exception {
            JsonNode h = api.call("GET", "/health", null);
            if (api.json) {
                api.print(out(), h);
            } else {
                out().println(h.path("status").asText());
                h.path("reasons").forEach(r -> out().println("  " + r.asText()));
                out().flush();
            }
            return "UP".equals(h.path("status").asText()) ? 0 : 1;
        }
    }

    @Command(name = "alerts", mixinStandardHelpOptions = true, description = "Alerts currently raised.")
    static final class Alerts extends Sub {
        @Override
        public Integer call() throws Exception {
            api.print(out(), api.call("GET", "/alerts", null).path("alerts"), "kind", "entity", "message");
            return 0;
        }
    }

    @Command(name = "streams", mixinStandardHelpOptions = true, description = "List streams, or describe one.")
    static final class Streams extends Sub {
        @Parameters(index = "0", arity = "0..1", description = "Stream to describe (per partition).")
        String name;

        @Override
        public Integer call() throws Exception {
            if (name == null) {
                api.print(out(), api.call("GET", "/api/v1/streams", null), "name", "partitions", "namespace");
            } else {
                JsonNode s = api.call("GET", "/api/v1/streams/" + AdminHttp.enc(name), null);
                if (api.json) {
                    api.print(out(), s);
                } else {
                    api.print(out(), s.path("partitionDetails"), "partition", "logStartOffset", "logEndOffset",
                            "sizeBytes", "segments");
                }
            }
            return 0;
        }
    }

    @Command(name = "queues", mixinStandardHelpOptions = true, description = "List queues, or describe one.")
    static final class Queues extends Sub {
        @Parameters(index = "0", arity = "0..1", description = "Queue to describe.")
        String name;

        @Override
        public Integer call() throws Exception {
            api.print(out(), api.call("GET", "/api/v1/queues" + (name == null ? "" : "/" + AdminHttp.enc(name)),
                    null), "name", "messages", "unacked", "consumers", "bytes", "deadLetter");
            return 0;
        }
    }

    @Command(name = "exchanges", mixinStandardHelpOptions = true, description = "List exchanges.")
    static final class Exchanges extends Sub {
        @Override
        public Integer call() throws Exception {
            api.print(out(), api.call("GET", "/api/v1/exchanges", null), "name", "type", "durable", "internal");
            return 0;
        }
    }

    @Command(name = "bindings", mixinStandardHelpOptions = true, description = "List bindings.")
    static final class Bindings extends Sub {
        @Parameters(index = "0", arity = "0..1", description = "Only bindings of this exchange or queue.")
        String name;

        @Override
        public Integer call() throws Exception {
            api.print(out(), api.call("GET", "/api/v1/bindings" + (name == null ? "" : "?name=" + AdminHttp.enc(name)),
                    null), "source", "destination", "destinationType", "routingKey");
            return 0;
        }
    }

    @Command(name = "groups", mixinStandardHelpOptions = true, description = "Consumer groups and their lag.")
    static final class Groups extends Sub {
        @Override
        public Integer call() throws Exception {
            api.print(out(), api.call("GET", "/api/v1/groups", null), "group", "partitions", "lag");
            return 0;
        }
    }

    @Command(name = "group", mixinStandardHelpOptions = true, description = "A consumer group's offsets and lag.")
    static final class Group extends Sub {
        @Parameters(index = "0", description = "Group name.")
        String group;

        @Override
        public Integer call() throws Exception {
            JsonNode g = api.call("GET", "/api/v1/groups/" + AdminHttp.enc(group), null);
            if (api.json) {
                api.print(out(), g);
            } else {
                api.print(out(), g.path("offsets"), "stream", "partition", "committedOffset", "logEndOffset", "lag");
            }
            return 0;
        }
    }

    @Command(name = "reset-offsets", mixinStandardHelpOptions = true,
            description = "Reset a consumer group's committed offsets (stop its consumers first).")
    static final class ResetOffsets extends Sub {
        @Parameters(index = "0", description = "Group name.")
        String group;
        @Option(names = "--stream", required = true, description = "Stream whose offsets to reset.")
        String stream;
        @Option(names = "--partition", description = "One partition (default: all).")
        Integer partition;
        @Option(names = "--to", required = true, description = "earliest, latest, timestamp or offset.")
        String to;
        @Option(names = "--value", description = "The timestamp (ms) or offset for --to timestamp|offset.")
        Long value;

        @Override
        public Integer call() throws Exception {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("stream", stream);
            body.put("to", to);
            if (partition != null) {
                body.put("partition", partition);
            }
            if (value != null) {
                body.put(to.equals("timestamp") ? "timestamp" : "offset", value);
            }
            JsonNode r = api.call("POST", "/api/v1/groups/" + AdminHttp.enc(group) + "/reset", body);
            if (api.json) {
                api.print(out(), r);
            } else {
                api.print(out(), r.path("offsets"), "stream", "partition", "committedOffset");
            }
            return 0;
        }
    }

    @Command(name = "peek", mixinStandardHelpOptions = true,
            description = "Show messages of a queue or stream without consuming them.")
    static final class Peek extends Sub {
        @Parameters(index = "0", description = "Queue (or stream, with --stream) name.")
        String name;
        @Option(names = "--stream", description = "Peek a stream rather than a queue.")
        boolean stream;
        @Option(names = "--partition", defaultValue = "0", description = "Stream partition (default 0).")
        int partition;
        @Option(names = "--offset", description = "First offset (default: the log start).")
        Long offset;
        @Option(names = "--limit", defaultValue = "20", description = "At most this many (default 20).")
        int limit;

        @Override
        public Integer call() throws Exception {
            String path = (stream ? "/api/v1/streams/" : "/api/v1/queues/") + AdminHttp.enc(name) + "/messages?limit="
                    + limit + (offset == null ? "" : "&offset=" + offset) + (stream ? "&partition=" + partition : "");
            api.print(out(), api.call("GET", path, null), "offset", "timestamp", "subject", "body", "headers");
            return 0;
        }
    }

    @Command(name = "purge", mixinStandardHelpOptions = true, description = "Remove every ready message of a queue.")
    static final class Purge extends Sub {
        @Parameters(index = "0", description = "Queue name.")
        String queue;

        @Override
        public Integer call() throws Exception {
            JsonNode r = api.call("POST", "/api/v1/queues/" + AdminHttp.enc(queue) + "/purge", null);
            if (api.json) {
                api.print(out(), r);
            } else {
                out().println("purged " + r.path("purged").asLong() + " message(s) from " + queue);
                out().flush();
            }
            return 0;
        }
    }

    @Command(name = "redrive", mixinStandardHelpOptions = true,
            description = "Move dead-lettered messages back to their source queue (asynchronous; --wait follows it).")
    static final class Redrive extends Sub {
        @Parameters(index = "0", description = "Dead-letter queue.")
        String queue;
        @Option(names = "--target", description = "Move every message here instead of its source queue.")
        String target;
        @Option(names = "--body-contains", description = "Only messages whose body contains this text.")
        String bodyContains;
        @Option(names = "--header", description = "Only messages with this header (name or name=value).")
        String header;
        @Option(names = "--rate", defaultValue = "100", description = "Messages per second (default 100).")
        double rate;
        @Option(names = "--max", description = "At most this many messages.")
        Long max;
        @Option(names = "--wait", description = "Wait until the task ends and print its result.")
        boolean await;

        @Override
        public Integer call() throws Exception {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("ratePerSecond", rate);
            if (target != null) {
                body.put("target", target);
            }
            if (bodyContains != null) {
                body.put("bodyContains", bodyContains);
            }
            if (header != null) {
                int eq = header.indexOf('=');
                body.put("header", eq < 0 ? header : header.substring(0, eq));
                if (eq >= 0) {
                    body.put("headerValue", header.substring(eq + 1));
                }
            }
            if (max != null) {
                body.put("maxMessages", max);
            }
            JsonNode task = api.call("POST", "/api/v1/queues/" + AdminHttp.enc(queue) + "/redrive", body);
            while (await && "RUNNING".equals(task.path("state").asText())) {
                Thread.sleep(200);
                task = api.call("GET", "/api/v1/redrives/" + AdminHttp.enc(task.path("id").asText()), null);
            }
            api.print(out(), task, "id", "queue", "state", "moved", "skipped", "failed", "error");
            return "FAILED".equals(task.path("state").asText()) ? 1 : 0;
        }
    }

    @Command(name = "redrive-status", mixinStandardHelpOptions = true,
            description = "Status of one redrive task, or of all.")
    static final class RedriveStatus extends Sub {
        @Parameters(index = "0", arity = "0..1", description = "Task id.")
        String id;

        @Override
        public Integer call() throws Exception {
            api.print(out(), api.call("GET", "/api/v1/redrives" + (id == null ? "" : "/" + AdminHttp.enc(id)), null),
                    "id", "queue", "state", "moved", "skipped", "failed", "error");
            return 0;
        }
    }
}
