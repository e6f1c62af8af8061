package io.sluice.it.resp;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.protocol.ProtocolVersion;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.sluice.testkit.SluiceExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** PUBLISH/SUBSCRIBE/PSUBSCRIBE through Lettuce's pub/sub connection in RESP2 and RESP3. */
@Tag("it")
class RespPubSubTest {

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

    @ParameterizedTest
    @EnumSource(ProtocolVersion.class)
    void channelsAndPatterns(ProtocolVersion v) {
        RedisClient client = lettuce.client(v);
        try (StatefulRedisPubSubConnection<String, String> sub = client.connectPubSub();
             StatefulRedisConnection<String, String> pub = client.connect()) {
            List<String> got = new CopyOnWriteArrayList<>();
            sub.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String channel, String message) {
                    got.add(channel + "=" + message);
                }

                @Override
                public void message(String pattern, String channel, String message) {
                    got.add(pattern + ":" + channel + "=" + message);
                }
            });
            String ch = "news-" + v;
            sub.sync().subscribe(ch);
            sub.sync().psubscribe("sport.*." + v);
            assertThat(pub.sync().publish(ch, "hello")).isEqualTo(1);
            assertThat(pub.sync().publish("sport.ski." + v, "snow")).isEqualTo(1);
            assertThat(pub.sync().publish("other", "x")).isZero();
            await().atMost(Duration.ofSeconds(10)).until(() -> got.size() == 2);
            assertThat(got).containsExactlyInAnyOrder(ch + "=hello", "sport.*." + v + ":sport.ski." + v + "=snow");
            sub.sync().unsubscribe(ch);
            sub.sync().punsubscribe("sport.*." + v);
            assertThat(pub.sync().publish(ch, "gone")).isZero();
            if (v == ProtocolVersion.RESP3) {
                // RESP3: a subscribed connection runs ordinary commands too.
                sub.sync().subscribe(ch);
                assertThat(sub.sync().ping()).isEqualTo("PONG");
            }
        }
    }

}
