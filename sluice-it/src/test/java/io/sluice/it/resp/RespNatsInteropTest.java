package io.sluice.it.resp;

import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.protocol.ProtocolVersion;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Subscription;
import io.sluice.testkit.SluiceExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Redis channels and NATS core subjects are the same transient pub/sub of the core. */
@Tag("it")
class RespNatsInteropTest {

    @RegisterExtension
    static final SluiceExtension sluice = new SluiceExtension();
    static LettuceSupport lettuce;

    @BeforeAll
    static void start() {
        lettuce = new LettuceSupport(sluice.redisUri());
    }

    @AfterAll
    static void stop() {
        lettuce.close();
    }

    @Test
    void publishCrossesProtocols() throws Exception {
        List<String> redisGot = new CopyOnWriteArrayList<>();
        try (StatefulRedisPubSubConnection<String, String> sub = lettuce.client(ProtocolVersion.RESP3).connectPubSub();
             StatefulRedisConnection<String, String> pub = lettuce.connect(ProtocolVersion.RESP3);
             Connection nats = Nats.connect(sluice.natsUrl())) {
            sub.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String channel, String message) {
                    redisGot.add(channel + "=" + message);
                }
            });
            sub.sync().subscribe("orders.created");
            nats.publish("orders.created", "from-nats".getBytes(StandardCharsets.UTF_8));
            nats.flush(Duration.ofSeconds(5));
            await().atMost(Duration.ofSeconds(10)).until(() -> redisGot.contains("orders.created=from-nats"));

            Subscription natsSub = nats.subscribe("orders.*");
            nats.flush(Duration.ofSeconds(5));
            assertThat(pub.sync().publish("orders.paid", "from-redis")).isEqualTo(1);
            Message m = natsSub.nextMessage(Duration.ofSeconds(10));
            assertThat(m).isNotNull();
            assertThat(m.getSubject()).isEqualTo("orders.paid");
            assertThat(new String(m.getData(), StandardCharsets.UTF_8)).isEqualTo("from-redis");
        }
    }
}
