package io.sluice.protocol.amqp.codec;

/**
 * The methods of class {@code basic} (id 60), including RabbitMQ's {@code basic.nack}. {@code publish},
 * {@code return}, {@code deliver} and {@code get-ok} carry content. Delivery tags are unsigned 64-bit numbers held
 * in a long. The reserved access-ticket and cluster-id fields are written as 0 or empty.
 */
public final class AmqpBasic {

    public static final int CLASS_ID = 60;

    private AmqpBasic() {
    }

    static AmqpMethod decode(int methodId, AmqpMethodReader r) {
        return switch (methodId) {
            case 10 -> new Qos(r.longInt(), r.shortInt(), r.bit());
            case 11 -> new QosOk();
            case 20 -> {
                r.shortInt();
                yield new Consume(r.shortStr(), r.shortStr(), r.bit(), r.bit(), r.bit(), r.bit(), r.table());
            }
            case 21 -> new ConsumeOk(r.shortStr());
            case 30 -> new Cancel(r.shortStr(), r.bit());
            case 31 -> new CancelOk(r.shortStr());
            case 40 -> {
                r.shortInt();
                yield new Publish(r.shortStr(), r.shortStr(), r.bit(), r.bit());
            }
            case 50 -> new Return(r.shortInt(), r.shortStr(), r.shortStr(), r.shortStr());
            case 60 -> new Deliver(r.shortStr(), r.longLong(), r.bit(), r.shortStr(), r.shortStr());
            case 70 -> {
                r.shortInt();
                yield new Get(r.shortStr(), r.bit());
            }
            case 71 -> new GetOk(r.longLong(), r.bit(), r.shortStr(), r.shortStr(), r.longInt());
            case 72 -> {
                r.shortStr();
                yield new GetEmpty();
            }
            case 80 -> new Ack(r.longLong(), r.bit());
            case 90 -> new Reject(r.longLong(), r.bit());
            case 100 -> new RecoverAsync(r.bit());
            case 110 -> new Recover(r.bit());
            case 111 -> new RecoverOk();
            case 120 -> new Nack(r.longLong(), r.bit(), r.bit());
            default -> null;
        };
    }

    public record Qos(int prefetchSize, int prefetchCount, boolean global) implements AmqpMethod {
        public int classId() { return CLASS_ID; }
        public int methodId() { return 10; }
        public String name() { return "basic.qos"; }
        public void writeArguments(AmqpMethodWriter w) { w.longInt(prefetchSize).shortInt(prefetchCount).bit(global); }
    }

    public record QosOk() implements AmqpMethod {
        public int classId() { return CLASS_ID; }
        public int methodId() { return 11; }
        public String name() { return "basic.qos-ok"; }
        public void writeArguments(AmqpMethodWriter w) { }
    }

    public record Consume(String queue, String consumerTag, boolean noLocal, boolean noAck, boolean exclusive,
                          boolean noWait, AmqpTable arguments) implements AmqpMethod {
        public int classId() { return CLASS_ID; }
        public int methodId() { return 20; }
        public String name() { return "basic.consume"; }
        public void writeArguments(AmqpMethodWriter w) {
            w.shortInt(0).shortStr(queue).shortStr(consumerTag).bit(noLocal).bit(noAck).bit(exclusive).bit(noWait)
                    .table(arguments);
        }
    }

    public record ConsumeOk(String consumerTag) implements AmqpMethod {
        public int classId() { return CLASS_ID; }
        public int methodId() { return 21; }
        public String name() { return "basic.consume-ok"; }
        public void writeArguments(AmqpMethodWriter w) { w.shortStr(consumerTag); }
    }

    /** Sent by clients, and by the server to announce that a consumer was cancelled (RabbitMQ's extension). */
    public record Cancel(String consumerTag, boolean noWait) implements AmqpMethod {
        public int classId() { return CLASS_ID; }
        public int methodId() { return 30; }
        public String name() { return "basic.cancel"; }
        public void writeArguments(AmqpMethodWriter w) { w.shortStr(consumerTag).bit(noWait); }
    }

    public record CancelOk(String consumerTag) implements AmqpMethod {
        public int classId() { return CLASS_ID; }
        public int methodId() { return 31; }
        public String name() { return "basic.cancel-ok"; }
        public void writeArguments(AmqpMethodWriter w) { w.shortStr(consumerTag); }
    }

