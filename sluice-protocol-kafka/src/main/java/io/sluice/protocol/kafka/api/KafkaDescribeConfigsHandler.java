package io.sluice.protocol.kafka.api;

import io.sluice.core.stream.StreamConfig;
import io.sluice.core.stream.StreamInfo;
import io.sluice.protocol.kafka.message.DescribeConfigsRequest;
import io.sluice.protocol.kafka.message.DescribeConfigsResponse;
import io.sluice.storage.LogConfig;
import io.sluice.storage.TimestampType;
import io.sluice.protocol.kafka.session.KafkaApiHandler;
import io.sluice.protocol.kafka.session.KafkaErrors;
import io.sluice.protocol.kafka.session.KafkaNode;
import io.sluice.protocol.kafka.session.KafkaRequestContext;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * DescribeConfigs (v1-4): a topic's effective settings (explicit ones as DYNAMIC_TOPIC_CONFIG, the rest as
 * DEFAULT_CONFIG), including unknown keys the topic was created with. A broker resource is answered with an empty
 * list: broker settings are not exposed over Kafka.
 */
public final class KafkaDescribeConfigsHandler implements KafkaApiHandler<DescribeConfigsRequest> {

    static final byte TOPIC = 2;
    static final byte BROKER = 4;
    static final byte SOURCE_DYNAMIC_TOPIC = 1;
    static final byte SOURCE_DEFAULT = 5;

    private final KafkaNode node;

    public KafkaDescribeConfigsHandler(KafkaNode node) {
        this.node = node;
    }

    @Override
    public CompletionStage<DescribeConfigsResponse> handle(KafkaRequestContext ctx, DescribeConfigsRequest req) {
        DescribeConfigsResponse resp = new DescribeConfigsResponse();
        for (DescribeConfigsRequest.DescribeConfigsResource r : req.resources) {
            DescribeConfigsResponse.DescribeConfigsResult res = new DescribeConfigsResponse.DescribeConfigsResult()
                    .setResourceType(r.resourceType).setResourceName(r.resourceName).setErrorMessage(null);
            resp.results.add(res);
            if (r.resourceType == BROKER) {
                continue;
            }
            if (r.resourceType != TOPIC) {
                res.setErrorCode(KafkaErrors.INVALID_REQUEST).setErrorMessage("unsupported resource type " + r.resourceType);
                continue;
            }
            Optional<StreamInfo> info = node.topics().describe(ctx.call(), r.resourceName);
            if (info.isEmpty()) {
                res.setErrorCode(KafkaErrors.UNKNOWN_TOPIC_OR_PARTITION).setErrorMessage("Topic " + r.resourceName + " does not exist.");
                continue;
            }
            for (Map.Entry<String, String> e : effective(info.get().config()).entrySet()) {
                if (r.configurationKeys != null && !r.configurationKeys.contains(e.getKey())) {
                    continue;
                }
                boolean explicit = info.get().config().containsKey(e.getKey());
                res.configs.add(new DescribeConfigsResponse.DescribeConfigsResourceResult().setName(e.getKey())
                        .setValue(e.getValue()).setReadOnly(false).setIsSensitive(false)
                        .setConfigSource(explicit ? SOURCE_DYNAMIC_TOPIC : SOURCE_DEFAULT).setDocumentation(null));
            }
        }
        return CompletableFuture.completedFuture(resp);
    }

    /** Known keys with their effective values, then any other explicit key. */
    static Map<String, String> effective(Map<String, String> explicit) {
        LogConfig c = StreamConfig.toLogConfig(explicit, LogConfig.defaults());
        Map<String, String> out = new LinkedHashMap<>();
        out.put(StreamConfig.CLEANUP_POLICY, c.cleanupPolicy().configValue());
        out.put(StreamConfig.RETENTION_MS, Long.toString(c.retentionMs()));
        out.put(StreamConfig.RETENTION_BYTES, Long.toString(c.retentionBytes()));
        out.put(StreamConfig.SEGMENT_BYTES, Integer.toString(c.segmentBytes()));
        out.put(StreamConfig.SEGMENT_MS, Long.toString(c.segmentMs()));
        out.put(StreamConfig.MAX_MESSAGE_BYTES, Integer.toString(c.maxBatchBytes()));
        out.put(StreamConfig.MESSAGE_TIMESTAMP_TYPE,
                c.timestampType() == TimestampType.LOG_APPEND_TIME ? "LogAppendTime" : "CreateTime");
        out.put(StreamConfig.DELETE_RETENTION_MS, Long.toString(c.deleteRetentionMs()));
        explicit.forEach(out::putIfAbsent);
        return out;
    }
}
