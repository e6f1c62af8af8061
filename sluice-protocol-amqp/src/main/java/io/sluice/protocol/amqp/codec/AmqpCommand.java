package io.sluice.protocol.amqp.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;

/**
 * An outbound content-carrying method ({@code basic.deliver}, {@code basic.get-ok}, {@code basic.return}) with its
 * properties and body, which {@link AmqpFrameEncoder} splits into one method frame, one content header frame and as
 * many body frames as the negotiated frame-max requires. Owns its body: the encoder releases it.
 */
public final class AmqpCommand extends DefaultByteBufHolder {

    private final int channel;
    private final AmqpMethod method;
    private final AmqpBasicProperties properties;

    public AmqpCommand(int channel, AmqpMethod method, AmqpBasicProperties properties, ByteBuf body) {
        super(body);
        if (!method.hasContent()) {
            throw new IllegalArgumentException(method.name() + " carries no content");
        }
        this.channel = channel;
        this.method = method;
        this.properties = properties == null ? AmqpBasicProperties.EMPTY : properties;
    }

    public int channel() {
        return channel;
    }

    public AmqpMethod method() {
        return method;
    }

    public AmqpBasicProperties properties() {
        return properties;
    }

    @Override
    public AmqpCommand replace(ByteBuf content) {
        return new AmqpCommand(channel, method, properties, content);
    }

    @Override
    public String toString() {
        return "AmqpCommand[channel=" + channel + ", " + method + ", " + content().readableBytes() + " bytes]";
    }
}
