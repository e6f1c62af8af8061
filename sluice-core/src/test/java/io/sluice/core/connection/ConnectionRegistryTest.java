package io.sluice.core.connection;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.core.Scope;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ConnectionRegistryTest {
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final Clock clock = Clock.fixed(Instant.ofEpochMilli(42_000), ZoneOffset.UTC);
    final ConnectionRegistry registry = new ConnectionRegistry(clock, meters);

    double meter(String name, String protocol) {
        var m = meters.find(name).tag("protocol", protocol).meter();
        assertThat(m).as(name + "{protocol=" + protocol + "}").isNotNull();
        return m.measure().iterator().next().getValue();
    }

    @Test
    void protocolMetersExistBeforeTheFirstConnection() {
        registry.protocol("kafka");
        assertThat(meter("sluice.connections", "kafka")).isZero();
        assertThat(meter("sluice.connections.opened", "kafka")).isZero();
        assertThat(meter("sluice.connection.received.bytes", "kafka")).isZero();
    }

    @Test
    void registersDescribesCountsAndUnregisters() {
        AtomicInteger closes = new AtomicInteger();
        Connection a = registry.open("nats", "127.0.0.1:5000", "127.0.0.1:4222", closes::incrementAndGet);
        Connection b = registry.open("kafka", "127.0.0.1:5001", "127.0.0.1:9092", () -> { });
        a.user("alice").clientName("orders-app").scope(new Scope("acme", "prod"));
        b.clientId("producer-1");
        a.bytesReceived(100);
        a.bytesReceived(20);
        a.bytesSent(7);
        a.messagesReceived(3);
        a.messagesSent(2);
        IllegalStateException boom = new IllegalStateException("boom");
        a.error(boom);
        a.error(boom); // reported by the transport and again by the adapter: one error
        b.bytesReceived(5);

        ConnectionInfo info = registry.find(a.id()).orElseThrow();
        assertThat(info.protocol()).isEqualTo("nats");
        assertThat(info.remoteAddress()).isEqualTo("127.0.0.1:5000");
        assertThat(info.localAddress()).isEqualTo("127.0.0.1:4222");
        assertThat(info.user()).isEqualTo("alice");
        assertThat(info.clientName()).isEqualTo("orders-app");
        assertThat(info.tenant()).isEqualTo("acme");
        assertThat(info.namespace()).isEqualTo("prod");
        assertThat(info.connectedAtMs()).isEqualTo(42_000);
        assertThat(info.receivedBytes()).isEqualTo(120);
        assertThat(info.sentBytes()).isEqualTo(7);
        assertThat(info.receivedMessages()).isEqualTo(3);
        assertThat(info.sentMessages()).isEqualTo(2);
        assertThat(info.errors()).isEqualTo(1);
        assertThat(registry.find(b.id()).orElseThrow().clientId()).isEqualTo("producer-1");

        assertThat(registry.list()).extracting(ConnectionInfo::id).containsExactly(a.id(), b.id());
        assertThat(registry.list("kafka")).extracting(ConnectionInfo::id).containsExactly(b.id());
        assertThat(meter("sluice.connections", "nats")).isEqualTo(1);
        assertThat(meter("sluice.connection.received.bytes", "nats")).isEqualTo(120);
        assertThat(meter("sluice.connection.received.bytes", "kafka")).isEqualTo(5);
        assertThat(meter("sluice.connection.sent.bytes", "nats")).isEqualTo(7);
        assertThat(meter("sluice.connection.received.messages", "nats")).isEqualTo(3);
        assertThat(meter("sluice.connection.sent.messages", "nats")).isEqualTo(2);
        assertThat(meter("sluice.connection.errors", "nats")).isEqualTo(1);

        // An operator's close asks the transport; the connection leaves once the transport reports it closed.
        assertThat(registry.close(a.id())).isTrue();
        assertThat(closes).hasValue(1);
        a.closed();
        a.closed();
        assertThat(registry.find(a.id())).isEmpty();
        assertThat(registry.close(a.id())).isFalse();
        assertThat(meter("sluice.connections", "nats")).isZero();
        assertThat(meter("sluice.connections.opened", "nats")).isEqualTo(1);
        assertThat(meter("sluice.connections.closed", "nats")).isEqualTo(1);
        // totals outlive the connection: counters never go back
        assertThat(meter("sluice.connection.received.bytes", "nats")).isEqualTo(120);
    }

    @Test
    void idsAreNeverReused() {
        Connection a = registry.open("resp", "r", "l", () -> { });
        a.closed();
        Connection b = registry.open("resp", "r", "l", () -> { });
        assertThat(b.id()).isGreaterThan(a.id());
    }

    @Test
    void detachedHandlesCountIntoNoRegistry() {
        Connection d = Connection.detached("amqp");
        d.bytesReceived(10);
        d.user("guest");
        d.closed();
        assertThat(d.info().receivedBytes()).isEqualTo(10);
        assertThat(registry.list()).isEmpty();
        assertThat(meters.find("sluice.connections").meters()).isEmpty();
    }
}
