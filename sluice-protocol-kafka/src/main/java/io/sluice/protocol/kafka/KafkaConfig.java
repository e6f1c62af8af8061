package io.sluice.protocol.kafka;

import io.sluice.transport.ProtocolSettings;

/**
 * The Kafka listener's settings, read once when the listener starts. Keys are given without the {@code kafka.}
 * prefix; each constant's javadoc states its default.
 *
 * @param autoCreateTopics          {@value #AUTO_CREATE_TOPICS}: create a topic when a Metadata request names an
 *                                  unknown one (and the client allows it); default true, as in Kafka
 * @param defaultPartitions         {@value #NUM_PARTITIONS}: partitions of auto-created topics and of CreateTopics
 *                                  asking for -1; default 1
 * @param maxFrameBytes             {@value #MAX_FRAME_BYTES}: largest request accepted; a larger size prefix closes
 *                                  the connection; default 104857600 (Kafka's socket.request.max.bytes)
 * @param zeroCopy                  {@value #ZERO_COPY}: send fetched log data with sendfile; default true
 * @param groupInitialRebalanceDelayMs {@value #GROUP_INITIAL_REBALANCE_DELAY_MS}: how long the first rebalance of an
 *                                  empty group waits for more members; default 3000, as in Kafka
 * @param groupMinSessionTimeoutMs  {@value #GROUP_MIN_SESSION_TIMEOUT_MS}: default 6000
 * @param groupMaxSessionTimeoutMs  {@value #GROUP_MAX_SESSION_TIMEOUT_MS}: default 1800000
 * @param maxTransactionTimeoutMs   {@value #TRANSACTION_MAX_TIMEOUT_MS}: default 900000
 * @param consumerGroupSessionTimeoutMs {@value #GROUP_CONSUMER_SESSION_TIMEOUT_MS}: how long a KIP-848 consumer
 *                                  group member may go without a heartbeat before it is expelled and its partitions
 *                                  move; the broker decides it (the client's session.timeout.ms does not apply to
 *                                  this protocol); default 45000, as in Kafka
 * @param consumerGroupHeartbeatIntervalMs {@value #GROUP_CONSUMER_HEARTBEAT_INTERVAL_MS}: the heartbeat interval
 *                                  KIP-848 members are told to use; default 5000, as in Kafka
 * @param consumerGroupAssignors    {@value #GROUP_CONSUMER_ASSIGNORS}: comma-separated server-side assignors
 *                                  members may pick with group.remote.assignor ({@code uniform}, {@code range}); the
 *                                  first is used when members pick none; default "uniform,range", as in Kafka
 */
public record KafkaConfig(boolean autoCreateTopics, int defaultPartitions, int maxFrameBytes, boolean zeroCopy,
                          int groupInitialRebalanceDelayMs, int groupMinSessionTimeoutMs, int groupMaxSessionTimeoutMs,
                          int maxTransactionTimeoutMs, int consumerGroupSessionTimeoutMs,
                          int consumerGroupHeartbeatIntervalMs, java.util.List<String> consumerGroupAssignors) {

    public static final String AUTO_CREATE_TOPICS = "auto.create.topics";
    public static final String NUM_PARTITIONS = "num.partitions";
    public static final String MAX_FRAME_BYTES = "max.frame.bytes";
    public static final String ZERO_COPY = "zero.copy";
    public static final String GROUP_INITIAL_REBALANCE_DELAY_MS = "group.initial.rebalance.delay.ms";
    public static final String GROUP_MIN_SESSION_TIMEOUT_MS = "group.min.session.timeout.ms";
    public static final String GROUP_MAX_SESSION_TIMEOUT_MS = "group.max.session.timeout.ms";
    public static final String TRANSACTION_MAX_TIMEOUT_MS = "transaction.max.timeout.ms";
    public static final String GROUP_CONSUMER_SESSION_TIMEOUT_MS = "group.consumer.session.timeout.ms";
    public static final String GROUP_CONSUMER_HEARTBEAT_INTERVAL_MS = "group.consumer.heartbeat.interval.ms";
    public static final String GROUP_CONSUMER_ASSIGNORS = "group.consumer.assignors";

    public static KafkaConfig from(ProtocolSettings s) {
        return new KafkaConfig(
                s.getBoolean(AUTO_CREATE_TOPICS, true),
                s.getInt(NUM_PARTITIONS, 1),
                s.getInt(MAX_FRAME_BYTES, 104_857_600),
                s.getBoolean(ZERO_COPY, true),
                s.getInt(GROUP_INITIAL_REBALANCE_DELAY_MS, 3000),
                s.getInt(GROUP_MIN_SESSION_TIMEOUT_MS, 6000),
                s.getInt(GROUP_MAX_SESSION_TIMEOUT_MS, 1_800_000),
                s.getInt(TRANSACTION_MAX_TIMEOUT_MS, 900_000),
                s.getInt(GROUP_CONSUMER_SESSION_TIMEOUT_MS, 45_000),
                s.getInt(GROUP_CONSUMER_HEARTBEAT_INTERVAL_MS, 5000),
                java.util.Arrays.stream(s.get(GROUP_CONSUMER_ASSIGNORS, "uniform,range").split(","))
                        .map(String::trim).filter(x -> !x.isEmpty()).toList());
    }
}
