package io.sluice.core;

/** The core API every protocol adapter calls. (Services are added as the core lands.) */
public interface Broker extends AutoCloseable {
    @Override
    void close();
}
