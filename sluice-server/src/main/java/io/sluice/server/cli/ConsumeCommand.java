package io.sluice.server.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sluice consume STREAM}: prints messages from the start (or the end) of every partition. */
@Command(name = "consume", mixinStandardHelpOptions = true,
        description = "Print messages of a stream, one per line, from the beginning of every partition.")
final class ConsumeCommand implements Callable<Integer> {
    @Mixin
    KafkaConnection conn;
    @Parameters(index = "0", description = "Stream name.")
    String stream;
    @Option(names = {"-n", "--max-messages"}, defaultValue = "-1", description = "Stop after this many (default: no limit).")
    long max;
    @Option(names = "--timeout-ms", defaultValue = "5000",
            description = "Stop after this long without a message (default ${DEFAULT-VALUE}; -1 waits forever).")
    long idleTimeoutMs;
    @Option(names = "--from-end", description = "Only print messages appended from now on.")
    boolean fromEnd;
    @Option(names = "--print-offset", description = "Prefix each message with partition:offset.")
    boolean printOffset;

    @Override
    public Integer call() {
        Properties p = conn.props();
        p.put("key.deserializer", StringDeserializer.class.getName());
        p.put("value.deserializer", StringDeserializer.class.getName());
        p.put("enable.auto.commit", "false");
        long printed = 0;
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
            List<PartitionInfo> parts = consumer.partitionsFor(stream, Duration.ofSeconds(15));
            if (parts == null || parts.isEmpty()) {
                throw new IllegalStateException("stream '" + stream + "' does not exist");
            }
            List<TopicPartition> tps = new ArrayList<>();
            parts.forEach(pi -> tps.add(new TopicPartition(stream, pi.partition())));
            consumer.assign(tps);
            if (fromEnd) {
                consumer.seekToEnd(tps);
            } else {
                consumer.seekToBeginning(tps);
            }
            long idleSince = System.currentTimeMillis();
            while (max < 0 || printed < max) {
                var records = consumer.poll(Duration.ofMillis(200));
                if (records.isEmpty()) {
                    if (idleTimeoutMs >= 0 && System.currentTimeMillis() - idleSince > idleTimeoutMs) {
                        break;
                    }
                    continue;
                }
                idleSince = System.currentTimeMillis();
                for (ConsumerRecord<String, String> r : records) {
                    System.out.println(printOffset ? r.partition() + ":" + r.offset() + " " + r.value() : r.value());
                    if (++printed == max) {
                        break;
                    }
                }
            }
        }
        System.err.println("consumed " + printed + " message(s) from " + stream);
        return 0;
    }
}
