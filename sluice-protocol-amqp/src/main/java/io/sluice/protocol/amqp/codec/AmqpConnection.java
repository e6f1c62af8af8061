package io.sluice.protocol.amqp.codec;

import java.util.Arrays;

/**
 * The methods of class {@code connection} (id 10), including RabbitMQ's extensions {@code connection.blocked},
 * {@code connection.unblocked} and {@code connection.update-secret}. Long-string fields (SASL responses, mechanism
 * and locale lists) are kept as bytes because SASL responses are binary.
 */
public final class AmqpConnection {

    public static final int CLASS_ID = 10;

    private AmqpConnection() {
    }

    static AmqpMethod decode(int methodId, AmqpMethodReader r) {
        return switch (methodId) {
            case 10 -> new Start(r.octet(), r.octet(), r.table(), r.longStr(), r.longStr());
            case 11 -> new StartOk(r.table(), r.shortStr(), r.longStr(), r.shortStr());
            case 20 -> new Secure(r.longStr());
            case 21 -> new SecureOk(r.longStr());
            case 30 -> new Tune(r.shortInt(), r.longInt(), r.shortInt());
            case 31 -> new TuneOk(r.shortInt(), r.longInt(), r.shortInt());
            case 40 -> {
                String vhost = r.shortStr();
                r.shortStr();
                r.bit();
                yield new Open(vhost);
            }
            case 41 -> {
                r.shortStr();
                yield new OpenOk();
            }
            case 50 -> new Close(r.shortInt(), r.shortStr(), r.shortInt(), r.shortInt());
            case 51 -> new CloseOk();
            case 60 -> new Blocked(r.shortStr());
            case 61 -> new Unblocked();
            case 70 -> new UpdateSecret(r.longStr(), r.shortStr());
            case 71 -> new UpdateSecretOk();
            default -> null;
        };
    }

    public record Start(int versionMajor, int versionMinor, AmqpTable serverProperties, byte[] mechanisms,
                        byte[] locales) implements AmqpMethod {
        public int classId() { return CLASS_ID; }
        public int methodId() { return 10; }
        public String name() { return "connection.start"; }
        public void writeArguments(AmqpMethodWriter w) {
            w.octet(versionMajor).octet(versionMinor).table(serverProperties).longStr(mechanisms).longStr(locales);
        }
        @Override public boolean equals(Object o) {
            return o instanceof Start s && versionMajor == s.versionMajor && versionMinor == s.versionMinor
                    && serverProperties.equals(s.serverProperties) && Arrays.equals(mechanisms, s.mechanisms)
                    && Arrays.equals(locales, s.locales);
        }
        @Override public int hashCode() { return serverProperties.hashCode() * 31 + Arrays.hashCode(mechanisms); }
    }

    public record StartOk(AmqpTable clientProperties, String mechanism, byte[] response, String locale)
            implements AmqpMethod {
        public int classId() { return CLASS_ID; }
        public int methodId() { return 11; }
        public String name() { return "connection.start-ok"; }
        public void writeArguments(AmqpMethodWriter w) {
            w.table(clientProperties).shortStr(mechanism).longStr(response).shortStr(locale);
        }
        @Override public boolean equals(Object o) {
            return o instanceof StartOk s && clientProperties.equals(s.clientProperties)
                    && mechanism.equals(s.mechanism) && Arrays.equals(response, s.response) && locale.equals(s.locale);
        }
        @Override public int hashCode() { return clientProperties.hashCode() * 31 + mechanism.hashCode(); }
        @Override public String toString() { return "StartOk[" + mechanism + ", " + clientProperties + "]"; }
    }

    public record Secure(byte[] challenge) implements AmqpMethod {
        public int classId() { return CLASS_ID; }
        public int methodId() { return 20; }
        public String name() { return "connection.secure"; }
        public void writeArguments(AmqpMethodWriter w) { w.longStr(challenge); }
        @Override public boolean equals(Object o) { return o instanceof Secure s && Arrays.equals(challenge, s.challenge); }
        @Override public int hashCode() { return Arrays.hashCode(challenge); }
    }

