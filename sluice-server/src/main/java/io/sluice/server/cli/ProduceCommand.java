package io.sluice.server.cli;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sluice produce STREAM [MESSAGE...]}: appends messages (arguments, or one per stdin line). */
@Command(name = "produce", mixinStandardHelpOptions = true,
        description = "Append messages to a stream: the arguments, or one message per line of standard input.")
final class ProduceCommand implements Callable<Integer> {
    @Mixin
    KafkaConnection conn;
    @Parameters(index = "0", description = "Stream name.")
    String stream;
    @Parameters(index = "1..*", description = "Messages (default: read lines from standard input).")
    java.util.List<String> messages;
    @Option(names = {"-k", "--key"}, description = "Key for every message.")
    String key;

    @Override
    public Integer call() throws Exception {
        Properties p = conn.props();
        p.put("key.serializer", StringSerializer.class.getName());
        p.put("value.serializer", StringSerializer.class.getName());
        p.put("acks", "all");
        p.put("max.block.ms", "15000");
        int n = 0;
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p)) {
            if (messages != null) {
                for (String m : messages) {
                    producer.send(new ProducerRecord<>(stream, key, m)).get(20, TimeUnit.SECONDS);
                    n++;
                }
            } else {
                BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
                for (String line; (line = in.readLine()) != null; ) {
                    producer.send(new ProducerRecord<>(stream, key, line)).get(20, TimeUnit.SECONDS);
                    n++;
                }
            }
        } catch (ExecutionException e) {
            throw StreamCommand.unwrap(e);
        }
        System.err.println("produced " + n + " message(s) to " + stream);
        return 0;
    }
}
