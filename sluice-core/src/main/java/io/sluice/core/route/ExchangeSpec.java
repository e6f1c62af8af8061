package io.sluice.core.route;

import java.util.Map;

/**
 * An exchange to declare.
 *
 * @param alternateExchange where messages no binding matched go (RabbitMQ alternate-exchange), or null
 * @param arguments         remaining declare arguments, kept for equivalence checks and listing
 */
public record ExchangeSpec(String name, ExchangeType type, boolean durable, boolean autoDelete, boolean internal,
                           String alternateExchange, Map<String, Object> arguments) {
    public ExchangeSpec {
        arguments = arguments == null ? Map.of() : Map.copyOf(arguments);
    }
}
