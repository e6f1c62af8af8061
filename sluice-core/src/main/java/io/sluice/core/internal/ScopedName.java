package io.sluice.core.internal;

import io.sluice.core.Scope;
import java.util.Objects;

/**
 * A name within a scope: the map key of the core's stream and queue tables.
 *
 * <p>equals and hashCode are written out for the same reason as {@link Scope}'s: a record's generated ones go through
 * method handles, which the first-tier-only JIT (the default on small machines) does not inline, and every command of
 * every protocol looks its stream or queue up by this key.
 */
public record ScopedName(Scope scope, String name) {

    @Override
    public boolean equals(Object o) {
        return o == this || o instanceof ScopedName k && Objects.equals(name, k.name) && Objects.equals(scope, k.scope);
    }

    @Override
    public int hashCode() {
        return 31 * Objects.hashCode(scope) + Objects.hashCode(name);
    }
}
