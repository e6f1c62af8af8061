package io.sluice.it.amqp;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.AuthenticationFailureException;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.impl.AMQImpl;
import com.rabbitmq.client.impl.Frame;
import com.rabbitmq.client.impl.LongStringHelper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Connection negotiation and malformed input, with the RabbitMQ Java client and with raw frames. */
@Tag("it")
class AmqpConnectionTest {

    private static AmqpItBroker broker;

    @BeforeAll
    static void start() {
        broker = new AmqpItBroker();
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    @Test
    void negotiatesWithTheJavaClient() throws Exception {
        ConnectionFactory f = broker.factory();
        f.setRequestedHeartbeat(7);
        f.setRequestedChannelMax(100);
        try (Connection c = f.newConnection()) {
            assertThat(c.getHeartbeat()).isEqualTo(7);
            assertThat(c.getChannelMax()).isEqualTo(100);
            assertThat(c.getFrameMax()).isEqualTo(131072);
            @SuppressWarnings("unchecked")
            Map<String, Object> caps = (Map<String, Object>) c.getServerProperties().get("capabilities");
            assertThat(caps).containsEntry("publisher_confirms", true).containsEntry("basic.nack", true)
                    .containsEntry("consumer_cancel_notify", true).containsEntry("exchange_exchange_bindings", true)
                    .containsEntry("connection.blocked", true).containsEntry("authentication_failure_close", true)
                    .containsEntry("per_consumer_qos", true);
            Channel ch = c.createChannel(42);
            assertThat(ch.getChannelNumber()).isEqualTo(42);
            ch.close();
        }
    }

    @Test
    void refusesBadCredentialsAndUnknownVirtualHosts() {
        ConnectionFactory bad = broker.factory();
        bad.setUsername("guest");
        bad.setPassword("wrong");
        assertThatThrownBy(bad::newConnection).isInstanceOf(AuthenticationFailureException.class);
        ConnectionFactory unknown = broker.factory();
        unknown.setUsername("nobody");
        assertThatThrownBy(unknown::newConnection).isInstanceOf(AuthenticationFailureException.class);
        ConnectionFactory vhost = broker.factory();
        vhost.setVirtualHost("missing");
        assertThatThrownBy(vhost::newConnection).isInstanceOf(IOException.class);
    }

    @Test
    void configuredUsersAndVirtualHosts() throws Exception {
        try (AmqpItBroker other = new AmqpItBroker(Map.of("users", "alice:secret", "vhosts", "/,tenant-a"))) {
            ConnectionFactory f = other.factory();
            f.setUsername("alice");
            f.setPassword("secret");
            f.setVirtualHost("tenant-a");
            try (Connection c = f.newConnection()) {
                Channel ch = c.createChannel();
                ch.exchangeDeclare("only-in-a", "direct");
                ch.exchangeDeclarePassive("only-in-a");
            }
            f.setVirtualHost("/");
            try (Connection c = f.newConnection()) {
                Channel ch = c.createChannel();
                AmqpItAssertions.assertClosedWith(404, () -> ch.exchangeDeclarePassive("only-in-a"));
            }
            ConnectionFactory guest = other.factory();
            assertThatThrownBy(guest::newConnection).isInstanceOf(AuthenticationFailureException.class);
        }
    }

    /** A byte-level client: the Java client's own frame classes, written to a plain socket. */
    private static final class Raw implements AutoCloseable {
        final Socket socket;
        final DataOutputStream out;
        final DataInputStream in;

        Raw() throws IOException {
            socket = new Socket("127.0.0.1", broker.port());
            socket.setSoTimeout(5000);
            out = new DataOutputStream(socket.getOutputStream());
            in = new DataInputStream(socket.getInputStream());
        }

        void send(int channel, com.rabbitmq.client.impl.Method m) throws IOException {
            m.toFrame(channel).writeTo(out);
            out.flush();
        }

        com.rabbitmq.client.Method readMethod() throws IOException {
            Frame f = Frame.readFrom(in, () -> 1 << 20);
            assertThat(f.getType()).isEqualTo(1);
            return AMQImpl.readMethodFrom(f.getInputStream());
        }

        void handshake() throws IOException {
            out.write(new byte[]{'A', 'M', 'Q', 'P', 0, 0, 9, 1});
            out.flush();
            assertThat(readMethod()).isInstanceOf(AMQP.Connection.Start.class);
            send(0, new AMQImpl.Connection.StartOk(Map.of(), "PLAIN",
                    LongStringHelper.asLongString("\0guest\0guest"), "en_US"));
            AMQP.Connection.Tune tune = (AMQP.Connection.Tune) readMethod();
            send(0, new AMQImpl.Connection.TuneOk(tune.getChannelMax(), tune.getFrameMax(), 0));
            send(0, new AMQImpl.Connection.Open("/", "", false));
            assertThat(readMethod()).isInstanceOf(AMQP.Connection.OpenOk.class);
        }

        AMQP.Connection.Close expectConnectionClose() throws IOException {
            com.rabbitmq.client.Method m = readMethod();
            assertThat(m).isInstanceOf(AMQP.Connection.Close.class);
            return (AMQP.Connection.Close) m;
        }

        byte[] readAll() throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            byte[] buf = new byte[1024];
            InputStream s = socket.getInputStream();
            try {
                int n;
                while ((n = s.read(buf)) >= 0) {
                    bytes.write(buf, 0, n);
                }
            } catch (SocketTimeoutException e) {
                // whatever arrived is the answer
            }
            return bytes.toByteArray();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    @Test
    void garbageProtocolHeaderIsAnsweredWithAmqp091AndClosed() throws Exception {
        try (Raw raw = new Raw()) {
            raw.out.write(new byte[]{'A', 'M', 'Q', 'P', 1, 1, 0, 10});
            raw.out.flush();
            assertThat(raw.readAll()).containsExactly('A', 'M', 'Q', 'P', 0, 0, 9, 1);
        }
    }

    @Test
    void oversizedFrameIsAFrameError() throws Exception {
        try (Raw raw = new Raw()) {
            raw.handshake();
            raw.out.write(new byte[]{3, 0, 1, 0, 0x10, 0, 0});
            raw.out.flush();
            assertThat(raw.expectConnectionClose().getReplyCode()).isEqualTo(501);
        }
    }

    @Test
    void badFrameEndIsAFrameError() throws Exception {
        try (Raw raw = new Raw()) {
            raw.handshake();
            raw.out.write(new byte[]{8, 0, 0, 0, 0, 0, 0, 0x42});
            raw.out.flush();
            assertThat(raw.expectConnectionClose().getReplyCode()).isEqualTo(501);
        }
    }

    @Test
    void methodOnAClosedChannelIsAChannelError() throws Exception {
        try (Raw raw = new Raw()) {
            raw.handshake();
            raw.send(1, new AMQImpl.Channel.Open(""));
            assertThat(raw.readMethod()).isInstanceOf(AMQP.Channel.OpenOk.class);
            raw.send(1, new AMQImpl.Channel.Close(200, "bye", 0, 0));
            assertThat(raw.readMethod()).isInstanceOf(AMQP.Channel.CloseOk.class);
            raw.send(1, new AMQImpl.Exchange.Declare(0, "x", "direct", false, false, false, false, false, Map.of()));
            AMQP.Connection.Close close = raw.expectConnectionClose();
            assertThat(close.getReplyCode()).isEqualTo(504);
            assertThat(close.getClassId()).isEqualTo(40);
        }
    }

    @Test
    void unknownClassAndMethodAreNotImplemented() throws Exception {
        try (Raw raw = new Raw()) {
            raw.handshake();
            raw.out.write(new byte[]{1, 0, 0, 0, 0, 0, 4, 0, 77, 0, 5, (byte) 0xCE});
            raw.out.flush();
            AMQP.Connection.Close close = raw.expectConnectionClose();
            assertThat(close.getReplyCode()).isEqualTo(540);
            assertThat(close.getClassId()).isEqualTo(77);
        }
        try (Raw raw = new Raw()) {
            raw.handshake();
            raw.out.write(new byte[]{1, 0, 0, 0, 0, 0, 4, 0, 60, 0, (byte) 200, (byte) 0xCE});
            raw.out.flush();
            assertThat(raw.expectConnectionClose().getReplyCode()).isEqualTo(540);
        }
    }

    @Test
    void contentWithoutAMethodIsUnexpected() throws Exception {
        try (Raw raw = new Raw()) {
            raw.handshake();
            raw.send(1, new AMQImpl.Channel.Open(""));
            raw.readMethod();
            raw.out.write(new byte[]{3, 0, 1, 0, 0, 0, 3, 1, 2, 3, (byte) 0xCE});
            raw.out.flush();
            assertThat(raw.expectConnectionClose().getReplyCode()).isEqualTo(505);
        }
    }

    @Test
    void heartbeatOnAChannelIsUnexpected() throws Exception {
        try (Raw raw = new Raw()) {
            raw.handshake();
            raw.out.write(new byte[]{8, 0, 3, 0, 0, 0, 0, (byte) 0xCE});
            raw.out.flush();
            assertThat(raw.expectConnectionClose().getReplyCode()).isEqualTo(505);
        }
    }
}
