package io.sluice.it.amqp;

import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import io.sluice.testkit.EmbeddedSluice;

import java.util.Map;

/**
 * A whole embedded Sluice node (the test kit's, with the real server, its file store and every protocol) for the
 * AMQP tests, with a RabbitMQ Java client factory pointed at its AMQP port. One per test class. The log is written
 * through the OS cache (no fsync per publish) to keep the suite fast; {@link #restart()} still exercises recovery
 * from disk.
 */
final class AmqpItBroker implements AutoCloseable {

    private final EmbeddedSluice sluice;

    AmqpItBroker() {
        this(Map.of());
    }

    /** With AMQP settings ({@code users}, {@code vhosts}, ... without the {@code amqp.} prefix). */
    AmqpItBroker(Map<String, String> amqpSettings) {
        EmbeddedSluice.Builder b = EmbeddedSluice.builder().set("log.durability", "os-cache");
        amqpSettings.forEach((k, v) -> b.set("amqp." + k, v));
        sluice = b.start();
    }

    int port() {
        return sluice.port("amqp");
    }

    ConnectionFactory factory() {
        ConnectionFactory f = new ConnectionFactory();
        f.setHost("127.0.0.1");
        f.setPort(port());
        f.setAutomaticRecoveryEnabled(false);
        f.setConnectionTimeout(5000);
        f.setHandshakeTimeout(5000);
        f.setChannelRpcTimeout(10_000);
        return f;
    }

    Connection connect() throws Exception {
        return factory().newConnection();
    }

    /** Clean shutdown and start on the same data folder and port. */
    void restart() {
        sluice.restart();
    }

    @Override
    public void close() {
        sluice.close();
    }
}
