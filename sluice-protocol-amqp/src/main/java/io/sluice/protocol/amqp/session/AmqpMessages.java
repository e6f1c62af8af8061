package io.sluice.protocol.amqp.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.sluice.core.Message;
import io.sluice.protocol.amqp.codec.AmqpBasicProperties;
import io.sluice.protocol.amqp.codec.AmqpReplyCode;
import io.sluice.protocol.amqp.codec.AmqpProtocolException;
import io.sluice.protocol.amqp.codec.AmqpTable;
import io.sluice.protocol.amqp.codec.AmqpValue;
import io.sluice.storage.record.Header;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * Maps AMQP messages to core {@link Message}s and back. Stateless.
 *
 * <p>Stored form: value = body; subject = routing key; priority and expiration (milliseconds) = the AMQP properties
 * of the same name, so the core can order and expire the message. Headers, in order: every AMQP header whose value
 * is a long string, as a plain header (so Kafka, NATS and Redis readers see them), then {@value #PROPERTIES}, the
 * complete basic properties in their content-header encoding (flag word + properties, see
 * {@link AmqpBasicProperties}), which AMQP readers decode for an exact round trip of every property and header type.
 * A message another protocol wrote has no {@value #PROPERTIES}; it is delivered with its headers as long strings.
 * Headers the broker added after publishing (not in the stored table) are appended as long strings too.
 */
final class AmqpMessages {

    static final String PROPERTIES = "amqp.properties";

    private AmqpMessages() {
    }

    static Message toMessage(String routingKey, AmqpBasicProperties props, byte[] body) {
        return toMessage(routingKey, props, body, null);
    }

    /** The stored form of a publish; {@code last}, when not null, is appended after the properties header. */
    static Message toMessage(String routingKey, AmqpBasicProperties props, byte[] body, Header last) {
        List<Header> headers = new ArrayList<>(last == null ? 1 : 2);
        if (props.headers() != null) {
            props.headers().entries().forEach((k, v) -> {
                if (v instanceof AmqpValue.LongString s) {
                    headers.add(new Header(k, s.bytes()));
                }
            });
        }
        ByteBuf encoded = Unpooled.buffer();
        props.encode(encoded);
        headers.add(new Header(PROPERTIES, ByteBufUtil.getBytes(encoded)));
        if (last != null) {
            headers.add(last);
        }
        long expiration = -1;
        if (props.expiration() != null) {
            try {
                expiration = Long.parseLong(props.expiration());
            } catch (NumberFormatException e) {
                expiration = -2;
            }
            if (expiration < 0) {
                throw new AmqpProtocolException(AmqpReplyCode.PRECONDITION_FAILED,
                        "invalid expiration '" + props.expiration() + "'", 60, 40);
            }
        }
        int priority = props.priority() == null ? -1 : props.priority();
        return new Message(routingKey, null, body, headers, 0, priority, expiration);
    }

    /** The properties to deliver a stored message with. */
    static AmqpBasicProperties properties(Message m) {
        return properties(m, null);
    }

    /** The properties to deliver a stored message with, leaving out the header {@code internal} (may be null). */
    static AmqpBasicProperties properties(Message m, String internal) {
        AmqpBasicProperties props = null;
        byte[] stored = m.header(PROPERTIES);
        if (stored != null) {
            try {
                props = AmqpBasicProperties.decode(Unpooled.wrappedBuffer(stored));
            } catch (RuntimeException e) {
                props = null;
            }
        }
        if (props == null) {
            props = new AmqpBasicProperties(null, null, null, null, m.priority() >= 0 ? m.priority() : null, null,
                    null, m.expirationMs() >= 0 ? Long.toString(m.expirationMs()) : null, null,
                    m.timestamp() > 0 ? m.timestamp() / 1000 : null, null, null, null, null);
        }
        if (stored != null && props.expiration() != null && m.expirationMs() < 0) {
            // the core drops a dead letter's per-message TTL (x-death keeps it as original-expiration)
            props = props.withExpiration(null);
        }
        AmqpTable table = props.headers() == null ? AmqpTable.EMPTY : props.headers();
        LinkedHashMap<String, AmqpValue> extra = null;
        for (Header h : m.headers()) {
            if (h.key().equals(PROPERTIES) || h.key().equals(internal) || table.containsKey(h.key())
                    || AmqpDeadLetters.isDeathHeader(h)) {
                continue;
            }
            if (extra == null) {
                extra = new LinkedHashMap<>(table.entries());
            }
            extra.put(h.key(), h.value() == null ? AmqpValue.Void.INSTANCE : new AmqpValue.LongString(h.value()));
        }
        if (extra != null) {
            props = props.withHeaders(AmqpTable.of(extra));
        }
        return props;
    }

    static String text(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }
}
