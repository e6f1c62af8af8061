package io.sluice.protocol.resp.session;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.protocol.ProtocolVersion;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class RespPubSubTest {

    static RespTestServer server;
    static LettuceSupport lettuce;

    @BeforeAll
    static void start() {
        server = new RespTestServer();
        lettuce = new LettuceSupport(server.uri());
    }

    @AfterAll
    static void stop() {
        lettuce.close();
        server.close();
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

    @Test
    void resp2SubscribeModeAllowsOnlyPubSubCommands() throws IOException {
        try (RawRespClient c = new RawRespClient(server.port())) {
            assertThat(c.call("SUBSCRIBE", "a", "b")).isEqualTo(List.of("subscribe", "a", 1L));
            assertThat(c.read()).isEqualTo(List.of("subscribe", "b", 2L));
            assertThat(c.call("XLEN", "x")).isEqualTo(new RawRespClient.Err("ERR Can't execute 'xlen': only "
                    + "(P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context"));
            assertThat(c.call("PING")).isEqualTo(List.of("pong", ""));
            try (RawRespClient p = new RawRespClient(server.port())) {
                assertThat(p.call("PUBLISH", "a", "m1")).isEqualTo(1L);
            }
            assertThat(c.read()).isEqualTo(List.of("message", "a", "m1"));
            assertThat(c.call("UNSUBSCRIBE")).isEqualTo(List.of("unsubscribe", "a", 1L));
            assertThat(c.read()).isEqualTo(List.of("unsubscribe", "b", 0L));
            assertThat(c.call("PING")).isEqualTo("PONG");
            assertThat(c.call("UNSUBSCRIBE")).isEqualTo(java.util.Arrays.asList("unsubscribe", null, 0L));
        }
    }

    @Test
    void resp3MessagesArePushFrames() throws IOException {
        try (RawRespClient c = new RawRespClient(server.port())) {
            c.call("HELLO", "3");
            assertThat(c.call("PSUBSCRIBE", "p?")).isEqualTo(new RawRespClient.Push(List.of("psubscribe", "p?", 1L)));
            try (RawRespClient p = new RawRespClient(server.port())) {
                assertThat(p.call("PUBLISH", "p1", "m")).isEqualTo(1L);
            }
            assertThat(c.read()).isEqualTo(new RawRespClient.Push(List.of("pmessage", "p?", "p1", "m")));
            assertThat(c.call("XLEN", "nothing")).isEqualTo(0L);
        }
    }
}
