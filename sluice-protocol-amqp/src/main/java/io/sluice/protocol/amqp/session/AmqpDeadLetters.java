package io.sluice.protocol.amqp.session;

import io.sluice.core.Message;
import io.sluice.protocol.amqp.codec.AmqpBasicProperties;
import io.sluice.protocol.amqp.codec.AmqpTable;
import io.sluice.protocol.amqp.codec.AmqpValue;
import io.sluice.storage.record.Header;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes RabbitMQ's {@code x-death} header (and {@code x-first-death-*}, {@code x-last-death-*}) on messages the
 * core dead-lettered, so AMQP consumers see what RabbitMQ would show them.
 *
 * <p>Contract with the core: each time it dead-letters a message it appends three headers, in this order,
 * {@value #REASON} ({@code rejected}, {@code expired}, {@code maxlen} or {@code delivery_limit}), {@value #QUEUE}
 * (the queue it left) and {@value #TIME} (milliseconds since the epoch, decimal). A message dead-lettered several
 * times carries several triples, oldest first.
 *
 * <p>x-death is an array of tables, most recent first, one per (queue, reason) pair: {@code queue}, {@code reason},
 * {@code count} (long), {@code time} (timestamp, seconds), {@code exchange} and {@code routing-keys} (array of the
 * routing key the message was published with); a repeated pair increments {@code count} and moves to the front.
 */
final class AmqpDeadLetters {

    static final String REASON = "sluice.death.reason";
    static final String QUEUE = "sluice.death.queue";
    static final String TIME = "sluice.death.time";

    private AmqpDeadLetters() {
    }

    static AmqpBasicProperties withDeathHeaders(AmqpBasicProperties props, Message m) {
        List<String[]> deaths = new ArrayList<>();
        String reason = null;
        String queue = null;
        for (Header h : m.headers()) {
            switch (h.key()) {
                case REASON -> reason = text(h);
                case QUEUE -> queue = text(h);
                case TIME -> {
                    if (reason != null && queue != null) {
                        deaths.add(new String[]{reason, queue, text(h)});
                    }
                    reason = null;
                    queue = null;
                }
                default -> {
                }
            }
        }
        AmqpTable headers = props.headers() == null ? AmqpTable.EMPTY : props.headers();
        boolean hadInternal = headers.containsKey(REASON) || headers.containsKey(QUEUE) || headers.containsKey(TIME);
        if (deaths.isEmpty() && !hadInternal) {
            return props;
        }
        String exchange = m.header(AmqpChannelSession.EXCHANGE_HEADER) == null ? ""
                : new String(m.header(AmqpChannelSession.EXCHANGE_HEADER), StandardCharsets.UTF_8);
        String routingKey = m.subject() == null ? "" : m.subject();
        List<AmqpValue> xDeath = new ArrayList<>();
        if (headers.get("x-death") instanceof AmqpValue.Array existing) {
            xDeath.addAll(existing.values());
        }
        for (String[] death : deaths) {
            long count = 1;
            for (int i = 0; i < xDeath.size(); i++) {
                if (xDeath.get(i) instanceof AmqpValue.Table t && death[1].equals(t.table().getString("queue"))
                        && death[0].equals(t.table().getString("reason"))) {
                    Long c = t.table().getLong("count");
                    count = (c == null ? 0 : c) + 1;
                    xDeath.remove(i);
                    break;
                }
            }
            long seconds = parseLong(death[2]) / 1000;
            xDeath.addFirst(new AmqpValue.Table(AmqpTable.builder()
                    .put("count", count)
                    .put("reason", death[0])
                    .put("queue", death[1])
                    .put("time", new AmqpValue.Timestamp(seconds))
                    .put("exchange", exchange)
                    .put("routing-keys", new AmqpValue.Array(List.of(AmqpValue.LongString.of(routingKey))))
                    .build()));
        }
        AmqpTable.Builder b = AmqpTable.builder();
        headers.entries().forEach((k, v) -> {
            if (!k.equals(REASON) && !k.equals(QUEUE) && !k.equals(TIME)) {
                b.put(k, v);
            }
        });
        if (!xDeath.isEmpty()) {
            b.put("x-death", new AmqpValue.Array(xDeath));
            AmqpTable last = ((AmqpValue.Table) xDeath.getFirst()).table();
            if (!headers.containsKey("x-first-death-reason") && !deaths.isEmpty()) {
                // the oldest death recorded by the core, which x-death may have reordered since
                b.put("x-first-death-reason", deaths.getFirst()[0]);
                b.put("x-first-death-queue", deaths.getFirst()[1]);
                b.put("x-first-death-exchange", exchange);
            }
            b.put("x-last-death-reason", last.get("reason"));
            b.put("x-last-death-queue", last.get("queue"));
            b.put("x-last-death-exchange", last.get("exchange"));
        }
        return props.withHeaders(b.build());
    }

    private static String text(Header h) {
        return h.value() == null ? "" : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static long parseLong(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
