package io.sluice.protocol.amqp.codec;

import io.netty.buffer.ByteBuf;

/**
 * The properties of class {@code basic} content, as carried in a content header frame; null fields are absent.
 *
 * <p>Wire layout after the content header's class id, weight and body size: one or more uint16 property-flag words,
 * then the present properties in flag order. In the first word bit 15 is the first property and bit 0 says another
 * flag word follows (never needed for basic's 14 properties; a set continuation bit is refused as a frame error).
 * <pre>
 *  bit 15 content-type      shortstr      bit 8 expiration   shortstr     bit 3 app-id      shortstr
 *  bit 14 content-encoding  shortstr      bit 7 message-id   shortstr     bit 2 cluster-id  shortstr
 *  bit 13 headers           table         bit 6 timestamp    uint64 s
 *  bit 12 delivery-mode     octet         bit 5 type         shortstr
 *  bit 11 priority          octet         bit 4 user-id      shortstr
 *  bit 10 correlation-id    shortstr
 *  bit  9 reply-to          shortstr
 * </pre>
 */
public record AmqpBasicProperties(String contentType, String contentEncoding, AmqpTable headers,
                                  Integer deliveryMode, Integer priority, String correlationId, String replyTo,
                                  String expiration, String messageId, Long timestamp, String type, String userId,
                                  String appId, String clusterId) {

    public static final AmqpBasicProperties EMPTY =
            new AmqpBasicProperties(null, null, null, null, null, null, null, null, null, null, null, null, null, null);

    public AmqpBasicProperties {
        if (deliveryMode != null && (deliveryMode < 0 || deliveryMode > 0xFF)) {
            throw new IllegalArgumentException("delivery-mode is an octet: " + deliveryMode);
        }
        if (priority != null && (priority < 0 || priority > 0xFF)) {
            throw new IllegalArgumentException("priority is an octet: " + priority);
        }
    }

    /** True when delivery-mode is 2 (persistent). */
    public boolean persistent() {
        return deliveryMode != null && deliveryMode == 2;
    }

    public AmqpBasicProperties withHeaders(AmqpTable newHeaders) {
        return new AmqpBasicProperties(contentType, contentEncoding, newHeaders, deliveryMode, priority, correlationId,
                replyTo, expiration, messageId, timestamp, type, userId, appId, clusterId);
    }

    public AmqpBasicProperties withExpiration(String newExpiration) {
        return new AmqpBasicProperties(contentType, contentEncoding, headers, deliveryMode, priority, correlationId,
                replyTo, newExpiration, messageId, timestamp, type, userId, appId, clusterId);
    }

    /** Reads the flag word and the present properties. */
    public static AmqpBasicProperties decode(ByteBuf in) {
        int flags = in.readUnsignedShort();
        if ((flags & 1) != 0) {
            throw AmqpWire.malformed("basic properties have a continuation flag word, but basic has 14 properties");
        }
        return new AmqpBasicProperties(
                has(flags, 15) ? AmqpWire.readShortString(in) : null,
                has(flags, 14) ? AmqpWire.readShortString(in) : null,
                has(flags, 13) ? AmqpWire.readTable(in) : null,
                has(flags, 12) ? (Integer) (int) in.readUnsignedByte() : null,
                has(flags, 11) ? (Integer) (int) in.readUnsignedByte() : null,
                has(flags, 10) ? AmqpWire.readShortString(in) : null,
                has(flags, 9) ? AmqpWire.readShortString(in) : null,
                has(flags, 8) ? AmqpWire.readShortString(in) : null,
                has(flags, 7) ? AmqpWire.readShortString(in) : null,
                has(flags, 6) ? (Long) in.readLong() : null,
                has(flags, 5) ? AmqpWire.readShortString(in) : null,
                has(flags, 4) ? AmqpWire.readShortString(in) : null,
                has(flags, 3) ? AmqpWire.readShortString(in) : null,
                has(flags, 2) ? AmqpWire.readShortString(in) : null);
    }

    private static boolean has(int flags, int bit) {
        return (flags & (1 << bit)) != 0;
    }

    /** Writes the flag word and the present properties. */
    public void encode(ByteBuf out) {
        int flags = 0;
        if (contentType != null) flags |= 1 << 15;
        if (contentEncoding != null) flags |= 1 << 14;
        if (headers != null) flags |= 1 << 13;
        if (deliveryMode != null) flags |= 1 << 12;
        if (priority != null) flags |= 1 << 11;
        if (correlationId != null) flags |= 1 << 10;
        if (replyTo != null) flags |= 1 << 9;
        if (expiration != null) flags |= 1 << 8;
        if (messageId != null) flags |= 1 << 7;
        if (timestamp != null) flags |= 1 << 6;
        if (type != null) flags |= 1 << 5;
        if (userId != null) flags |= 1 << 4;
        if (appId != null) flags |= 1 << 3;
        if (clusterId != null) flags |= 1 << 2;
        out.writeShort(flags);
        if (contentType != null) AmqpWire.writeShortString(out, contentType);
        if (contentEncoding != null) AmqpWire.writeShortString(out, contentEncoding);
        if (headers != null) AmqpWire.writeTable(out, headers);
        if (deliveryMode != null) out.writeByte(deliveryMode);
        if (priority != null) out.writeByte(priority);
        if (correlationId != null) AmqpWire.writeShortString(out, correlationId);
        if (replyTo != null) AmqpWire.writeShortString(out, replyTo);
        if (expiration != null) AmqpWire.writeShortString(out, expiration);
        if (messageId != null) AmqpWire.writeShortString(out, messageId);
        if (timestamp != null) out.writeLong(timestamp);
        if (type != null) AmqpWire.writeShortString(out, type);
        if (userId != null) AmqpWire.writeShortString(out, userId);
        if (appId != null) AmqpWire.writeShortString(out, appId);
        if (clusterId != null) AmqpWire.writeShortString(out, clusterId);
    }
}
