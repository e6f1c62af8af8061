package io.sluice.protocol.amqp.session;

import io.sluice.core.Broker;
import io.sluice.core.CallContext;
import io.sluice.core.queue.QueueArguments;
import io.sluice.core.queue.QueueInfo;
import io.sluice.core.queue.QueueSpec;
import io.sluice.core.route.Binding;
import io.sluice.core.route.ExchangeSpec;
import io.sluice.core.route.ExchangeType;
import io.sluice.protocol.amqp.codec.AmqpExchange;
import io.sluice.protocol.amqp.codec.AmqpMethod;
import io.sluice.protocol.amqp.codec.AmqpProtocolException;
import io.sluice.protocol.amqp.codec.AmqpQueue;
import io.sluice.protocol.amqp.codec.AmqpReplyCode;
import io.sluice.protocol.amqp.codec.AmqpTable;
import io.sluice.protocol.amqp.codec.AmqpValue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import static io.sluice.protocol.amqp.session.AmqpChannelSession.done;

/**
 * One channel's declarations: exchange declare/delete, queue declare/purge/delete and bindings, with RabbitMQ's
 * checks (reserved names, exclusive queues of other connections, the default exchange) and the channel's "last
 * declared queue" that an empty queue name refers to.
 *
 * <p>Each method is a step of the channel's pipeline ({@link AmqpChannelSession}): it runs in order after everything
 * before it, starts the core call and returns the reply to write on completion. Confined to the connection's event
 * loop.
 */
final class AmqpDeclarations {

    private final int number;
    private final AmqpConnectionSession conn;
    private final Broker broker;
    private final CallContext ctx;
    private String lastQueue;

    AmqpDeclarations(int number, AmqpConnectionSession conn) {
        this.number = number;
        this.conn = conn;
        this.broker = conn.broker();
        this.ctx = conn.callContext();
    }

    String queueName(String name) {
        if (name.isEmpty()) {
            if (lastQueue == null) {
                throw new AmqpProtocolException(AmqpReplyCode.NOT_FOUND, "no previously declared queue");
            }
            return lastQueue;
        }
        return name;
    }

    CompletableFuture<Runnable> exchangeBind(AmqpExchange.Bind b) {
        return bind(b, new Binding(b.source(), b.destination(), true, b.routingKey(), javaArgs(b.arguments())), true,
                b.noWait(), new AmqpExchange.BindOk());
    }

    CompletableFuture<Runnable> exchangeUnbind(AmqpExchange.Unbind u) {
        return bind(u, new Binding(u.source(), u.destination(), true, u.routingKey(), javaArgs(u.arguments())), false,
                u.noWait(), new AmqpExchange.UnbindOk());
    }

    CompletableFuture<Runnable> queueBind(AmqpQueue.Bind b) {
        return bind(b, new Binding(b.exchange(), queueName(b.queue()), false, b.routingKey(),
                javaArgs(b.arguments())), true, b.noWait(), new AmqpQueue.BindOk());
    }

    CompletableFuture<Runnable> queueUnbind(AmqpQueue.Unbind u) {
        return bind(u, new Binding(u.exchange(), queueName(u.queue()), false, u.routingKey(),
                javaArgs(u.arguments())), false, false, new AmqpQueue.UnbindOk());
    }

    private static Map<String, Object> javaArgs(AmqpTable args) {
        return args == null ? Map.of() : args.toJava();
    }

    String vhost() {
        return ctx.scope().namespace().equals(io.sluice.core.Scope.DEFAULT_NAMESPACE) ? "/" : ctx.scope().namespace();
    }

    Optional<QueueInfo> describeQueue(String name) {
        return broker.queues().describe(ctx, name);
    }

    /** RabbitMQ refuses every use of another connection's exclusive queue with 405 RESOURCE_LOCKED. */
    void checkNotLocked(QueueInfo info, AmqpMethod method) {
        String owner = info.spec().exclusiveOwner();
        if (owner != null && !owner.equals(conn.connectionId())) {
            throw AmqpErrors.error(AmqpReplyCode.RESOURCE_LOCKED, "cannot obtain exclusive access to locked queue '"
                    + info.name() + "' in vhost '" + vhost() + "'", method);
        }
    }

