package io.sluice.core;

/**
 * The caller of a core operation: its principal and the scope its names resolve in. Adapters build one per
 * connection (or per AMQP channel, since the virtual host is per connection) and pass it to every call.
 */
public record CallContext(Principal principal, Scope scope) {
    public static final CallContext DEFAULT = new CallContext(Principal.ANONYMOUS, Scope.DEFAULT);
    public static final CallContext BROKER = new CallContext(Principal.BROKER, Scope.DEFAULT);

    public CallContext in(Scope other) {
        return new CallContext(principal, other);
    }
}
