package io.sluice.protocol.resp.session;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RespConnectionCommandsTest {

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
    void pingEchoSelect() throws IOException {
        try (RawRespClient c = new RawRespClient(server.port())) {
            assertThat(c.call("PING")).isEqualTo("PONG");
            assertThat(c.call("ping", "hi")).isEqualTo("hi");
            assertThat(c.call("ECHO", "a\r\nb")).isEqualTo("a\r\nb");
            assertThat(c.call("SELECT", "0")).isEqualTo("OK");
            assertThat(c.call("SELECT", "1")).isEqualTo(new RawRespClient.Err("ERR DB index is out of range"));
            assertThat(c.call("SELECT", "x")).isEqualTo(new RawRespClient.Err("ERR value is not an integer or out of range"));
            assertThat(c.call("ECHO")).isEqualTo(new RawRespClient.Err("ERR wrong number of arguments for 'echo' command"));
        }
    }

    @Test
    void inlineCommands() throws IOException {
        try (RawRespClient c = new RawRespClient(server.port())) {
            c.sendRaw("PING\r\necho \"a b\"\r\n");
            assertThat(c.read()).isEqualTo("PONG");
            assertThat(c.read()).isEqualTo("a b");
        }
    }

    @Test
    void unknownCommandKeepsTheConnection() throws IOException {
        try (RawRespClient c = new RawRespClient(server.port())) {
            assertThat(c.call("SET", "k", "v")).isEqualTo(
                    new RawRespClient.Err("ERR unknown command 'SET', with args beginning with: 'k' 'v' "));
            assertThat(c.call("FOO")).isEqualTo(new RawRespClient.Err("ERR unknown command 'FOO', with args beginning with: "));
            assertThat(c.call("PING")).isEqualTo("PONG");
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void helloSwitchesToResp3AndBack() throws IOException {
        try (RawRespClient c = new RawRespClient(server.port())) {
            Map<Object, Object> hello = (Map<Object, Object>) c.call("HELLO", "3", "SETNAME", "me");
            assertThat(hello).containsEntry("proto", 3L).containsEntry("server", "sluice").containsKey("id");
            assertThat(c.call("CLIENT", "GETNAME")).isEqualTo("me");
            assertThat(c.call("XADD", "nostream-hello", "NOMKSTREAM", "*", "f", "v")).isNull();
            assertThat(c.call("CLIENT", "INFO").toString()).contains("name=me", "resp=3");
            List<Object> hello2 = (List<Object>) c.call("HELLO", "2");
            assertThat(hello2).contains("proto", 2L);
            assertThat(c.call("HELLO", "4")).isEqualTo(new RawRespClient.Err("NOPROTO unsupported protocol version"));
            assertThat(c.call("CLIENT", "ID")).isInstanceOf(Long.class);
            assertThat(c.call("CLIENT", "SETNAME", "a b")).isEqualTo(
                    new RawRespClient.Err("ERR Client names cannot contain spaces, newlines or special characters."));
            assertThat(c.call("CLIENT", "SETINFO", "LIB-NAME", "x")).isEqualTo("OK");
            assertThat(c.call("COMMAND")).isEqualTo(List.of());
            assertThat(c.call("INFO").toString()).contains("redis_version:");
        }
    }

    @Test
    void authWithoutPasswordConfigured() throws IOException {
        try (RawRespClient c = new RawRespClient(server.port())) {
            assertThat(c.call("AUTH", "x")).isEqualTo(new RawRespClient.Err(RespErrors.AUTH_NOT_CONFIGURED));
            assertThat(c.call("AUTH", "default", "x")).isEqualTo("OK");
        }
    }

    @Test
    void passwordProtectedListener() throws IOException {
        try (RespTestServer secured = new RespTestServer("s3cret");
             RawRespClient c = new RawRespClient(secured.port())) {
            assertThat(c.call("PING")).isEqualTo(new RawRespClient.Err("NOAUTH Authentication required."));
            assertThat(c.call("AUTH", "wrong")).isEqualTo(new RawRespClient.Err(RespErrors.WRONGPASS));
            assertThat(c.call("HELLO", "3", "AUTH", "default", "s3cret")).isInstanceOf(Map.class);
            assertThat(c.call("PING")).isEqualTo("PONG");
        }
    }

    @Test
    void quitClosesAfterOk() throws IOException {
        try (RawRespClient c = new RawRespClient(server.port())) {
            assertThat(c.call("QUIT")).isEqualTo("OK");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void protocolErrorsAnswerThenClose() throws IOException {
        String[][] cases = {
                {"*-5\r\n*1048577\r\n", "ERR Protocol error: invalid multibulk length"},
                {"*2\r\n$4\r\nECHO\r\n$-7\r\n", "ERR Protocol error: invalid bulk length"},
                {"*2\r\n$4\r\nECHO\r\n$999999999999\r\n", "ERR Protocol error: invalid bulk length"},
                {"*1\r\nfoo\r\n", "ERR Protocol error: expected '$', got 'f'"},
                {"set \"unbalanced\r\n", "ERR Protocol error: unbalanced quotes in request"},
        };
        for (String[] cs : cases) {
            try (RawRespClient c = new RawRespClient(server.port())) {
                c.sendRaw(cs[0]);
                assertThat(c.read()).isEqualTo(new RawRespClient.Err(cs[1]));
                assertThat(c.closedByServer()).isTrue();
            }
        }
        try (RawRespClient c = new RawRespClient(server.port())) {
            assertThat(c.call("PING")).isEqualTo("PONG");
        }
    }

    @Test
    void pipelinedCommandsBeforeAProtocolErrorAreAnswered() throws IOException {
        try (RawRespClient c = new RawRespClient(server.port())) {
            c.sendRaw("*1\r\n$4\r\nPING\r\n*2\r\n$4\r\nECHO\r\n$1\r\nx\r\n*x\r\n");
            assertThat(c.read()).isEqualTo("PONG");
            assertThat(c.read()).isEqualTo("x");
            assertThat(c.read()).isEqualTo(new RawRespClient.Err("ERR Protocol error: invalid multibulk length"));
            assertThat(c.closedByServer()).isTrue();
        }
    }
}