    public record Publish(String exchange, String routingKey, boolean mandatory, boolean immediate)
            implements AmqpMethod {
        public int classId() { return CLASS_ID; }
        public int methodId() { return 40; }
        public String name() { return "basic.publish"; }
        public boolean hasContent() { return true; }
        public void writeArguments(AmqpMethodWriter w) {
            w.shortInt(0).shortStr(exchange).shortStr(routingKey).bit(mandatory).bit(immediate);
        }
    }

    public record Return(int replyCode, String replyText, String exchange, String routingKey) implements AmqpMethod {
        public int classId() { return CLASS_ID; }
        public int methodId() { return 50; }
        public String name() { return "basic.return"; }
        public boolean hasContent() { return true; }
        public void writeArguments(AmqpMethodWriter w) {
            w.shortInt(replyCode).shortStr(replyText).shortStr(exchange).shortStr(routingKey);
        }
    }

    public record Deliver(String consumerTag, long deliveryTag, boolean redelivered, String exchange,
                          String routingKey) implements AmqpMethod {
        public int classId() { return CLASS_ID; }
        public int methodId() { return 60; }
        public String name() { return "basic.deliver"; }
        public boolean hasContent() { return true; }
        public void writeArguments(AmqpMethodWriter w) {
            w.shortStr(consumerTag).longLong(deliveryTag).bit(redelivered).shortStr(exchange).shortStr(routingKey);
        }
    }

    public record Get(String queue, boolean noAck) implements AmqpMethod {
        public int classId() { return CLASS_ID; }
        public int methodId() { return 70; }
        public String name() { return "basic.get"; }
        public void writeArguments(AmqpMethodWriter w) { w.shortInt(0).shortStr(queue).bit(noAck); }
    }

    public record GetOk(long deliveryTag, boolean redelivered, String exchange, String routingKey, int messageCount)
            implements AmqpMethod {
        public int classId() { return CLASS_ID; }
        public int methodId() { return 71; }
        public String name() { return "basic.get-ok"; }
        public boolean hasContent() { return true; }
        public void writeArguments(AmqpMethodWriter w) {
            w.longLong(deliveryTag).bit(redelivered).shortStr(exchange).shortStr(routingKey).longInt(messageCount);
        }
    }

    public record GetEmpty() implements AmqpMethod {
        public int classId() { return CLASS_ID; }
        public int methodId() { return 72; }
        public String name() { return "basic.get-empty"; }
        public void writeArguments(AmqpMethodWriter w) { w.shortStr(""); }
    }

    public record Ack(long deliveryTag, boolean multiple) implements AmqpMethod {
        public int classId() { return CLASS_ID; }
        public int methodId() { return 80; }
        public String name() { return "basic.ack"; }
        public void writeArguments(AmqpMethodWriter w) { w.longLong(deliveryTag).bit(multiple); }
    }

    public record Reject(long deliveryTag, boolean requeue) implements AmqpMethod {
        public int classId() { return CLASS_ID; }
        public int methodId() { return 90; }
        public String name() { return "basic.reject"; }
        public void writeArguments(AmqpMethodWriter w) { w.longLong(deliveryTag).bit(requeue); }
    }

    public record RecoverAsync(boolean requeue) implements AmqpMethod {
        public int classId() { return CLASS_ID; }
        public int methodId() { return 100; }
        public String name() { return "basic.recover-async"; }
        public void writeArguments(AmqpMethodWriter w) { w.bit(requeue); }
    }

    public record Recover(boolean requeue) implements AmqpMethod {
        public int classId() { return CLASS_ID; }
        public int methodId() { return 110; }
        public String name() { return "basic.recover"; }
        public void writeArguments(AmqpMethodWriter w) { w.bit(requeue); }
    }

    public record RecoverOk() implements AmqpMethod {
        public int classId() { return CLASS_ID; }
        public int methodId() { return 111; }
        public String name() { return "basic.recover-ok"; }
        public void writeArguments(AmqpMethodWriter w) { }
    }

    public record Nack(long deliveryTag, boolean multiple, boolean requeue) implements AmqpMethod {
        public int classId() { return CLASS_ID; }
        public int methodId() { return 120; }
        public String name() { return "basic.nack"; }
        public void writeArguments(AmqpMethodWriter w) { w.longLong(deliveryTag).bit(multiple).bit(requeue); }
    }
}
