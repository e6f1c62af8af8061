package io.sluice.protocol.amqp.codec;

/** RabbitMQ's class {@code confirm} (id 85): publisher confirms. */
public final class AmqpConfirm {

    public static final int CLASS_ID = 85;

    private AmqpConfirm() {
    }

    static AmqpMethod decode(int methodId, AmqpMethodReader r) {
        return switch (methodId) {
            case 10 -> new Select(r.bit());
            case 11 -> new SelectOk();
            default -> null;
        };
    }

    public record Select(boolean noWait) implements AmqpMethod {
        public int classId() { return CLASS_ID; }
        public int methodId() { return 10; }
        public String name() { return "confirm.select"; }
        public void writeArguments(AmqpMethodWriter w) { w.bit(noWait); }
    }

    public record SelectOk() implements AmqpMethod {
        public int classId() { return CLASS_ID; }
        public int methodId() { return 11; }
        public String name() { return "confirm.select-ok"; }
        public void writeArguments(AmqpMethodWriter w) { }
    }
}
