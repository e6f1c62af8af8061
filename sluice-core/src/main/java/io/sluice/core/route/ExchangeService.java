package io.sluice.core.route;

import io.sluice.core.CallContext;
import io.sluice.core.Message;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Exchanges and bindings with RabbitMQ's routing semantics. Every scope has the default exchange "" (direct, every
 * queue implicitly bound by its name) and amq.direct, amq.fanout, amq.topic, amq.headers and amq.match.
 * Definitions of durable exchanges and bindings live in the metadata log.
 */
public interface ExchangeService {

    /** Creates or, if equivalent, returns the exchange; {@code EXCHANGE_EXISTS_DIFFERENT} otherwise. */
    CompletableFuture<ExchangeSpec> declare(CallContext ctx, ExchangeSpec spec);

    Optional<ExchangeSpec> describe(CallContext ctx, String name);

    List<ExchangeSpec> list(CallContext ctx);

    /** Deletes an exchange and its bindings; {@code PRECONDITION_FAILED} if ifUnused and it has bindings. */
    CompletableFuture<Void> delete(CallContext ctx, String name, boolean ifUnused);

    /** Adds a binding (idempotent). Fails if the source or destination does not exist. */
    CompletableFuture<Void> bind(CallContext ctx, Binding binding);

    CompletableFuture<Void> unbind(CallContext ctx, Binding binding);

    /** Bindings of the scope, optionally only those whose source or destination is {@code name}. */
    List<Binding> bindings(CallContext ctx, String name);

    /**
     * Routes a message through an exchange (exchange-to-exchange bindings and alternate exchanges followed, each queue
     * receiving at most one copy) and stores it in every destination.
     *
     * @param routingHeaders headers used by headers exchanges (typed as AMQP tables type them); may be empty
     */
    CompletableFuture<PublishResult> publish(CallContext ctx, String exchange, String routingKey,
                                             Map<String, Object> routingHeaders, Message message);
}
