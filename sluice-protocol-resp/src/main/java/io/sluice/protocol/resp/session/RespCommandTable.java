package io.sluice.protocol.resp.session;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The commands this adapter knows, by lower-case name, with the arity rule redis-server applies before running a
 * command: a positive arity is the exact argument count (name included), a negative one the minimum. Built once per
 * listener, then read-only and shared by every connection.
 */
final class RespCommandTable {

    /**
     * @param name            lower-case command name
     * @param arity           redis-server's arity convention
     * @param beforeAuth      runnable on a connection that has not authenticated yet
     * @param inSubscribeMode runnable by a RESP2 connection that has subscriptions
     */
    record Spec(String name, int arity, boolean beforeAuth, boolean inSubscribeMode, RespCommandHandler handler) {
        boolean arityOk(int argc) {
            return arity >= 0 ? argc == arity : argc >= -arity;
        }
    }

    private final Map<String, Spec> specs = new HashMap<>();

    RespCommandTable add(String name, int arity, RespCommandHandler handler) {
        return add(new Spec(name, arity, false, false, handler));
    }

    RespCommandTable add(Spec spec) {
        specs.put(spec.name().toLowerCase(Locale.ROOT), spec);
        return this;
    }

    Spec find(String lowerCaseName) {
        return specs.get(lowerCaseName);
    }

    int size() {
        return specs.size();
    }

    /** The table with every command this adapter implements. */
    static RespCommandTable standard() {
        RespCommandTable t = new RespCommandTable();
        RespConnectionCommands.register(t);
        RespStreamCommands.register(t);
        RespKeyCommands.register(t);
        RespGroupCommands.register(t);
        RespXinfoCommand.register(t);
        RespPubSubCommands.register(t);
        return t;
    }
}
