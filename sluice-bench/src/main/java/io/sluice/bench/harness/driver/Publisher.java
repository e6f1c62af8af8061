package io.sluice.bench.harness.driver;

import java.time.Duration;

/**
 * Durable, acknowledged publishing through one protocol's official client. Used by one thread.
 *
 * <p>{@link #send} is asynchronous but bounded: it blocks while the protocol's window of unconfirmed messages is
 * full (see {@link ConfirmWindow}), so a publisher cannot run ahead of what the server has durably accepted by more
 * than the window.
 */
public interface Publisher extends AutoCloseable {
    void send(int destination, byte[] body) throws Exception;

    /** Blocks until every message sent so far is confirmed; throws if any was refused or the wait times out. */
    void awaitConfirms(Duration timeout) throws Exception;

    @Override
    void close() throws Exception;
}
