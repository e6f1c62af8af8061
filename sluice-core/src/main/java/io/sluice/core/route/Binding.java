package io.sluice.core.route;

import java.util.Map;

/**
 * A route from an exchange to a queue (or a stream-backed queue) or to another exchange.
 *
 * @param source      exchange name
 * @param destination queue or exchange name
 * @param toExchange  true for an exchange-to-exchange binding
 * @param routingKey  binding key (topic pattern for topic exchanges)
 * @param arguments   binding arguments (the match table of a headers exchange)
 */
public record Binding(String source, String destination, boolean toExchange, String routingKey,
                      Map<String, Object> arguments) {
    public Binding {
        arguments = arguments == null ? Map.of() : Map.copyOf(arguments);
        routingKey = routingKey == null ? "" : routingKey;
    }
}
