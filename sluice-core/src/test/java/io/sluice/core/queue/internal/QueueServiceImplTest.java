package io.sluice.core.queue.internal;

import static io.sluice.core.queue.internal.QueueFixture.CTX;
import static io.sluice.core.queue.internal.QueueFixture.bodies;
import static io.sluice.core.queue.internal.QueueFixture.consumer;
import static io.sluice.core.queue.internal.QueueFixture.subscribe;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.sluice.core.CallContext;
import io.sluice.core.ErrorCode;
import io.sluice.core.Message;
import io.sluice.core.Scope;
import io.sluice.core.SluiceException;
import io.sluice.core.queue.ConsumerSpec;
import io.sluice.core.queue.Delivery;
import io.sluice.core.queue.DeliveryGroup;
import io.sluice.core.queue.QueueArguments;
import io.sluice.core.queue.QueueInfo;
import io.sluice.core.queue.QueueService;
import io.sluice.core.queue.QueueSpec;
import io.sluice.core.queue.internal.QueueFixture.Collector;
import io.sluice.core.route.Binding;
import io.sluice.core.route.ExchangeSpec;
import io.sluice.core.route.ExchangeType;
import io.sluice.core.stream.Isolation;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class QueueServiceImplTest {
    private final QueueFixture f = new QueueFixture();
    private final QueueService qs = f.broker.queues();

    @AfterEach
    void close() {
        f.close();
    }

    private static void assertCode(ThrowingCallable call, ErrorCode code) {
        assertThatThrownBy(call).satisfies(t -> assertThat(SluiceException.from(t).code()).isEqualTo(code));
    }

    @Test
    void declareIsIdempotentAndChecksEquivalence() {
        QueueInfo a = qs.declare(CTX, QueueSpec.durable("q")).join();
        QueueInfo b = qs.declare(CTX, QueueSpec.durable("q")).join();
        assertThat(b.name()).isEqualTo(a.name()).isEqualTo("q");
        assertCode(() -> qs.declare(CTX, new QueueSpec("q", false, null, false, QueueArguments.DEFAULT)).join(),
                ErrorCode.QUEUE_EXISTS_DIFFERENT);
        QueueArguments ttl = new QueueArguments(1000, -1, -1, -1, QueueArguments.DEFAULT.overflow(), 0, null, null,
                -1, false, -1, false);
        assertCode(() -> qs.declare(CTX, new QueueSpec("q", true, null, false, ttl)).join(),
                ErrorCode.QUEUE_EXISTS_DIFFERENT);
        assertThat(qs.list(CTX)).extracting(QueueInfo::name).containsExactly("q");
    }

    @Test
    void serverNamedQueuesLookLikeRabbitMqs() {
        QueueInfo i = qs.declare(CTX, new QueueSpec("", false, "conn", false, QueueArguments.DEFAULT)).join();
        assertThat(i.name()).matches("amq\\.gen-[A-Za-z0-9_-]{22}");
        assertThat(qs.describe(CTX, i.name())).isPresent();
    }

    @Test
    void queuesAreScoped() {
        CallContext vhost = CTX.in(Scope.ofVirtualHost("other"));
        qs.declare(CTX, QueueSpec.durable("q")).join();
        assertThat(qs.describe(vhost, "q")).isEmpty();
        assertCode(() -> qs.enqueue(vhost, "q", Message.of("q", new byte[1])).join(), ErrorCode.QUEUE_NOT_FOUND);
    }

    @Test
    void exclusiveQueuesBelongToTheirConnection() {
        qs.declare(CTX, new QueueSpec("ex", false, "conn-1", false, QueueArguments.DEFAULT)).join();
        assertCode(() -> qs.declare(CTX, new QueueSpec("ex", false, "conn-2", false, QueueArguments.DEFAULT)).join(),
                ErrorCode.RESOURCE_LOCKED);
        DeliveryGroup g = qs.consumers(CTX, "ex");
        assertCode(() -> g.subscribe(new ConsumerSpec("c", "conn-2", 0, false, false, 0), new Collector()),
                ErrorCode.RESOURCE_LOCKED);
        subscribe(g, new ConsumerSpec("c", "conn-1", 0, false, false, 0));
        qs.ownerClosed("conn-1");
        await().until(() -> qs.describe(CTX, "ex").isEmpty());
        assertThat(f.broker.streams().list(CTX, true)).isEmpty();
    }

    @Test
    void autoDeleteQueueGoesWithItsLastConsumer() {
        qs.declare(CTX, new QueueSpec("ad", false, null, true, QueueArguments.DEFAULT)).join();
        DeliveryGroup g = qs.consumers(CTX, "ad");
        Collector a = subscribe(g, consumer("a", 0));
        Collector b = subscribe(g, consumer("b", 0));
        a.sub.close();
        await().until(() -> g.info().consumers().size() == 1);
        assertThat(qs.describe(CTX, "ad")).isPresent();
        b.sub.close();
        await().until(() -> qs.describe(CTX, "ad").isEmpty());
    }

    @Test
    void purgeDropsReadyButKeepsUnacked() {
        DeliveryGroup g = f.declare("q");
        f.publish("q", "1", "2", "3");
        Delivery held = g.fetch("c", 1, 0, false).join().get(0);
        assertThat(qs.purge(CTX, "q").join()).isEqualTo(2);
        QueueInfo i = qs.describe(CTX, "q").orElseThrow();
        assertThat(i.messages()).isZero();
        assertThat(i.unacked()).isEqualTo(1);
        g.nack(List.of(held.offset()), true, 0).join();
        assertThat(bodies(g.fetch("c", 5, 0, false).join())).containsExactly("1");
    }

    @Test
    void deleteHonoursIfUnusedAndIfEmptyAndCancelsConsumers() {
        DeliveryGroup g = f.declare("q");
        f.publish("q", "1", "2");
        Collector c = subscribe(g, consumer("c", 1));
        await().until(() -> c.got.size() == 1 && qs.describe(CTX, "q").orElseThrow().messages() == 1);
        assertCode(() -> qs.delete(CTX, "q", true, false).join(), ErrorCode.PRECONDITION_FAILED);
        assertCode(() -> qs.delete(CTX, "q", false, true).join(), ErrorCode.PRECONDITION_FAILED);
        assertThat(qs.delete(CTX, "q", false, false).join()).isEqualTo(1);
        await().until(() -> c.cancels.size() == 1);
        assertThat(qs.describe(CTX, "q")).isEmpty();
        assertThat(f.broker.streams().describe(CTX, "q")).isEmpty();
        assertCode(() -> qs.enqueue(CTX, "q", Message.of("q", new byte[1])).join(), ErrorCode.QUEUE_NOT_FOUND);
        // The name is free again, and the new queue starts empty.
        f.declare("q");
        assertThat(qs.describe(CTX, "q").orElseThrow().messages()).isZero();
    }

    @Test
    void describeCountsReadyUnackedConsumersAndBytes() {
        DeliveryGroup g = f.declare("q");
        f.publish("q", "12345", "678");
        g.fetch("c", 1, 0, false).join();
        QueueInfo i = qs.describe(CTX, "q").orElseThrow();
        assertThat(i.messages()).isEqualTo(1);
        assertThat(i.unacked()).isEqualTo(1);
        assertThat(i.bytes()).isGreaterThanOrEqualTo(3);
        assertThat(i.oldestReadyTimestamp()).isEqualTo(f.clock.millis());
    }

    @Test
    void ackedMessagesAreRemovedFromTheQueueLog() {
        DeliveryGroup g = f.declare("q");
        f.publish("q", "1", "2", "3");
        List<Delivery> ds = g.fetch("c", 2, 0, false).join();
        g.ack(ds.stream().map(Delivery::offset).toList()).join();
        await().until(() -> f.broker.streams().partition(CTX, "q", 0).logStartOffset() == 2);
    }

    @Test
    void exchangesRouteIntoQueuesAndStreamQueues() {
        f.declare("q");
        QueueArguments stream = new QueueArguments(-1, -1, -1, -1, QueueArguments.DEFAULT.overflow(), 0, null, null,
                -1, false, -1, true);
        qs.declare(CTX, new QueueSpec("sq", true, null, false, stream)).join();
        var ex = f.broker.exchanges();
        ex.declare(CTX, new ExchangeSpec("fan", ExchangeType.FANOUT, true, false, false, null, Map.of())).join();
        ex.bind(CTX, new Binding("fan", "q", false, "", Map.of())).join();
        ex.bind(CTX, new Binding("fan", "sq", false, "", Map.of())).join();
        var r = ex.publish(CTX, "fan", "rk", Map.of(), Message.of(null, "x".getBytes(StandardCharsets.UTF_8))).join();
        assertThat(r.routedQueues()).isEqualTo(2);
        Delivery d = qs.consumers(CTX, "q").fetch("c", 1, 0, false).join().get(0);
        assertThat(d.message().subject()).isEqualTo("rk");
        var p = f.broker.streams().partition(CTX, "sq", 0);
        assertThat(p.highWatermark()).isEqualTo(1);
        assertThat(p.read(0, 1024, Isolation.READ_UNCOMMITTED).records().sizeInBytes()).isPositive();
        assertCode(() -> qs.consumers(CTX, "sq"), ErrorCode.INVALID_ARGUMENT);
        qs.delete(CTX, "q", false, false).join();
        assertThat(ex.bindings(CTX, "fan")).extracting(Binding::destination).containsExactly("sq");
    }

    @Test
    void unknownQueueFails() {
        assertCode(() -> qs.consumers(CTX, "nope"), ErrorCode.QUEUE_NOT_FOUND);
        assertThatThrownBy(() -> qs.purge(CTX, "nope").join()).isInstanceOf(CompletionException.class);
    }
}