    QueueInfo existingQueue(String name, AmqpMethod method) {
        QueueInfo info = describeQueue(name).orElseThrow(() -> AmqpErrors.error(AmqpReplyCode.NOT_FOUND,
                "no queue '" + name + "' in vhost '" + vhost() + "'", method));
        checkNotLocked(info, method);
        return info;
    }


    // ---- exchanges

    CompletableFuture<Runnable> exchangeDeclare(AmqpExchange.Declare d) {
        String name = d.exchange();
        if (d.passive()) {
            Optional<ExchangeSpec> existing = broker.exchanges().describe(ctx, name);
            if (existing.isEmpty()) {
                throw AmqpErrors.error(AmqpReplyCode.NOT_FOUND, "no exchange '" + name + "' in vhost '" + vhost()
                        + "'", d);
            }
            return done(() -> {
                if (!d.noWait()) {
                    conn.sendMethod(number, new AmqpExchange.DeclareOk());
                }
            });
        }
        ExchangeType type;
        try {
            type = ExchangeType.parse(d.type());
        } catch (IllegalArgumentException e) {
            throw AmqpErrors.error(AmqpReplyCode.COMMAND_INVALID, "invalid exchange type '" + d.type() + "'", d);
        }
        if (name.isEmpty() || name.startsWith("amq.")) {
            Optional<ExchangeSpec> existing = broker.exchanges().describe(ctx, name);
            if (existing.isPresent() && existing.get().type() == type) {
                return done(() -> {
                    if (!d.noWait()) {
                        conn.sendMethod(number, new AmqpExchange.DeclareOk());
                    }
                });
            }
            throw AmqpErrors.error(AmqpReplyCode.ACCESS_REFUSED, "exchange name '" + name
                    + "' contains reserved prefix 'amq.*'", d);
        }
        AmqpTable args = d.arguments() == null ? AmqpTable.EMPTY : d.arguments();
        String alternate = null;
        Map<String, Object> rest = new LinkedHashMap<>();
        for (var e : args.entries().entrySet()) {
            if (e.getKey().equals("alternate-exchange") && e.getValue() instanceof AmqpValue.LongString s) {
                alternate = s.asString();
            } else {
                rest.put(e.getKey(), e.getValue().toJava());
            }
        }
        ExchangeSpec spec = new ExchangeSpec(name, type, d.durable(), d.autoDelete(), d.internal(), alternate, rest);
        return broker.exchanges().declare(ctx, spec).thenApply(s -> () -> {
            if (!d.noWait()) {
                conn.sendMethod(number, new AmqpExchange.DeclareOk());
            }
        });
    }

    CompletableFuture<Runnable> exchangeDelete(AmqpExchange.Delete d) {
        if (d.exchange().isEmpty() || d.exchange().startsWith("amq.")) {
            throw AmqpErrors.error(AmqpReplyCode.ACCESS_REFUSED, "operation not permitted on exchange '"
                    + d.exchange() + "'", d);
        }
        Runnable ok = () -> {
            if (!d.noWait()) {
                conn.sendMethod(number, new AmqpExchange.DeleteOk());
            }
        };
        if (broker.exchanges().describe(ctx, d.exchange()).isEmpty()) {
            return done(ok); // deleting a missing exchange succeeds, as in RabbitMQ
        }
        return broker.exchanges().delete(ctx, d.exchange(), d.ifUnused()).thenApply(v -> ok);
    }

