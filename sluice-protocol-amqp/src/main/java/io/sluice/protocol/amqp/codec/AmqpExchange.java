package io.sluice.protocol.amqp.codec;

/**
 * The methods of class {@code exchange} (id 40), including RabbitMQ's exchange-to-exchange {@code bind} and
 * {@code unbind}. The reserved access-ticket field is written as 0.
 */
public final class AmqpExchange {

    public static final int CLASS_ID = 40;

    private AmqpExchange() {
    }

    static AmqpMethod decode(int methodId, AmqpMethodReader r) {
        return switch (methodId) {
            case 10 -> {
                r.shortInt();
                yield new Declare(r.shortStr(), r.shortStr(), r.bit(), r.bit(), r.bit(), r.bit(), r.bit(), r.table());
            }
            case 11 -> new DeclareOk();
            case 20 -> {
                r.shortInt();
                yield new Delete(r.shortStr(), r.bit(), r.bit());
            }
            case 21 -> new DeleteOk();
            case 30 -> {
                r.shortInt();
                yield new Bind(r.shortStr(), r.shortStr(), r.shortStr(), r.bit(), r.table());
            }
            case 31 -> new BindOk();
            case 40 -> {
                r.shortInt();
                yield new Unbind(r.shortStr(), r.shortStr(), r.shortStr(), r.bit(), r.table());
            }
            case 51 -> new UnbindOk();
            default -> null;
        };
    }

    public record Declare(String exchange, String type, boolean passive, boolean durable, boolean autoDelete,
                          boolean internal, boolean noWait, AmqpTable arguments) implements AmqpMethod {
        public int classId() { return CLASS_ID; }
        public int methodId() { return 10; }
        public String name() { return "exchange.declare"; }
        public void writeArguments(AmqpMethodWriter w) {
            w.shortInt(0).shortStr(exchange).shortStr(type).bit(passive).bit(durable).bit(autoDelete).bit(internal)
                    .bit(noWait).table(arguments);
        }
    }

    public record DeclareOk() implements AmqpMethod {
        public int classId() { return CLASS_ID; }
        public int methodId() { return 11; }
        public String name() { return "exchange.declare-ok"; }
        public void writeArguments(AmqpMethodWriter w) { }
    }

    public record Delete(String exchange, boolean ifUnused, boolean noWait) implements AmqpMethod {
        public int classId() { return CLASS_ID; }
        public int methodId() { return 20; }
        public String name() { return "exchange.delete"; }
        public void writeArguments(AmqpMethodWriter w) { w.shortInt(0).shortStr(exchange).bit(ifUnused).bit(noWait); }
    }

    public record DeleteOk() implements AmqpMethod {
        public int classId() { return CLASS_ID; }
        public int methodId() { return 21; }
        public String name() { return "exchange.delete-ok"; }
        public void writeArguments(AmqpMethodWriter w) { }
    }

    public record Bind(String destination, String source, String routingKey, boolean noWait, AmqpTable arguments)
            implements AmqpMethod {
        public int classId() { return CLASS_ID; }
        public int methodId() { return 30; }
        public String name() { return "exchange.bind"; }
        public void writeArguments(AmqpMethodWriter w) {
            w.shortInt(0).shortStr(destination).shortStr(source).shortStr(routingKey).bit(noWait).table(arguments);
        }
    }

    public record BindOk() implements AmqpMethod {
        public int classId() { return CLASS_ID; }
        public int methodId() { return 31; }
        public String name() { return "exchange.bind-ok"; }
        public void writeArguments(AmqpMethodWriter w) { }
    }

    public record Unbind(String destination, String source, String routingKey, boolean noWait, AmqpTable arguments)
            implements AmqpMethod {
        public int classId() { return CLASS_ID; }
        public int methodId() { return 40; }
        public String name() { return "exchange.unbind"; }
        public void writeArguments(AmqpMethodWriter w) {
            w.shortInt(0).shortStr(destination).shortStr(source).shortStr(routingKey).bit(noWait).table(arguments);
        }
    }

    /** Id 51, not 41: RabbitMQ's extension numbers it so, and clients rely on it. */
    public record UnbindOk() implements AmqpMethod {
        public int classId() { return CLASS_ID; }
        public int methodId() { return 51; }
        public String name() { return "exchange.unbind-ok"; }
        public void writeArguments(AmqpMethodWriter w) { }
    }
}
