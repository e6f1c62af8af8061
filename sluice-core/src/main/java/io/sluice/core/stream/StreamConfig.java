package io.sluice.core.stream;

import io.sluice.storage.CleanupPolicy;
import io.sluice.storage.Durability;
import io.sluice.storage.LogConfig;
import io.sluice.storage.TimestampType;
import java.util.Map;

/**
 * The stream configuration keys the core understands, named as Kafka names them where Kafka has the setting, and how
 * they become a storage {@link LogConfig}. Defaults are the broker-wide defaults passed in.
 */
public final class StreamConfig {
    public static final String RETENTION_MS = "retention.ms";
    public static final String RETENTION_BYTES = "retention.bytes";
    public static final String CLEANUP_POLICY = "cleanup.policy";
    public static final String SEGMENT_BYTES = "segment.bytes";
    public static final String SEGMENT_MS = "segment.ms";
    public static final String MAX_MESSAGE_BYTES = "max.message.bytes";
    public static final String MESSAGE_TIMESTAMP_TYPE = "message.timestamp.type";
    public static final String DELETE_RETENTION_MS = "delete.retention.ms";
    /** Sluice's own: {@code fsync} (default) or {@code os-cache}; see {@link Durability}. */
    public static final String DURABILITY = "durability";
    /** Sluice's own: JetStream duplicate window for Nats-Msg-Id dedupe, in ms (default 120000). */
    public static final String DUPLICATE_WINDOW_MS = "duplicate.window.ms";

    private StreamConfig() {
    }

    /** Overlays a stream's explicit settings on the broker defaults. */
    public static LogConfig toLogConfig(Map<String, String> config, LogConfig defaults) {
        LogConfig c = defaults;
        long retentionMs = Long.parseLong(config.getOrDefault(RETENTION_MS, Long.toString(c.retentionMs())));
        long retentionBytes = Long.parseLong(config.getOrDefault(RETENTION_BYTES, Long.toString(c.retentionBytes())));
        CleanupPolicy policy = config.containsKey(CLEANUP_POLICY)
                ? CleanupPolicy.parse(config.get(CLEANUP_POLICY)) : c.cleanupPolicy();
        Durability durability = config.containsKey(DURABILITY)
                ? Durability.fromConfigName(config.get(DURABILITY)) : c.durability();
        TimestampType tsType = c.timestampType();
        if (config.containsKey(MESSAGE_TIMESTAMP_TYPE)) {
            tsType = switch (config.get(MESSAGE_TIMESTAMP_TYPE)) {
                case "LogAppendTime" -> TimestampType.LOG_APPEND_TIME;
                case "CreateTime" -> TimestampType.CREATE_TIME;
                default -> throw new IllegalArgumentException(
                        "message.timestamp.type must be CreateTime or LogAppendTime");
            };
        }
        return new LogConfig(
                Integer.parseInt(config.getOrDefault(SEGMENT_BYTES, Integer.toString(c.segmentBytes()))),
                Long.parseLong(config.getOrDefault(SEGMENT_MS, Long.toString(c.segmentMs()))),
                c.indexIntervalBytes(),
                retentionMs,
                retentionBytes,
                policy,
                durability,
                c.flushIntervalMs(),
                Integer.parseInt(config.getOrDefault(MAX_MESSAGE_BYTES, Integer.toString(c.maxBatchBytes()))),
                tsType,
                Long.parseLong(config.getOrDefault(DELETE_RETENTION_MS, Long.toString(c.deleteRetentionMs()))));
    }

    /** Validates every known key of a config map; throws IllegalArgumentException naming the bad key. */
    public static void validate(Map<String, String> config) {
        try {
            toLogConfig(config, LogConfig.defaults());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid number in stream config: " + e.getMessage(), e);
        }
    }
}
