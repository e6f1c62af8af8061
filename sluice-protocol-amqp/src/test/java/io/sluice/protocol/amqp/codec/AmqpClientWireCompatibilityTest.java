package io.sluice.protocol.amqp.codec;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.LongString;
import com.rabbitmq.client.impl.AMQImpl;
import com.rabbitmq.client.impl.Frame;
import com.rabbitmq.client.impl.Method;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Cross-checks the codec against the frame reader and writer inside the RabbitMQ Java client (amqp-client 5.x):
 * what the client writes decodes to the same method, and what the codec writes the client reads back. No socket.
 */
class AmqpClientWireCompatibilityTest {

    private final AmqpFrameDecoder decoder = new AmqpFrameDecoder();
    private final EmbeddedChannel in = new EmbeddedChannel(decoder);
    private final EmbeddedChannel out = new EmbeddedChannel(new AmqpFrameEncoder());

    @AfterEach
    void tearDown() {
        in.finishAndReleaseAll();
        out.finishAndReleaseAll();
    }

    private AmqpFrame decodeClientFrame(Frame frame) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        frame.writeTo(new DataOutputStream(bytes));
        decoder.frameMax(0);
        if (!headerSent) {
            in.writeInbound(AmqpFrameDecoder.protocolHeader());
            headerSent = true;
        }
        in.writeInbound(Unpooled.wrappedBuffer(bytes.toByteArray()));
        return in.readInbound();
    }

    private boolean headerSent;

    private AmqpMethod fromClient(Method method) throws IOException {
        AmqpFrame f = decodeClientFrame(method.toFrame(5));
        assertThat(f).isInstanceOf(AmqpFrame.Method.class);
        assertThat(f.channel()).isEqualTo(5);
        return ((AmqpFrame.Method) f).method();
    }

    private Frame toClientFrame(AmqpFrame frame) throws IOException {
        out.writeOutbound(frame);
        ByteBuf b = out.readOutbound();
        byte[] bytes = ByteBufUtil.getBytes(b);
        b.release();
        return Frame.readFrom(new DataInputStream(new ByteArrayInputStream(bytes)), () -> 1 << 20);
    }

    private com.rabbitmq.client.Method toClient(AmqpMethod method) throws IOException {
        Frame frame = toClientFrame(new AmqpFrame.Method(3, method));
        assertThat(frame.getType()).isEqualTo(1);
        return AMQImpl.readMethodFrom(frame.getInputStream());
    }

    @Test
    void decodesWhatTheClientWrites() throws IOException {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("x-message-ttl", 60000);
        args.put("x-queue-type", "stream");
        args.put("x-max-length-bytes", 1_000_000_000L);
        assertThat(fromClient(new AMQImpl.Queue.Declare(0, "q1", false, true, true, false, false, args)))
                .isEqualTo(new AmqpQueue.Declare("q1", false, true, true, false, false, AmqpTable.builder()
                        .put("x-message-ttl", new AmqpValue.Int32(60000))
                        .put("x-queue-type", "stream")
                        .put("x-max-length-bytes", 1_000_000_000L)
                        .build()));
        assertThat(fromClient(new AMQImpl.Basic.Consume(0, "q", "tag", false, true, true, false, Map.of())))
                .isEqualTo(new AmqpBasic.Consume("q", "tag", false, true, true, false, AmqpTable.EMPTY));
        assertThat(fromClient(new AMQImpl.Basic.Publish(0, "amq.topic", "a.b", true, false)))
                .isEqualTo(new AmqpBasic.Publish("amq.topic", "a.b", true, false));
        assertThat(fromClient(new AMQImpl.Basic.Nack(Long.MAX_VALUE, true, true)))
                .isEqualTo(new AmqpBasic.Nack(Long.MAX_VALUE, true, true));
        assertThat(fromClient(new AMQImpl.Basic.Qos(0, 250, true))).isEqualTo(new AmqpBasic.Qos(0, 250, true));
        assertThat(fromClient(new AMQImpl.Exchange.Declare(0, "e", "headers", false, true, false, true, false, Map.of())))
                .isEqualTo(new AmqpExchange.Declare("e", "headers", false, true, false, true, false, AmqpTable.EMPTY));
        assertThat(fromClient(new AMQImpl.Exchange.Unbind(0, "d", "s", "k", false, Map.of())))
                .isEqualTo(new AmqpExchange.Unbind("d", "s", "k", false, AmqpTable.EMPTY));
        assertThat(fromClient(new AMQImpl.Queue.Delete(0, "q", true, true, false)))
                .isEqualTo(new AmqpQueue.Delete("q", true, true, false));
        assertThat(fromClient(new AMQImpl.Connection.TuneOk(2047, 131072, 60)))
                .isEqualTo(new AmqpConnection.TuneOk(2047, 131072, 60));
        assertThat(fromClient(new AMQImpl.Connection.Open("/", "", false))).isEqualTo(new AmqpConnection.Open("/"));
        assertThat(fromClient(new AMQImpl.Channel.Open(""))).isEqualTo(new AmqpChannel.Open());
        assertThat(fromClient(new AMQImpl.Confirm.Select(false))).isEqualTo(new AmqpConfirm.Select(false));
        assertThat(fromClient(new AMQImpl.Tx.Rollback())).isEqualTo(new AmqpTx.Rollback());
        assertThat(fromClient(new AMQImpl.Basic.Recover(true))).isEqualTo(new AmqpBasic.Recover(true));
    }

    @Test
    void decodesTheClientsStartOkWithItsCapabilities() throws IOException {
        Map<String, Object> caps = new LinkedHashMap<>();
        caps.put("publisher_confirms", true);
        caps.put("consumer_cancel_notify", true);
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("product", "RabbitMQ");
        props.put("capabilities", caps);
        AmqpMethod m = fromClient(new AMQImpl.Connection.StartOk(props, "PLAIN",
                com.rabbitmq.client.impl.LongStringHelper.asLongString("\0guest\0guest"), "en_US"));
        AmqpConnection.StartOk ok = (AmqpConnection.StartOk) m;
        assertThat(ok.mechanism()).isEqualTo("PLAIN");
        assertThat(ok.response()).isEqualTo("\0guest\0guest".getBytes());
        assertThat(ok.clientProperties().getString("product")).isEqualTo("RabbitMQ");
        AmqpTable capabilities = ((AmqpValue.Table) ok.clientProperties().get("capabilities")).table();
        assertThat(capabilities.getBoolean("publisher_confirms")).isTrue();
    }

    @Test
    void clientFieldTypesMapToRabbitMqTags() throws IOException {
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put("int", 1);
        headers.put("long", 2L);
        headers.put("short", (short) 3);
        headers.put("byte", (byte) 4);
        headers.put("bool", true);
        headers.put("float", 1.5f);
        headers.put("double", 2.5d);
        headers.put("decimal", new BigDecimal("12.34"));
        headers.put("string", "text");
        headers.put("bytes", new byte[]{1, 2});
        headers.put("date", new Date(1_700_000_000_000L));
        headers.put("list", List.of("a", 1));
        headers.put("table", Map.of("k", "v"));
        headers.put("void", null);
        AMQP.BasicProperties props = new AMQP.BasicProperties.Builder()
                .contentType("application/json").deliveryMode(2).priority(7).correlationId("c").replyTo("r")
                .expiration("1000").messageId("m").timestamp(new Date(1_700_000_000_000L)).type("t").userId("guest")
                .appId("app").headers(headers).build();
        AmqpFrame f = decodeClientFrame(props.toFrame(1, 42));
        AmqpFrame.Header h = (AmqpFrame.Header) f;
        assertThat(h.bodySize()).isEqualTo(42);
        AmqpBasicProperties p = h.properties();
        assertThat(p.contentType()).isEqualTo("application/json");
        assertThat(p.deliveryMode()).isEqualTo(2);
        assertThat(p.priority()).isEqualTo(7);
        assertThat(p.expiration()).isEqualTo("1000");
        assertThat(p.timestamp()).isEqualTo(1_700_000_000L);
        assertThat(p.userId()).isEqualTo("guest");
        AmqpTable t = p.headers();
        assertThat(t.get("int")).isEqualTo(new AmqpValue.Int32(1));
        assertThat(t.get("long")).isEqualTo(new AmqpValue.Int64(2));
        assertThat(t.get("short")).isEqualTo(new AmqpValue.Int16((short) 3));
        assertThat(t.get("byte")).isEqualTo(new AmqpValue.Int8((byte) 4));
        assertThat(t.get("bool")).isEqualTo(new AmqpValue.Bool(true));
        assertThat(t.get("float")).isEqualTo(new AmqpValue.Float32(1.5f));
        assertThat(t.get("double")).isEqualTo(new AmqpValue.Float64(2.5d));
        assertThat(t.get("decimal")).isEqualTo(new AmqpValue.Decimal(2, 1234));
        assertThat(t.get("string")).isEqualTo(AmqpValue.LongString.of("text"));
        assertThat(t.get("bytes")).isEqualTo(new AmqpValue.ByteArray(new byte[]{1, 2}));
        assertThat(t.get("date")).isEqualTo(new AmqpValue.Timestamp(1_700_000_000L));
        assertThat(t.get("list")).isEqualTo(new AmqpValue.Array(List.of(AmqpValue.LongString.of("a"), new AmqpValue.Int32(1))));
        assertThat(t.get("table")).isEqualTo(new AmqpValue.Table(AmqpTable.builder().put("k", "v").build()));
        assertThat(t.get("void")).isEqualTo(AmqpValue.Void.INSTANCE);
    }

    @Test
    void clientReadsWhatTheCodecWrites() throws IOException {
        AmqpTable serverProps = AmqpTable.builder()
                .put("product", "Sluice")
                .put("capabilities", new AmqpValue.Table(AmqpTable.builder()
                        .put("publisher_confirms", true).put("basic.nack", true).build()))
                .build();
        var start = (AMQP.Connection.Start) toClient(new AmqpConnection.Start(0, 9, serverProps,
                "PLAIN AMQPLAIN".getBytes(), "en_US".getBytes()));
        assertThat(start.getVersionMinor()).isEqualTo(9);
        assertThat(start.getMechanisms().toString()).isEqualTo("PLAIN AMQPLAIN");
        assertThat(start.getServerProperties().get("product").toString()).isEqualTo("Sluice");
        @SuppressWarnings("unchecked")
        Map<String, Object> caps = (Map<String, Object>) start.getServerProperties().get("capabilities");
        assertThat(caps).containsEntry("basic.nack", true);

        var tune = (AMQP.Connection.Tune) toClient(new AmqpConnection.Tune(2047, 131072, 60));
        assertThat(tune.getFrameMax()).isEqualTo(131072);
        var deliver = (AMQP.Basic.Deliver) toClient(new AmqpBasic.Deliver("ctag", 99, true, "ex", "rk"));
        assertThat(deliver.getDeliveryTag()).isEqualTo(99);
        assertThat(deliver.getRedelivered()).isTrue();
        assertThat(deliver.getRoutingKey()).isEqualTo("rk");
        var declareOk = (AMQP.Queue.DeclareOk) toClient(new AmqpQueue.DeclareOk("amq.gen-1", 5, 2));
        assertThat(declareOk.getMessageCount()).isEqualTo(5);
        assertThat(declareOk.getConsumerCount()).isEqualTo(2);
        var close = (AMQP.Channel.Close) toClient(new AmqpChannel.Close(404, "NOT_FOUND - no queue 'x'", 50, 10));
        assertThat(close.getReplyCode()).isEqualTo(404);
        assertThat(close.getMethodId()).isEqualTo(10);
        var nack = (AMQP.Basic.Nack) toClient(new AmqpBasic.Nack(7, true, false));
        assertThat(nack.getMultiple()).isTrue();
        assertThat(toClient(new AmqpExchange.UnbindOk())).isInstanceOf(AMQP.Exchange.UnbindOk.class);
        assertThat(toClient(new AmqpConnection.Blocked("low on memory"))).isInstanceOf(AMQP.Connection.Blocked.class);
        var cancel = (AMQP.Basic.Cancel) toClient(new AmqpBasic.Cancel("ctag", false));
        assertThat(cancel.getConsumerTag()).isEqualTo("ctag");
    }

    @Test
    void clientReadsHeadersTheCodecWrites() throws IOException {
        AmqpTable death = AmqpTable.builder()
                .put("count", 1L)
                .put("reason", "rejected")
                .put("queue", "q")
                .put("time", new AmqpValue.Timestamp(1_700_000_000L))
                .put("routing-keys", new AmqpValue.Array(List.of(AmqpValue.LongString.of("rk"))))
                .build();
        AmqpTable headers = AmqpTable.builder()
                .put("x-death", new AmqpValue.Array(List.of(new AmqpValue.Table(death))))
                .put("x-first-death-reason", "rejected")
                .put("i", new AmqpValue.Int32(-5))
                .put("d", new AmqpValue.Decimal(1, 15))
                .build();
        AmqpBasicProperties p = AmqpBasicProperties.EMPTY.withHeaders(headers).withExpiration("5");
        Frame frame = toClientFrame(new AmqpFrame.Header(1, 60, 3, p));
        assertThat(frame.getType()).isEqualTo(2);
        AMQP.BasicProperties props = (AMQP.BasicProperties) AMQImpl.readContentHeaderFrom(frame.getInputStream());
        assertThat(props.getExpiration()).isEqualTo("5");
        assertThat(props.getBodySize()).isEqualTo(3);
        assertThat(props.getHeaders().get("i")).isEqualTo(-5);
        assertThat(props.getHeaders().get("d")).isEqualTo(new BigDecimal("1.5"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> xDeath = (List<Map<String, Object>>) props.getHeaders().get("x-death");
        assertThat(xDeath.getFirst().get("count")).isEqualTo(1L);
        assertThat(((LongString) xDeath.getFirst().get("reason")).toString()).isEqualTo("rejected");
        assertThat(xDeath.getFirst().get("time")).isEqualTo(new Date(1_700_000_000_000L));
    }
}
