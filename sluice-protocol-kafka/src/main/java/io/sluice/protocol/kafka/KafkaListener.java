package io.sluice.protocol.kafka;

import io.netty.channel.socket.SocketChannel;
import io.sluice.core.CallContext;
import io.sluice.protocol.kafka.api.KafkaAddOffsetsToTxnHandler;
import io.sluice.protocol.kafka.api.KafkaAddPartitionsToTxnHandler;
import io.sluice.protocol.kafka.api.KafkaApiVersionsHandler;
import io.sluice.protocol.kafka.api.KafkaConsumerGroupDescribeHandler;
import io.sluice.protocol.kafka.api.KafkaConsumerGroupHeartbeatHandler;
import io.sluice.protocol.kafka.api.KafkaCreatePartitionsHandler;
import io.sluice.protocol.kafka.api.KafkaCreateTopicsHandler;
import io.sluice.protocol.kafka.api.KafkaDeleteGroupsHandler;
import io.sluice.protocol.kafka.api.KafkaDeleteRecordsHandler;
import io.sluice.protocol.kafka.api.KafkaDeleteTopicsHandler;
import io.sluice.protocol.kafka.api.KafkaDescribeClusterHandler;
import io.sluice.protocol.kafka.api.KafkaDescribeConfigsHandler;
import io.sluice.protocol.kafka.api.KafkaDescribeGroupsHandler;
import io.sluice.protocol.kafka.api.KafkaDescribeTopicPartitionsHandler;
import io.sluice.protocol.kafka.api.KafkaEndTxnHandler;
import io.sluice.protocol.kafka.api.KafkaFetchHandler;
import io.sluice.protocol.kafka.api.KafkaFindCoordinatorHandler;
import io.sluice.protocol.kafka.api.KafkaHeartbeatHandler;
import io.sluice.protocol.kafka.api.KafkaIncrementalAlterConfigsHandler;
import io.sluice.protocol.kafka.api.KafkaInitProducerIdHandler;
import io.sluice.protocol.kafka.api.KafkaJoinGroupHandler;
import io.sluice.protocol.kafka.api.KafkaLeaveGroupHandler;
import io.sluice.protocol.kafka.api.KafkaListGroupsHandler;
import io.sluice.protocol.kafka.api.KafkaListOffsetsHandler;
import io.sluice.protocol.kafka.api.KafkaMetadataHandler;
import io.sluice.protocol.kafka.api.KafkaOffsetCommitHandler;
import io.sluice.protocol.kafka.api.KafkaOffsetFetchHandler;
import io.sluice.protocol.kafka.api.KafkaProduceHandler;
import io.sluice.protocol.kafka.api.KafkaSyncGroupHandler;
import io.sluice.protocol.kafka.api.KafkaTxnOffsetCommitHandler;
import io.sluice.protocol.kafka.codec.KafkaFrameDecoder;
import io.sluice.protocol.kafka.codec.KafkaResponseEncoder;
import io.sluice.protocol.kafka.group.KafkaConsumerGroupCoordinator;
import io.sluice.protocol.kafka.group.KafkaGroupCoordinator;
import io.sluice.protocol.kafka.group.KafkaTopicView;
import io.sluice.protocol.kafka.message.KafkaApiKey;
import io.sluice.protocol.kafka.session.KafkaConnection;
import io.sluice.protocol.kafka.session.KafkaDispatcher;
import io.sluice.protocol.kafka.session.KafkaErrors;
import io.sluice.protocol.kafka.session.KafkaFetchSessionCache;
import io.sluice.protocol.kafka.session.KafkaNode;
import io.sluice.protocol.kafka.session.KafkaTopics;
import io.sluice.protocol.kafka.txn.KafkaTransactionCoordinator;
import io.sluice.transport.ProtocolContext;
import io.sluice.transport.ProtocolHandlers;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * One Kafka listener: the shared state of its connections (coordinators, the dispatch table) and the pipeline of
 * each connection: {@code frame decoder -> response encoder -> connection (dispatch)}. Closing it stops the
 * coordinators' timer thread.
 *
 * <p>The dispatch table below is the list of advertised apis and versions. Produce is advertised from v0 although
 * only v3+ exist, because older librdkafka disables compression otherwise (KAFKA-18659).
 */
public final class KafkaListener implements ProtocolHandlers {

    private final KafkaNode node;
    private final KafkaDispatcher dispatcher = new KafkaDispatcher();
    private final KafkaResponseEncoder encoder;
    private final ScheduledExecutorService scheduler;
    private final KafkaFetchSessionCache fetchSessions;

