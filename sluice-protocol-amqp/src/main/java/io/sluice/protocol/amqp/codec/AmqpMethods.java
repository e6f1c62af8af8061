package io.sluice.protocol.amqp.codec;

import io.netty.buffer.ByteBuf;

/**
 * Decodes and encodes method frame payloads: uint16 class id, uint16 method id, then the method's fields (see
 * {@link AmqpMethod}). Stateless.
 */
public final class AmqpMethods {

    private AmqpMethods() {
    }

    /**
     * Decodes one whole method payload.
     *
     * @throws AmqpProtocolException {@link AmqpReplyCode#NOT_IMPLEMENTED} for a class or method id that 0-9-1 and
     *                               RabbitMQ's extensions do not define; {@link AmqpReplyCode#FRAME_ERROR} when the
     *                               fields are truncated, malformed or followed by extra bytes
     */
    public static AmqpMethod decode(ByteBuf payload) {
        if (payload.readableBytes() < 4) {
            throw AmqpWire.malformed("method frame of " + payload.readableBytes() + " bytes has no class and method id");
        }
        int classId = payload.readUnsignedShort();
        int methodId = payload.readUnsignedShort();
        AmqpMethodReader r = new AmqpMethodReader(payload);
        AmqpMethod method;
        try {
            method = switch (classId) {
                case AmqpConnection.CLASS_ID -> AmqpConnection.decode(methodId, r);
                case AmqpChannel.CLASS_ID -> AmqpChannel.decode(methodId, r);
                case AmqpAccess.CLASS_ID -> AmqpAccess.decode(methodId, r);
                case AmqpExchange.CLASS_ID -> AmqpExchange.decode(methodId, r);
                case AmqpQueue.CLASS_ID -> AmqpQueue.decode(methodId, r);
                case AmqpBasic.CLASS_ID -> AmqpBasic.decode(methodId, r);
                case AmqpConfirm.CLASS_ID -> AmqpConfirm.decode(methodId, r);
                case AmqpTx.CLASS_ID -> AmqpTx.decode(methodId, r);
                default -> null;
            };
        } catch (IndexOutOfBoundsException e) {
            throw new AmqpProtocolException(AmqpReplyCode.FRAME_ERROR,
                    "cannot decode method " + classId + "/" + methodId + ": truncated", classId, methodId);
        } catch (AmqpProtocolException e) {
            throw new AmqpProtocolException(e.replyCode(),
                    "cannot decode method " + classId + "/" + methodId + ": " + e.getMessage(), classId, methodId);
        }
        if (method == null) {
            throw new AmqpProtocolException(AmqpReplyCode.NOT_IMPLEMENTED,
                    "unknown method, class id " + classId + ", method id " + methodId, classId, methodId);
        }
        if (!r.atEnd()) {
            throw new AmqpProtocolException(AmqpReplyCode.FRAME_ERROR,
                    "cannot decode " + method.name() + ": " + payload.readableBytes() + " trailing bytes",
                    classId, methodId);
        }
        return method;
    }

    /** Writes class id, method id and fields. */
    public static void encode(AmqpMethod method, ByteBuf out) {
        out.writeShort(method.classId());
        out.writeShort(method.methodId());
        AmqpMethodWriter w = new AmqpMethodWriter(out);
        method.writeArguments(w);
        w.finish();
    }
}
