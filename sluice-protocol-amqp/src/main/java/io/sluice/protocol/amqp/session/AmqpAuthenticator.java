package io.sluice.protocol.amqp.session;

import io.netty.buffer.Unpooled;
import io.sluice.protocol.amqp.codec.AmqpTable;
import io.sluice.protocol.amqp.codec.AmqpValue;
import io.sluice.protocol.amqp.codec.AmqpWire;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Checks SASL responses of the PLAIN and AMQPLAIN mechanisms against the configured users. Stateless and
 * thread-safe.
 *
 * <p>PLAIN (RFC 4616): {@code authzid NUL user NUL password}. AMQPLAIN: the entries of a field table (without its
 * length prefix, as RabbitMQ's clients send it) holding long strings {@code LOGIN} and {@code PASSWORD}.
 */
final class AmqpAuthenticator {

    static final String MECHANISMS = "PLAIN AMQPLAIN";

    private final AmqpSessionConfig config;

    AmqpAuthenticator(AmqpSessionConfig config) {
        this.config = config;
    }

    /** The authenticated user, or null when the mechanism is known but the credentials are refused. */
    String authenticate(String mechanism, byte[] response, InetAddress peer) {
        String[] credentials = switch (mechanism) {
            case "PLAIN" -> plain(response);
            case "AMQPLAIN" -> amqplain(response);
            default -> throw new IllegalArgumentException("unknown mechanism");
        };
        if (credentials == null) {
            return null;
        }
        String user = credentials[0];
        String expected = config.users().get(user);
        if (expected == null || !MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                credentials[1].getBytes(StandardCharsets.UTF_8))) {
            return null;
        }
        if (config.loopbackUsers().contains(user) && (peer == null || !peer.isLoopbackAddress())) {
            return null;
        }
        return user;
    }

    static boolean knows(String mechanism) {
        return mechanism.equals("PLAIN") || mechanism.equals("AMQPLAIN");
    }

    private static String[] plain(byte[] response) {
        String s = new String(response, StandardCharsets.UTF_8);
        int first = s.indexOf('\0');
        int second = first < 0 ? -1 : s.indexOf('\0', first + 1);
        if (second < 0) {
            return null;
        }
        return new String[]{s.substring(first + 1, second), s.substring(second + 1)};
    }

    private static String[] amqplain(byte[] response) {
        AmqpTable table;
        try {
            byte[] framed = new byte[response.length + 4];
            framed[0] = (byte) (response.length >>> 24);
            framed[1] = (byte) (response.length >>> 16);
            framed[2] = (byte) (response.length >>> 8);
            framed[3] = (byte) response.length;
            System.arraycopy(response, 0, framed, 4, response.length);
            table = AmqpWire.readTable(Unpooled.wrappedBuffer(framed));
        } catch (RuntimeException e) {
            return null;
        }
        if (table.get("LOGIN") instanceof AmqpValue.LongString login
                && table.get("PASSWORD") instanceof AmqpValue.LongString password) {
            return new String[]{login.asString(), password.asString()};
        }
        return null;
    }
}
