package io.sluice.protocol.amqp.session;

import io.sluice.core.queue.Overflow;
import io.sluice.core.queue.QueueArguments;
import io.sluice.protocol.amqp.codec.AmqpReplyCode;
import io.sluice.protocol.amqp.codec.AmqpTable;
import io.sluice.protocol.amqp.codec.AmqpValue;

/**
 * Maps {@code queue.declare} x-arguments onto the core's {@link QueueArguments}, validating them as RabbitMQ does
 * (a wrong type or value is 406 PRECONDITION_FAILED). Supported: x-message-ttl, x-expires, x-max-length,
 * x-max-length-bytes, x-overflow, x-max-priority, x-dead-letter-exchange, x-dead-letter-routing-key,
 * x-delivery-limit, x-single-active-consumer, x-queue-type (classic, quorum, stream). Other arguments are ignored,
 * as RabbitMQ ignores unknown ones.
 */
final class AmqpQueueArguments {

    private AmqpQueueArguments() {
    }

    static QueueArguments parse(AmqpTable args) {
        if (args == null || args.isEmpty()) {
            return QueueArguments.DEFAULT;
        }
        long ttl = nonNegative(args, "x-message-ttl", -1);
        long expires = positive(args, "x-expires", -1);
        long maxLength = nonNegative(args, "x-max-length", -1);
        long maxLengthBytes = nonNegative(args, "x-max-length-bytes", -1);
        Overflow overflow = Overflow.DROP_HEAD;
        if (args.containsKey("x-overflow")) {
            String v = string(args, "x-overflow");
            try {
                overflow = Overflow.parse(v);
            } catch (IllegalArgumentException e) {
                throw invalid("invalid arg 'x-overflow' for queue: '" + v + "'");
            }
        }
        long maxPriority = nonNegative(args, "x-max-priority", 0);
        if (maxPriority > 255) {
            throw invalid("invalid arg 'x-max-priority': " + maxPriority + " is above 255");
        }
        String dlx = args.containsKey("x-dead-letter-exchange") ? string(args, "x-dead-letter-exchange") : null;
        String dlrk = args.containsKey("x-dead-letter-routing-key") ? string(args, "x-dead-letter-routing-key") : null;
        if (dlrk != null && dlx == null) {
            throw invalid("invalid arg 'x-dead-letter-routing-key': requires x-dead-letter-exchange");
        }
        long deliveryLimit = nonNegative(args, "x-delivery-limit", -1);
        boolean sac = false;
        if (args.containsKey("x-single-active-consumer")) {
            if (!(args.get("x-single-active-consumer") instanceof AmqpValue.Bool b)) {
                throw invalid("invalid arg 'x-single-active-consumer': expected a boolean");
            }
            sac = b.value();
        }
        boolean stream = false;
        if (args.containsKey("x-queue-type")) {
            String type = string(args, "x-queue-type");
            switch (type) {
                case "classic", "quorum" -> {
                }
                case "stream" -> stream = true;
                default -> throw invalid("invalid arg 'x-queue-type': unknown queue type '" + type + "'");
            }
        }
        return new QueueArguments(ttl, expires, maxLength, maxLengthBytes, overflow, (int) maxPriority, dlx, dlrk,
                (int) Math.min(Integer.MAX_VALUE, deliveryLimit), sac, -1, stream);
    }

    private static long nonNegative(AmqpTable args, String name, long absent) {
        if (!args.containsKey(name)) {
            return absent;
        }
        Long v = args.getLong(name);
        if (v == null) {
            throw invalid("invalid arg '" + name + "': expected an integer, got " + args.get(name));
        }
        if (v < 0) {
            throw invalid("invalid arg '" + name + "': " + v + " is negative");
        }
        return v;
    }

    private static long positive(AmqpTable args, String name, long absent) {
        long v = nonNegative(args, name, absent);
        if (args.containsKey(name) && v == 0) {
            throw invalid("invalid arg '" + name + "': 0 is not positive");
        }
        return v;
    }

    private static String string(AmqpTable args, String name) {
        String v = args.getString(name);
        if (v == null) {
            throw invalid("invalid arg '" + name + "': expected a string, got " + args.get(name));
        }
        return v;
    }

    private static io.sluice.protocol.amqp.codec.AmqpProtocolException invalid(String text) {
        return new io.sluice.protocol.amqp.codec.AmqpProtocolException(AmqpReplyCode.PRECONDITION_FAILED, text);
    }
}
