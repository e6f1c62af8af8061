package io.sluice.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import io.sluice.core.connection.ConnectionInfo;
import io.sluice.core.connection.ConnectionRegistry;
import java.io.IOException;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/** The tracker on an embedded channel: bytes both ways, errors, the operator's close and unregistration. */
class ConnectionTrackerTest {
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final ConnectionRegistry registry = new ConnectionRegistry(Clock.systemUTC(), meters);

    /** Stands in for a protocol session: consumes what it reads, answers with a fixed reply, swallows errors. */
    static final class Echo extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
            ctx.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {1, 2, 3}));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ProtocolContext.connection(ctx.channel()).error(cause);
        }
    }

    @Test
    void countsBytesAndErrorsOfATrackedChannel() {
        ConnectionTracker tracker = new ConnectionTracker(registry, "test");
        EmbeddedChannel ch = new EmbeddedChannel(new Echo());
        tracker.install(ch);
        assertThat(ch.pipeline().first()).isSameAs(tracker);
        long id = ProtocolContext.connection(ch).id();
        ProtocolContext.connection(ch).user("alice").clientName("app-1");

        ch.writeInbound(Unpooled.wrappedBuffer(new byte[10]));
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[5]));
        ch.pipeline().fireExceptionCaught(new IOException("connection reset by peer"));

        ConnectionInfo info = registry.find(id).orElseThrow();
        assertThat(info.protocol()).isEqualTo("test");
        assertThat(info.receivedBytes()).isEqualTo(15);
        assertThat(info.sentBytes()).isEqualTo(6);
        // seen by the tracker and again by the session: counted once
        assertThat(info.errors()).isEqualTo(1);
        assertThat(info.user()).isEqualTo("alice");
        assertThat(info.clientName()).isEqualTo("app-1");
        assertThat(meters.get("sluice.connection.received.bytes").tag("protocol", "test").functionCounter().count())
                .isEqualTo(15);
        assertThat(meters.get("sluice.connections").tag("protocol", "test").gauge().value()).isEqualTo(1);

        // An operator's close closes the channel; the connection leaves the registry with it.
        assertThat(registry.close(id)).isTrue();
        ch.runPendingTasks();
        assertThat(ch.isOpen()).isFalse();
        assertThat(registry.find(id)).isEmpty();
        assertThat(meters.get("sluice.connections").tag("protocol", "test").gauge().value()).isZero();
        assertThat(meters.get("sluice.connections.closed").tag("protocol", "test").functionCounter().count())
                .isEqualTo(1);
        ch.finishAndReleaseAll();
    }

    @Test
    void anUntrackedChannelGetsADetachedConnection() {
        EmbeddedChannel ch = new EmbeddedChannel();
        ProtocolContext.connection(ch).user("bob").bytesReceived(3);
        assertThat(ProtocolContext.connection(ch).info().user()).isEqualTo("bob");
        assertThat(registry.list()).isEmpty();
        ch.finishAndReleaseAll();
    }
}
