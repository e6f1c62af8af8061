package io.sluice.server.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sluice stream create|list|describe|delete}: stream administration through the Kafka admin protocol. */
@Command(name = "stream", mixinStandardHelpOptions = true, description = "Create, list, describe and delete streams.",
        subcommands = {StreamCommand.Create.class, StreamCommand.ListStreams.class, StreamCommand.Describe.class,
                StreamCommand.Delete.class})
final class StreamCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    static Admin admin(KafkaConnection c) {
        return Admin.create(c.props());
    }

    static RuntimeException unwrap(ExecutionException e) {
        Throwable c = e.getCause() == null ? e : e.getCause();
        if (c instanceof org.apache.kafka.common.errors.TimeoutException) {
            return new IllegalStateException("no Sluice node answered (is it running and reachable?): "
                    + c.getMessage());
        }
        return new IllegalStateException(c.getMessage(), c);
    }

    @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a stream.")
    static final class Create implements Callable<Integer> {
        @Mixin
        KafkaConnection conn;
        @Parameters(index = "0", description = "Stream name.")
        String name;
        @Option(names = {"-p", "--partitions"}, defaultValue = "1", description = "Partitions (default 1).")
        int partitions;
        @Option(names = "--config", split = ",", description = "Stream config, e.g. retention.ms=60000")
        Map<String, String> config = Map.of();

        @Override
        public Integer call() throws Exception {
            try (Admin a = admin(conn)) {
                a.createTopics(List.of(new NewTopic(name, partitions, (short) 1).configs(config))).all()
                        .get(20, TimeUnit.SECONDS);
                System.out.println("created stream " + name + " with " + partitions + " partition(s)");
                return 0;
            } catch (ExecutionException e) {
                throw unwrap(e);
            }
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List streams.")
    static final class ListStreams implements Callable<Integer> {
        @Mixin
        KafkaConnection conn;

        @Override
        public Integer call() throws Exception {
            try (Admin a = admin(conn)) {
                List<String> names = new ArrayList<>(a.listTopics().names().get(20, TimeUnit.SECONDS));
                names.sort(String::compareTo);
                names.forEach(System.out::println);
                return 0;
            } catch (ExecutionException e) {
                throw unwrap(e);
            }
        }
    }

    @Command(name = "describe", mixinStandardHelpOptions = true, description = "Describe a stream.")
    static final class Describe implements Callable<Integer> {
        @Mixin
        KafkaConnection conn;
        @Parameters(index = "0", description = "Stream name.")
        String name;

        @Override
        public Integer call() throws Exception {
            try (Admin a = admin(conn)) {
                TopicDescription d = a.describeTopics(List.of(name)).allTopicNames().get(20, TimeUnit.SECONDS)
                        .get(name);
                System.out.printf("stream %s  id %s  partitions %d%n", d.name(), d.topicId(), d.partitions().size());
                return 0;
            } catch (ExecutionException e) {
                throw unwrap(e);
            }
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a stream and its data.")
    static final class Delete implements Callable<Integer> {
        @Mixin
        KafkaConnection conn;
        @Parameters(index = "0", description = "Stream name.")
        String name;

        @Override
        public Integer call() throws Exception {
            try (Admin a = admin(conn)) {
                a.deleteTopics(List.of(name)).all().get(20, TimeUnit.SECONDS);
                System.out.println("deleted stream " + name);
                return 0;
            } catch (ExecutionException e) {
                throw unwrap(e);
            }
        }
    }
}
