package io.sluice.core;

import java.util.Objects;

/**
 * Where a name lives: tenant, then namespace (as in Pulsar). Clients without such a notion (Kafka, NATS, Redis) use
 * {@link #DEFAULT}; an AMQP virtual host maps to a namespace of the default tenant ("/" is the default namespace).
 * Metadata records and on-disk paths carry the scope.
 */
public record Scope(String tenant, String namespace) {
    public static final String DEFAULT_TENANT = "default";
    public static final String DEFAULT_NAMESPACE = "default";
    public static final Scope DEFAULT = new Scope(DEFAULT_TENANT, DEFAULT_NAMESPACE);

    public Scope {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(namespace, "namespace");
    }

    @Override
    public boolean equals(Object o) {
        // Written out: a record's generated equals/hashCode go through method handles, which the first-tier-only JIT
        // (the default on small machines) does not inline, and scopes are part of every stream, queue and group key.
        return o == this || o instanceof Scope s && tenant.equals(s.tenant) && namespace.equals(s.namespace);
    }

    @Override
    public int hashCode() {
        return 31 * tenant.hashCode() + namespace.hashCode();
    }

    /** The scope of an AMQP virtual host: "/" is the default namespace, any other vhost is its own namespace. */
    public static Scope ofVirtualHost(String vhost) {
        return vhost == null || vhost.isEmpty() || vhost.equals("/") ? DEFAULT : new Scope(DEFAULT_TENANT, vhost);
    }
}
