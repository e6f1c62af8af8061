package io.sluice.it.kafka;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;

import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * A KIP-848 consumer in its own JVM, so a test can kill it (SIGKILL) the way a crashed process dies: no leave
 * heartbeat, nothing but the broker's session timeout to notice. Prints {@code assigned N} whenever its assignment
 * size changes. Arguments: bootstrap, group, topic.
 */
public final class KafkaDetachedConsumer {

    private KafkaDetachedConsumer() {
    }

    public static void main(String[] args) {
        try (KafkaConsumer<String, String> c = KafkaClients.consumer(args[0], args[1], Map.of(
                ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer", ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false))) {
            c.subscribe(Set.of(args[2]));
            int last = -1;
            while (true) {
                c.poll(Duration.ofMillis(50));
                if (c.assignment().size() != last) {
                    last = c.assignment().size();
                    System.out.println("assigned " + last);
                    System.out.flush();
                }
            }
        }
    }
}
