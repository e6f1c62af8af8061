package io.sluice.core;

/**
 * Who is calling: an authenticated user name (or {@link #ANONYMOUS}) and the tenant it belongs to. Carried by every
 * core call so permissions and quotas can be added without changing the adapters.
 */
public record Principal(String name, String tenant) {
    public static final Principal ANONYMOUS = new Principal("anonymous", Scope.DEFAULT_TENANT);
    /** The broker itself (dead-lettering, redrive, internal logs). */
    public static final Principal BROKER = new Principal("broker", Scope.DEFAULT_TENANT);
}