    public record SecureOk(byte[] response) implements AmqpMethod {
        public int classId() { return CLASS_ID; }
        public int methodId() { return 21; }
        public String name() { return "connection.secure-ok"; }
        public void writeArguments(AmqpMethodWriter w) { w.longStr(response); }
        @Override public boolean equals(Object o) { return o instanceof SecureOk s && Arrays.equals(response, s.response); }
        @Override public int hashCode() { return Arrays.hashCode(response); }
        @Override public String toString() { return "SecureOk[" + response.length + " bytes]"; }
    }

    /** Server's tuning proposal; frame-max is unsigned 32-bit, 0 meaning no limit. */
    public record Tune(int channelMax, int frameMax, int heartbeat) implements AmqpMethod {
        public int classId() { return CLASS_ID; }
        public int methodId() { return 30; }
        public String name() { return "connection.tune"; }
        public void writeArguments(AmqpMethodWriter w) { w.shortInt(channelMax).longInt(frameMax).shortInt(heartbeat); }
    }

    public record TuneOk(int channelMax, int frameMax, int heartbeat) implements AmqpMethod {
        public int classId() { return CLASS_ID; }
        public int methodId() { return 31; }
        public String name() { return "connection.tune-ok"; }
        public void writeArguments(AmqpMethodWriter w) { w.shortInt(channelMax).longInt(frameMax).shortInt(heartbeat); }
    }

    /** Opens a virtual host; the reserved {@code capabilities} and {@code insist} fields are written empty. */
    public record Open(String virtualHost) implements AmqpMethod {
        public int classId() { return CLASS_ID; }
        public int methodId() { return 40; }
        public String name() { return "connection.open"; }
        public void writeArguments(AmqpMethodWriter w) { w.shortStr(virtualHost).shortStr("").bit(false); }
    }

    public record OpenOk() implements AmqpMethod {
        public int classId() { return CLASS_ID; }
        public int methodId() { return 41; }
        public String name() { return "connection.open-ok"; }
        public void writeArguments(AmqpMethodWriter w) { w.shortStr(""); }
    }

    public record Close(int replyCode, String replyText, int failingClassId, int failingMethodId) implements AmqpMethod {
        public int classId() { return CLASS_ID; }
        public int methodId() { return 50; }
        public String name() { return "connection.close"; }
        public void writeArguments(AmqpMethodWriter w) {
            w.shortInt(replyCode).shortStr(replyText).shortInt(failingClassId).shortInt(failingMethodId);
        }
    }

    public record CloseOk() implements AmqpMethod {
        public int classId() { return CLASS_ID; }
        public int methodId() { return 51; }
        public String name() { return "connection.close-ok"; }
        public void writeArguments(AmqpMethodWriter w) { }
    }

    public record Blocked(String reason) implements AmqpMethod {
        public int classId() { return CLASS_ID; }
        public int methodId() { return 60; }
        public String name() { return "connection.blocked"; }
        public void writeArguments(AmqpMethodWriter w) { w.shortStr(reason); }
    }

    public record Unblocked() implements AmqpMethod {
        public int classId() { return CLASS_ID; }
        public int methodId() { return 61; }
        public String name() { return "connection.unblocked"; }
        public void writeArguments(AmqpMethodWriter w) { }
    }

    public record UpdateSecret(byte[] newSecret, String reason) implements AmqpMethod {
        public int classId() { return CLASS_ID; }
        public int methodId() { return 70; }
        public String name() { return "connection.update-secret"; }
        public void writeArguments(AmqpMethodWriter w) { w.longStr(newSecret).shortStr(reason); }
        @Override public boolean equals(Object o) {
            return o instanceof UpdateSecret s && Arrays.equals(newSecret, s.newSecret) && reason.equals(s.reason);
        }
        @Override public int hashCode() { return reason.hashCode(); }
    }

    public record UpdateSecretOk() implements AmqpMethod {
        public int classId() { return CLASS_ID; }
        public int methodId() { return 71; }
        public String name() { return "connection.update-secret-ok"; }
        public void writeArguments(AmqpMethodWriter w) { }
    }
}
