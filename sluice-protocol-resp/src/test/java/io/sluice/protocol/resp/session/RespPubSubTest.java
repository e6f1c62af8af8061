package io.sluice.protocol.resp.session;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Pub/sub wire details checked byte-exactly: RESP2 subscribe mode and RESP3 push frames. */
class RespPubSubTest {

    static RespTestServer server;

    @BeforeAll
    static void start() {
        server = new RespTestServer();
    }

    @AfterAll
    static void stop() {
        server.close();
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