    private CompletableFuture<Runnable> bind(AmqpMethod method, Binding binding, boolean add, boolean noWait,
                                             AmqpMethod ok) {
        if (binding.source().isEmpty() || (!binding.toExchange() && binding.destination().isEmpty())) {
            throw AmqpErrors.error(AmqpReplyCode.ACCESS_REFUSED,
                    "operation not permitted on the default exchange", method);
        }
        if (broker.exchanges().describe(ctx, binding.source()).isEmpty()) {
            throw AmqpErrors.error(AmqpReplyCode.NOT_FOUND, "no exchange '" + binding.source() + "' in vhost '"
                    + vhost() + "'", method);
        }
        if (binding.toExchange()) {
            if (broker.exchanges().describe(ctx, binding.destination()).isEmpty()) {
                throw AmqpErrors.error(AmqpReplyCode.NOT_FOUND, "no exchange '" + binding.destination()
                        + "' in vhost '" + vhost() + "'", method);
            }
        } else {
            existingQueue(binding.destination(), method);
        }
        CompletableFuture<Void> f = add ? broker.exchanges().bind(ctx, binding)
                : broker.exchanges().unbind(ctx, binding);
        return f.thenApply(v -> () -> {
            if (!noWait) {
                conn.sendMethod(number, ok);
            }
        });
    }

    // ---- queues

    CompletableFuture<Runnable> queueDeclare(AmqpQueue.Declare d) {
        String name = d.queue();
        if (d.passive()) {
            QueueInfo info = existingQueue(queueName(name), d);
            lastQueue = info.name();
            return done(() -> {
                if (!d.noWait()) {
                    conn.sendMethod(number, new AmqpQueue.DeclareOk(info.name(), (int) info.messages(),
                            info.consumers()));
                }
            });
        }
        if (name.startsWith("amq.")) {
            throw AmqpErrors.error(AmqpReplyCode.ACCESS_REFUSED, "queue name '" + name
                    + "' contains reserved prefix 'amq.*'", d);
        }
        QueueArguments args;
        try {
            args = AmqpQueueArguments.parse(d.arguments());
        } catch (AmqpProtocolException e) {
            throw AmqpErrors.error(e.replyCode(), e.getMessage(), d);
        }
        if (args.streamBacked() && (!d.durable() || d.exclusive() || d.autoDelete())) {
            throw AmqpErrors.error(AmqpReplyCode.PRECONDITION_FAILED,
                    "invalid property 'durable', 'exclusive' or 'auto-delete' for stream queue '" + name + "'", d);
        }
        describeQueue(name).ifPresent(existing -> checkNotLocked(existing, d));
        QueueSpec spec = new QueueSpec(name, d.durable(), d.exclusive() ? conn.connectionId() : null, d.autoDelete(),
                args);
        return broker.queues().declare(ctx, spec).thenApply(info -> () -> {
            lastQueue = info.name();
            if (!d.noWait()) {
                conn.sendMethod(number, new AmqpQueue.DeclareOk(info.name(), (int) info.messages(),
                        info.consumers()));
            }
        });
    }

    CompletableFuture<Runnable> queuePurge(AmqpQueue.Purge p) {
        String name = queueName(p.queue());
        existingQueue(name, p);
        return broker.queues().purge(ctx, name).thenApply(n -> () -> {
            if (!p.noWait()) {
                conn.sendMethod(number, new AmqpQueue.PurgeOk((int) (long) n));
            }
        });
    }

    CompletableFuture<Runnable> queueDelete(AmqpQueue.Delete d) {
        String name = queueName(d.queue());
        Optional<QueueInfo> info = describeQueue(name);
        Runnable okEmpty = () -> {
            if (!d.noWait()) {
                conn.sendMethod(number, new AmqpQueue.DeleteOk(0));
            }
        };
        if (info.isEmpty()) {
            return done(okEmpty); // deleting a missing queue succeeds, as in RabbitMQ
        }
        checkNotLocked(info.get(), d);
        if (d.ifUnused() && info.get().consumers() > 0) {
            throw AmqpErrors.error(AmqpReplyCode.PRECONDITION_FAILED, "queue '" + name + "' in vhost '" + vhost()
                    + "' in use", d);
        }
        if (d.ifEmpty() && info.get().messages() > 0) {
            throw AmqpErrors.error(AmqpReplyCode.PRECONDITION_FAILED, "queue '" + name + "' in vhost '" + vhost()
                    + "' is not empty", d);
        }
        return broker.queues().delete(ctx, name, d.ifUnused(), d.ifEmpty()).thenApply(n -> () -> {
            if (!d.noWait()) {
                conn.sendMethod(number, new AmqpQueue.DeleteOk((int) (long) n));
            }
        });
    }
}
