package io.sluice.protocol.resp.session;

import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What every connection of one Redis listener shares: the command table, the stream store, the authentication
 * settings, the clock, the client id sequence and the executor that runs log reads. Immutable apart from the
 * counters (connections, and clients waiting in a blocking read); safe to use from any thread.
 *
 * @param password the password clients must give with AUTH or HELLO, or {@code null} for no authentication
 * @param user     a user name accepted besides the implicit {@code default}
 */
record RespServerContext(RespCommandTable commands, RespStreamStore streams, String user, String password,
                         Clock clock, AtomicLong clientIds, AtomicInteger connections, AtomicInteger blockedClients,
                         Executor reads) {

    static RespServerContext create(RespStreamStore streams, String user, String password, Clock clock,
                                    Executor reads) {
        return new RespServerContext(RespCommandTable.standard(), streams, user, password, clock, new AtomicLong(),
                new AtomicInteger(), new AtomicInteger(), reads);
    }

    /**
     * Runs a command body that reads the log (XRANGE, XREAD, XINFO STREAM...) on the read executor, so a read that
     * misses the page cache stalls no event loop. The session writes the reply in command order as usual.
     */
    CompletableFuture<io.sluice.protocol.resp.codec.RespReply> offLoop(
            Supplier<io.sluice.protocol.resp.codec.RespReply> body) {
        return CompletableFuture.supplyAsync(body, reads);
    }

    boolean authRequired() {
        return password != null;
    }

    long nextClientId() {
        return clientIds.incrementAndGet();
    }

    /**
     * redis-server's rules: {@code AUTH pass} means user {@code default}; with no password configured the
     * {@code default} user takes any password, but only when named.
     */
    boolean checkCredentials(String username, String pass) {
        if (password == null) {
            return username != null; // the default user has "nopass": any password works, AUTH <pass> alone does not
        }
        boolean userOk = username == null || username.equals("default") || username.equals(user);
        return userOk && password.equals(pass);
    }
}
