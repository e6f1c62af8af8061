package io.sluice.bench.harness.driver;

/** Receives each delivered message body; called on the client library's delivery thread, before the ack. */
@FunctionalInterface
public interface Sink {
    void onMessage(byte[] body);
}
