package io.sluice.core.internal;

import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.storage.LogConfig;
import io.sluice.storage.LogStore;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;

/**
 * What the core's services share: the log store, the worker pool that serial executors run on, a scheduler for
 * timers (leases, TTLs, long-poll timeouts), the clock, the default log config and the meter registry. Built once by
 * {@link io.sluice.core.internal.DefaultBroker}.
 *
 * @param logs       durable logs (a file store; an in-memory store in tests)
 * @param transientLogs logs of non-durable queues and streams, gone at restart
 * @param workers    pool for {@link SerialExecutor}s; small (the machine may have two cores)
 * @param scheduler  single-threaded timer; tasks only hand off to serial executors
 * @param clock      broker time
 * @param defaultLog broker-wide defaults for stream logs
 * @param meters     metrics
 */
public record CoreRuntime(LogStore logs, LogStore transientLogs, ExecutorService workers, ScheduledExecutorService scheduler, Clock clock,
                          LogConfig defaultLog, MeterRegistry meters) {
}