    public KafkaListener(ProtocolContext context) {
        KafkaConfig config = KafkaConfig.from(context.settings());
        this.fetchSessions = KafkaFetchSessionCache.from(context.settings(), context.broker().clock()::millis,
                context.meters());
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sluice-kafka-coordinator");
            t.setDaemon(true);
            return t;
        });
        var broker = context.broker();
        KafkaTopics topics = new KafkaTopics(broker.streams(), config.defaultPartitions());
        KafkaGroupCoordinator groups = new KafkaGroupCoordinator(broker.clock(), scheduler,
                config.groupInitialRebalanceDelayMs(), config.groupMinSessionTimeoutMs(), config.groupMaxSessionTimeoutMs());
        KafkaTransactionCoordinator txns = new KafkaTransactionCoordinator(broker, topics, scheduler,
                config.maxTransactionTimeoutMs());
        KafkaConsumerGroupCoordinator consumerGroups = new KafkaConsumerGroupCoordinator(broker.clock(), scheduler,
                topicView(topics), config.consumerGroupSessionTimeoutMs(), config.consumerGroupHeartbeatIntervalMs(),
                config.consumerGroupAssignors(), groupId -> groups.delete(groupId) == KafkaErrors.NONE);
        this.node = new KafkaNode(broker, config, broker.nodeId(), context.advertisedHost(), context.advertisedPort(),
                topics, groups, txns, scheduler, consumerGroups);
        this.encoder = new KafkaResponseEncoder(config.zeroCopy());
        dispatcher
                .register(KafkaApiKey.PRODUCE, 0, 13, new KafkaProduceHandler(node))
                .register(KafkaApiKey.FETCH, 4, 17, new KafkaFetchHandler(node, fetchSessions))
                .register(KafkaApiKey.LIST_OFFSETS, 1, 10, new KafkaListOffsetsHandler(node))
                .register(KafkaApiKey.METADATA, 0, 13, new KafkaMetadataHandler(node))
                .register(KafkaApiKey.OFFSET_COMMIT, 2, 9, new KafkaOffsetCommitHandler(node))
                .register(KafkaApiKey.OFFSET_FETCH, 1, 9, new KafkaOffsetFetchHandler(node))
                .register(KafkaApiKey.FIND_COORDINATOR, 0, 6, new KafkaFindCoordinatorHandler(node))
                .register(KafkaApiKey.JOIN_GROUP, 0, 9, new KafkaJoinGroupHandler(node))
                .register(KafkaApiKey.HEARTBEAT, 0, 4, new KafkaHeartbeatHandler(node))
                .register(KafkaApiKey.LEAVE_GROUP, 0, 5, new KafkaLeaveGroupHandler(node))
                .register(KafkaApiKey.SYNC_GROUP, 0, 5, new KafkaSyncGroupHandler(node))
                .register(KafkaApiKey.DESCRIBE_GROUPS, 0, 6, new KafkaDescribeGroupsHandler(node))
                .register(KafkaApiKey.LIST_GROUPS, 0, 5, new KafkaListGroupsHandler(node))
                .register(KafkaApiKey.API_VERSIONS, 0, 4, new KafkaApiVersionsHandler(dispatcher, node))
                .register(KafkaApiKey.CREATE_TOPICS, 2, 7, new KafkaCreateTopicsHandler(node))
                .register(KafkaApiKey.DELETE_TOPICS, 1, 6, new KafkaDeleteTopicsHandler(node))
                .register(KafkaApiKey.DELETE_RECORDS, 0, 2, new KafkaDeleteRecordsHandler(node))
                .register(KafkaApiKey.INIT_PRODUCER_ID, 0, 5, new KafkaInitProducerIdHandler(node))
                .register(KafkaApiKey.ADD_PARTITIONS_TO_TXN, 0, 3, new KafkaAddPartitionsToTxnHandler(node))
                .register(KafkaApiKey.ADD_OFFSETS_TO_TXN, 0, 4, new KafkaAddOffsetsToTxnHandler(node))
                .register(KafkaApiKey.END_TXN, 0, 4, new KafkaEndTxnHandler(node))
                .register(KafkaApiKey.TXN_OFFSET_COMMIT, 0, 4, new KafkaTxnOffsetCommitHandler(node))
                .register(KafkaApiKey.DESCRIBE_CONFIGS, 1, 4, new KafkaDescribeConfigsHandler(node))
                .register(KafkaApiKey.CREATE_PARTITIONS, 0, 3, new KafkaCreatePartitionsHandler(node))
                .register(KafkaApiKey.DELETE_GROUPS, 0, 2, new KafkaDeleteGroupsHandler(node))
                .register(KafkaApiKey.INCREMENTAL_ALTER_CONFIGS, 0, 1, new KafkaIncrementalAlterConfigsHandler(node))
                .register(KafkaApiKey.DESCRIBE_CLUSTER, 0, 2, new KafkaDescribeClusterHandler(node))
                .register(KafkaApiKey.DESCRIBE_TOPIC_PARTITIONS, 0, 0, new KafkaDescribeTopicPartitionsHandler(node))
                .register(KafkaApiKey.CONSUMER_GROUP_HEARTBEAT, 0, 1, new KafkaConsumerGroupHeartbeatHandler(node))
                .register(KafkaApiKey.CONSUMER_GROUP_DESCRIBE, 0, 1, new KafkaConsumerGroupDescribeHandler(node));
    }

    /** Topics as the consumer-group coordinator sees them: id and partition count by name, and the full list. */
    private static KafkaTopicView topicView(KafkaTopics topics) {
        return new KafkaTopicView() {
            @Override
            public java.util.Optional<Topic> byName(String name) {
                return topics.describe(CallContext.DEFAULT, name).map(s -> new Topic(s.name(), s.id(), s.partitions()));
            }

            @Override
            public java.util.List<Topic> all() {
                return topics.list(CallContext.DEFAULT).stream().map(s -> new Topic(s.name(), s.id(), s.partitions())).toList();
            }
        };
    }

    public KafkaNode node() {
        return node;
    }

    /** The incremental fetch sessions of this listener. */
    public KafkaFetchSessionCache fetchSessions() {
        return fetchSessions;
    }

    public KafkaDispatcher dispatcher() {
        return dispatcher;
    }

    @Override
    public void initChannel(SocketChannel channel) {
        channel.pipeline().addLast("kafka-frames", new KafkaFrameDecoder(node.config().maxFrameBytes()));
        channel.pipeline().addLast("kafka-encoder", encoder);
        channel.pipeline().addLast("kafka-connection", new KafkaConnection(dispatcher, CallContext.DEFAULT));
    }

    @Override
    public void close() {
        node.groups().close();
        node.consumerGroups().close();
        node.transactions().close();
        scheduler.shutdownNow();
    }
}
