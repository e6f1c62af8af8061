package io.sluice.protocol.amqp.codec;

/**
 * The deprecated class {@code access} (id 30). 0-9-1 still defines it and RabbitMQ still answers
 * {@code access.request} with a zero ticket, so old clients that send it keep working.
 */
public final class AmqpAccess {

    public static final int CLASS_ID = 30;

    private AmqpAccess() {
    }

    static AmqpMethod decode(int methodId, AmqpMethodReader r) {
        return switch (methodId) {
            case 10 -> new Request(r.shortStr(), r.bit(), r.bit(), r.bit(), r.bit(), r.bit());
            case 11 -> {
                r.shortInt();
                yield new RequestOk();
            }
            default -> null;
        };
    }

    public record Request(String realm, boolean exclusive, boolean passive, boolean active, boolean write,
                          boolean read) implements AmqpMethod {
        public int classId() { return CLASS_ID; }
        public int methodId() { return 10; }
        public String name() { return "access.request"; }
        public void writeArguments(AmqpMethodWriter w) {
            w.shortStr(realm).bit(exclusive).bit(passive).bit(active).bit(write).bit(read);
        }
    }

    public record RequestOk() implements AmqpMethod {
        public int classId() { return CLASS_ID; }
        public int methodId() { return 11; }
        public String name() { return "access.request-ok"; }
        public void writeArguments(AmqpMethodWriter w) { w.shortInt(0); }
    }
}
