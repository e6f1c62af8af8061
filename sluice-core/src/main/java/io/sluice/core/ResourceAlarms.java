package io.sluice.core;

import java.util.function.Consumer;

/**
 * Memory and disk watermarks, as RabbitMQ's alarms: while one is raised, publishing connections are blocked
 * (AMQP connection.blocked) and unblocked when it clears; consumers are never blocked.
 */
public interface ResourceAlarms {

    /** True while any alarm is raised. */
    boolean publishingBlocked();

    /** A short reason while blocked ("low on disk", "memory high watermark"), else null. */
    String reason();

    /** Called with true when publishing becomes blocked, false when it is unblocked; on a core thread. */
    AutoCloseable onChange(Consumer<Boolean> listener);
}
