package io.sluice.core.internal;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.storage.LogConfig;
import io.sluice.storage.LogStore;
import java.nio.file.Path;
import java.time.Clock;

/**
 * How to build a {@link DefaultBroker}. The broker takes ownership of both log stores and closes them.
 *
 * @param logs                durable log store (a file store in production)
 * @param transientLogs       store for non-durable queues (an in-memory store)
 * @param dataDir             the data folder, for the disk alarm; null disables it
 * @param clock               broker time
 * @param defaultLog          defaults for stream logs
 * @param meters              metrics registry
 * @param workerThreads       threads running the core's serial executors (2 suits a 2-core machine)
 * @param nodeId              this node's id (Kafka broker id)
 * @param memoryHighWatermark heap fraction raising the memory alarm; 0 disables
 * @param diskFreeLimitBytes  free bytes below which the disk alarm is raised; 0 disables
 */
public record BrokerOptions(LogStore logs, LogStore transientLogs, Path dataDir, Clock clock, LogConfig defaultLog,
                            MeterRegistry meters, int workerThreads, int nodeId, double memoryHighWatermark,
                            long diskFreeLimitBytes) {

    public static BrokerOptions of(LogStore logs, LogStore transientLogs) {
        return new BrokerOptions(logs, transientLogs, null, Clock.systemUTC(), LogConfig.defaults(),
                new SimpleMeterRegistry(), 2, 1, 0.8, 0);
    }

    public BrokerOptions withClock(Clock c) {
        return new BrokerOptions(logs, transientLogs, dataDir, c, defaultLog, meters, workerThreads, nodeId,
                memoryHighWatermark, diskFreeLimitBytes);
    }

    public BrokerOptions withDefaultLog(LogConfig c) {
        return new BrokerOptions(logs, transientLogs, dataDir, clock, c, meters, workerThreads, nodeId,
                memoryHighWatermark, diskFreeLimitBytes);
    }
}
