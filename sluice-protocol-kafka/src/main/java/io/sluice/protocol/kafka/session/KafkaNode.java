package io.sluice.protocol.kafka.session;

import io.sluice.core.Broker;
import io.sluice.protocol.kafka.KafkaConfig;
import io.sluice.protocol.kafka.group.KafkaConsumerGroupCoordinator;
import io.sluice.protocol.kafka.group.KafkaGroupCoordinator;
import io.sluice.protocol.kafka.txn.KafkaTransactionCoordinator;

import java.util.concurrent.ScheduledExecutorService;

/**
 * Everything the handlers of one Kafka listener share: the core, the listener's configuration, how this node is
 * advertised, and the Kafka-specific coordinators. Created by the plugin per listener; thread-safe.
 *
 * @param broker         the core
 * @param config         listener settings
 * @param nodeId         this node's Kafka broker id
 * @param host           advertised host
 * @param port           advertised port
 * @param topics         topics over core streams
 * @param groups         classic consumer-group coordinator
 * @param transactions   transaction coordinator
 * @param scheduler      the coordinators' timer thread
 * @param consumerGroups KIP-848 consumer-group coordinator
 */
public record KafkaNode(Broker broker, KafkaConfig config, int nodeId, String host, int port, KafkaTopics topics,
                        KafkaGroupCoordinator groups, KafkaTransactionCoordinator transactions,
                        ScheduledExecutorService scheduler, KafkaConsumerGroupCoordinator consumerGroups) {
}
