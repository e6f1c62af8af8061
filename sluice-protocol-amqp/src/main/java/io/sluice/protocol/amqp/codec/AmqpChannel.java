package io.sluice.protocol.amqp.codec;

/** The methods of class {@code channel} (id 20). The reserved out-of-band and channel-id fields are written empty. */
public final class AmqpChannel {

    public static final int CLASS_ID = 20;

    private AmqpChannel() {
    }

    static AmqpMethod decode(int methodId, AmqpMethodReader r) {
        return switch (methodId) {
            case 10 -> {
                r.shortStr();
                yield new Open();
            }
            case 11 -> {
                r.longStr();
                yield new OpenOk();
            }
            case 20 -> new Flow(r.bit());
            case 21 -> new FlowOk(r.bit());
            case 40 -> new Close(r.shortInt(), r.shortStr(), r.shortInt(), r.shortInt());
            case 41 -> new CloseOk();
            default -> null;
        };
    }

    public record Open() implements AmqpMethod {
        public int classId() { return CLASS_ID; }
        public int methodId() { return 10; }
        public String name() { return "channel.open"; }
        public void writeArguments(AmqpMethodWriter w) { w.shortStr(""); }
    }

    public record OpenOk() implements AmqpMethod {
        public int classId() { return CLASS_ID; }
        public int methodId() { return 11; }
        public String name() { return "channel.open-ok"; }
        public void writeArguments(AmqpMethodWriter w) { w.longStr(null); }
    }

    public record Flow(boolean active) implements AmqpMethod {
        public int classId() { return CLASS_ID; }
        public int methodId() { return 20; }
        public String name() { return "channel.flow"; }
        public void writeArguments(AmqpMethodWriter w) { w.bit(active); }
    }

    public record FlowOk(boolean active) implements AmqpMethod {
        public int classId() { return CLASS_ID; }
        public int methodId() { return 21; }
        public String name() { return "channel.flow-ok"; }
        public void writeArguments(AmqpMethodWriter w) { w.bit(active); }
    }

    public record Close(int replyCode, String replyText, int failingClassId, int failingMethodId) implements AmqpMethod {
        public int classId() { return CLASS_ID; }
        public int methodId() { return 40; }
        public String name() { return "channel.close"; }
        public void writeArguments(AmqpMethodWriter w) {
            w.shortInt(replyCode).shortStr(replyText).shortInt(failingClassId).shortInt(failingMethodId);
        }
    }

    public record CloseOk() implements AmqpMethod {
        public int classId() { return CLASS_ID; }
        public int methodId() { return 41; }
        public String name() { return "channel.close-ok"; }
        public void writeArguments(AmqpMethodWriter w) { }
    }
}
