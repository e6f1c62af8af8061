package io.sluice.protocol.amqp.codec;

/** The methods of class {@code queue} (id 50). The reserved access-ticket field is written as 0. */
public final class AmqpQueue {

    public static final int CLASS_ID = 50;

    private AmqpQueue() {
    }

    static AmqpMethod decode(int methodId, AmqpMethodReader r) {
        return switch (methodId) {
            case 10 -> {
                r.shortInt();
                yield new Declare(r.shortStr(), r.bit(), r.bit(), r.bit(), r.bit(), r.bit(), r.table());
            }
            case 11 -> new DeclareOk(r.shortStr(), r.longInt(), r.longInt());
            case 20 -> {
                r.shortInt();
                yield new Bind(r.shortStr(), r.shortStr(), r.shortStr(), r.bit(), r.table());
            }
            case 21 -> new BindOk();
            case 30 -> {
                r.shortInt();
                yield new Purge(r.shortStr(), r.bit());
            }
            case 31 -> new PurgeOk(r.longInt());
            case 40 -> {
                r.shortInt();
                yield new Delete(r.shortStr(), r.bit(), r.bit(), r.bit());
            }
            case 41 -> new DeleteOk(r.longInt());
            case 50 -> {
                r.shortInt();
                yield new Unbind(r.shortStr(), r.shortStr(), r.shortStr(), r.table());
            }
            case 51 -> new UnbindOk();
            default -> null;
        };
    }

    public record Declare(String queue, boolean passive, boolean durable, boolean exclusive, boolean autoDelete,
                          boolean noWait, AmqpTable arguments) implements AmqpMethod {
        public int classId() { return CLASS_ID; }
        public int methodId() { return 10; }
        public String name() { return "queue.declare"; }
        public void writeArguments(AmqpMethodWriter w) {
            w.shortInt(0).shortStr(queue).bit(passive).bit(durable).bit(exclusive).bit(autoDelete).bit(noWait)
                    .table(arguments);
        }
    }

    public record DeclareOk(String queue, int messageCount, int consumerCount) implements AmqpMethod {
        public int classId() { return CLASS_ID; }
        public int methodId() { return 11; }
        public String name() { return "queue.declare-ok"; }
        public void writeArguments(AmqpMethodWriter w) { w.shortStr(queue).longInt(messageCount).longInt(consumerCount); }
    }

    public record Bind(String queue, String exchange, String routingKey, boolean noWait, AmqpTable arguments)
            implements AmqpMethod {
        public int classId() { return CLASS_ID; }
        public int methodId() { return 20; }
        public String name() { return "queue.bind"; }
        public void writeArguments(AmqpMethodWriter w) {
            w.shortInt(0).shortStr(queue).shortStr(exchange).shortStr(routingKey).bit(noWait).table(arguments);
        }
    }

    public record BindOk() implements AmqpMethod {
        public int classId() { return CLASS_ID; }
        public int methodId() { return 21; }
        public String name() { return "queue.bind-ok"; }
        public void writeArguments(AmqpMethodWriter w) { }
    }

    public record Purge(String queue, boolean noWait) implements AmqpMethod {
        public int classId() { return CLASS_ID; }
        public int methodId() { return 30; }
        public String name() { return "queue.purge"; }
        public void writeArguments(AmqpMethodWriter w) { w.shortInt(0).shortStr(queue).bit(noWait); }
    }

    public record PurgeOk(int messageCount) implements AmqpMethod {
        public int classId() { return CLASS_ID; }
        public int methodId() { return 31; }
        public String name() { return "queue.purge-ok"; }
        public void writeArguments(AmqpMethodWriter w) { w.longInt(messageCount); }
    }

    public record Delete(String queue, boolean ifUnused, boolean ifEmpty, boolean noWait) implements AmqpMethod {
        public int classId() { return CLASS_ID; }
        public int methodId() { return 40; }
        public String name() { return "queue.delete"; }
        public void writeArguments(AmqpMethodWriter w) {
            w.shortInt(0).shortStr(queue).bit(ifUnused).bit(ifEmpty).bit(noWait);
        }
    }

    public record DeleteOk(int messageCount) implements AmqpMethod {
        public int classId() { return CLASS_ID; }
        public int methodId() { return 41; }
        public String name() { return "queue.delete-ok"; }
        public void writeArguments(AmqpMethodWriter w) { w.longInt(messageCount); }
    }

    public record Unbind(String queue, String exchange, String routingKey, AmqpTable arguments) implements AmqpMethod {
        public int classId() { return CLASS_ID; }
        public int methodId() { return 50; }
        public String name() { return "queue.unbind"; }
        public void writeArguments(AmqpMethodWriter w) {
            w.shortInt(0).shortStr(queue).shortStr(exchange).shortStr(routingKey).table(arguments);
        }
    }

    public record UnbindOk() implements AmqpMethod {
        public int classId() { return CLASS_ID; }
        public int methodId() { return 51; }
        public String name() { return "queue.unbind-ok"; }
        public void writeArguments(AmqpMethodWriter w) { }
    }
}
