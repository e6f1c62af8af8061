package io.sluice.protocol.amqp.session;

import com.rabbitmq.client.AuthenticationFailureException;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.ShutdownSignalException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.sluice.protocol.amqp.codec.AmqpBasic;
import io.sluice.protocol.amqp.codec.AmqpChannel;
import io.sluice.protocol.amqp.codec.AmqpConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Connection negotiation and bad input, against the real core over loopback, with the RabbitMQ Java client. */
class AmqpConnectionSessionTest {

    private static AmqpTestServer server;

    @BeforeAll
    static void start() {
        server = new AmqpTestServer();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void guestConnectsFromLoopbackAndSeesCapabilities() throws Exception {
        try (Connection c = server.factory().newConnection()) {
            Map<String, Object> props = c.getServerProperties();
            assertThat(props.get("product").toString()).isEqualTo("Sluice");
            @SuppressWarnings("unchecked")
            Map<String, Object> caps = (Map<String, Object>) props.get("capabilities");
            assertThat(caps).containsEntry("publisher_confirms", true).containsEntry("basic.nack", true)
                    .containsEntry("consumer_cancel_notify", true).containsEntry("exchange_exchange_bindings", true)
                    .containsEntry("connection.blocked", true).containsEntry("authentication_failure_close", true)
                    .containsEntry("per_consumer_qos", true);
            assertThat(c.getFrameMax()).isEqualTo(131072);
            assertThat(c.getChannelMax()).isEqualTo(2047);
            assertThat(c.getHeartbeat()).isEqualTo(60);
            Channel ch = c.createChannel();
            assertThat(ch.isOpen()).isTrue();
            ch.close();
        }
    }

    @Test
    void wrongPasswordIsRefused() {
        ConnectionFactory f = server.factory();
        f.setPassword("nope");
        assertThatThrownBy(f::newConnection).isInstanceOf(AuthenticationFailureException.class);
    }

    @Test
    void amqplainWorks() throws Exception {
        ConnectionFactory f = server.factory();
        ByteBuf table = Unpooled.buffer();
        io.sluice.protocol.amqp.codec.AmqpWire.writeTable(table, io.sluice.protocol.amqp.codec.AmqpTable.builder()
                .put("LOGIN", "guest").put("PASSWORD", "guest").build());
        byte[] response = ByteBufUtil.getBytes(table, 4, table.readableBytes() - 4);
        f.setSaslConfig(mechanisms -> new com.rabbitmq.client.SaslMechanism() {
            @Override
            public String getName() {
                return "AMQPLAIN";
            }

            @Override
            public com.rabbitmq.client.LongString handleChallenge(com.rabbitmq.client.LongString challenge,
                                                                  String user, String password) {
                return com.rabbitmq.client.impl.LongStringHelper.asLongString(response);
            }
        });
        try (Connection c = f.newConnection()) {
            assertThat(c.isOpen()).isTrue();
        }
    }

    @Test
    void unknownVirtualHostIsNotAllowed() {
        ConnectionFactory f = server.factory();
        f.setVirtualHost("nowhere");
        assertThatThrownBy(f::newConnection).isInstanceOf(IOException.class);
    }

    @Test
    void negotiatedHeartbeatIsTheClients() throws Exception {
        ConnectionFactory f = server.factory();
        f.setRequestedHeartbeat(5);
        try (Connection c = f.newConnection()) {
            assertThat(c.getHeartbeat()).isEqualTo(5);
        }
    }

    @Test
    void garbageHeaderIsAnsweredWithTheSupportedHeader() throws Exception {
        try (AmqpRawClient raw = new AmqpRawClient(server.port())) {
            raw.write("GET / HTTP/1.1\r\n\r\n".getBytes());
            assertThat(raw.readAll()).containsExactly('A', 'M', 'Q', 'P', 0, 0, 9, 1);
        }
    }

    @Test
    void oversizedFrameIsAFrameError() throws Exception {
        try (AmqpRawClient raw = new AmqpRawClient(server.port())) {
            raw.handshake();
            ByteBuf b = Unpooled.buffer().writeByte(3).writeShort(1).writeInt(200_000);
            raw.write(ByteBufUtil.getBytes(b));
            AmqpConnection.Close close = raw.expect(AmqpConnection.Close.class);
            assertThat(close.replyCode()).isEqualTo(501);
            assertThat(raw.closedByServer()).isTrue();
        }
    }

    @Test
    void methodOnAChannelThatIsNotOpenIsAChannelError() throws Exception {
        try (AmqpRawClient raw = new AmqpRawClient(server.port())) {
            raw.handshake();
            raw.send(5, new AmqpBasic.Qos(0, 10, false));
            AmqpConnection.Close close = raw.expect(AmqpConnection.Close.class);
            assertThat(close.replyCode()).isEqualTo(504);
            assertThat(close.failingClassId()).isEqualTo(60);
            assertThat(close.failingMethodId()).isEqualTo(10);
            raw.send(0, new AmqpConnection.CloseOk());
            assertThat(raw.closedByServer()).isTrue();
        }
    }

    @Test
    void methodAfterChannelCloseIsAChannelError() throws Exception {
        try (AmqpRawClient raw = new AmqpRawClient(server.port())) {
            raw.handshake();
            raw.send(1, new AmqpChannel.Open());
            raw.expect(AmqpChannel.OpenOk.class);
            raw.send(1, new AmqpChannel.Close(200, "bye", 0, 0));
            raw.expect(AmqpChannel.CloseOk.class);
            raw.send(1, new AmqpBasic.Qos(0, 10, false));
            assertThat(raw.expect(AmqpConnection.Close.class).replyCode()).isEqualTo(504);
        }
    }

    @Test
    void unknownMethodIsNotImplemented() throws Exception {
        try (AmqpRawClient raw = new AmqpRawClient(server.port())) {
            raw.handshake();
            raw.write(new byte[]{1, 0, 0, 0, 0, 0, 4, 0, 99, 0, 1, (byte) 0xCE});
            AmqpConnection.Close close = raw.expect(AmqpConnection.Close.class);
            assertThat(close.replyCode()).isEqualTo(540);
            assertThat(close.failingClassId()).isEqualTo(99);
        }
    }

    @Test
    void serverOnlyMethodFromTheClientIsCommandInvalid() throws Exception {
        try (AmqpRawClient raw = new AmqpRawClient(server.port())) {
            raw.handshake();
            raw.send(1, new AmqpChannel.Open());
            raw.expect(AmqpChannel.OpenOk.class);
            raw.send(1, new AmqpBasic.GetEmpty());
            assertThat(raw.expect(AmqpConnection.Close.class).replyCode()).isEqualTo(503);
        }
    }

    @Test
    void exchangeLifecycleAndErrors() throws Exception {
        Connection c = server.factory().newConnection();
        try {
            Channel ch = c.createChannel();
            ch.exchangeDeclare("ex.topic", "topic", true);
            ch.exchangeDeclarePassive("ex.topic");
            ch.exchangeDeclare("ex.topic", "topic", true);
            ch.exchangeDeclare("ex.dest", "fanout");
            ch.exchangeBind("ex.dest", "ex.topic", "a.#");
            ch.exchangeUnbind("ex.dest", "ex.topic", "a.#");
            ch.exchangeDelete("ex.dest");
            ch.exchangeDelete("ex.never-existed");
            assertThatThrownBy(() -> ch.exchangeDeclarePassive("ex.missing"))
                    .hasCauseInstanceOf(ShutdownSignalException.class)
                    .cause().hasMessageContaining("404");
            assertThat(ch.isOpen()).isFalse();

            Channel ch2 = c.createChannel();
            assertThatThrownBy(() -> ch2.exchangeDeclare("ex.topic", "direct", true))
                    .cause().hasMessageContaining("406");
            Channel ch3 = c.createChannel();
            assertThatThrownBy(() -> ch3.exchangeDeclare("amq.mine", "direct"))
                    .cause().hasMessageContaining("403");
            Channel ch4 = c.createChannel();
            assertThatThrownBy(() -> ch4.exchangeDeclare("ex.bad", "nonsense"))
                    .cause().hasMessageContaining("503");
            assertThat(c.isOpen()).isFalse();
        } finally {
            c.abort();
        }
    }

    @Test
    void publishToAMissingExchangeClosesTheChannel() throws Exception {
        try (Connection c = server.factory().newConnection()) {
            Channel ch = c.createChannel();
            ch.basicPublish("ex.none", "rk", null, new byte[]{1});
            // the close may reach the client before or after it sends the next method: either way it fails
            assertThatThrownBy(() -> ch.exchangeDeclare("ex.after", "direct")).isInstanceOf(Exception.class);
            assertThat(ch.getCloseReason().getMessage()).contains("404").contains("no exchange 'ex.none'");
            assertThat(c.isOpen()).isTrue();
        }
    }

    @Test
    void unknownDeliveryTagClosesOnlyTheChannel() throws Exception {
        try (Connection c = server.factory().newConnection()) {
            Channel ch = c.createChannel();
            ch.basicAck(999, false);
            // the close may reach the client before or after it sends the next method: either way it fails
            assertThatThrownBy(() -> ch.exchangeDeclare("x.after-ack", "direct")).isInstanceOf(Exception.class);
            assertThat(ch.getCloseReason().getMessage()).contains("406").contains("unknown delivery tag 999");
            assertThat(c.isOpen()).isTrue();
            assertThat(c.createChannel().isOpen()).isTrue();
        }
    }

    @Test
    void confirmAndTxModesExcludeEachOther() throws Exception {
        try (Connection c = server.factory().newConnection()) {
            Channel ch = c.createChannel();
            ch.confirmSelect();
            assertThatThrownBy(ch::txSelect).cause().hasMessageContaining("406");
            Channel tx = c.createChannel();
            assertThatThrownBy(tx::txCommit).cause().hasMessageContaining("406");
            Channel tx2 = c.createChannel();
            tx2.txSelect();
            assertThatThrownBy(tx2::confirmSelect).cause().hasMessageContaining("406");
        }
    }

    @Test
    void unroutableMandatoryPublishIsReturnedAndConfirmed() throws Exception {
        try (Connection c = server.factory().newConnection()) {
            Channel ch = c.createChannel();
            java.util.List<com.rabbitmq.client.Return> returns = new java.util.concurrent.CopyOnWriteArrayList<>();
            ch.addReturnListener(returns::add);
            ch.exchangeDeclare("x.unbound", "fanout");
            ch.confirmSelect();
            for (int i = 0; i < 20; i++) {
                ch.basicPublish("x.unbound", "rk" + i, i % 2 == 0, null, ("m" + i).getBytes());
            }
            assertThat(ch.waitForConfirms(5000)).isTrue();
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
                    .until(() -> returns.size() == 10);
            assertThat(returns).allSatisfy(r -> {
                assertThat(r.getReplyCode()).isEqualTo(312);
                assertThat(r.getExchange()).isEqualTo("x.unbound");
            });
            assertThat(returns).extracting(r -> new String(r.getBody())).contains("m0", "m18");
        }
    }

    @Test
    void txPublishesAreHeldUntilCommit() throws Exception {
        try (Connection c = server.factory().newConnection()) {
            Channel ch = c.createChannel();
            java.util.List<com.rabbitmq.client.Return> returns = new java.util.concurrent.CopyOnWriteArrayList<>();
            ch.addReturnListener(returns::add);
            ch.exchangeDeclare("x.tx", "fanout");
            ch.txSelect();
            ch.basicPublish("x.tx", "", true, null, "rolled-back".getBytes());
            ch.txRollback();
            ch.basicPublish("x.tx", "", true, null, "committed".getBytes());
            assertThat(returns).isEmpty();
            ch.txCommit();
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
                    .until(() -> returns.size() == 1);
            assertThat(new String(returns.getFirst().getBody())).isEqualTo("committed");
        }
    }

    @Test
    void largeMessageSpanningFramesIsAssembled() throws Exception {
        try (Connection c = server.factory().newConnection()) {
            Channel ch = c.createChannel();
            java.util.List<com.rabbitmq.client.Return> returns = new java.util.concurrent.CopyOnWriteArrayList<>();
            ch.addReturnListener(returns::add);
            ch.exchangeDeclare("x.large", "fanout");
            byte[] body = new byte[700_000];
            new java.util.Random(1).nextBytes(body);
            ch.basicPublish("x.large", "", true, null, body);
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
                    .until(() -> returns.size() == 1);
            assertThat(returns.getFirst().getBody()).isEqualTo(body);
        }
    }
}
