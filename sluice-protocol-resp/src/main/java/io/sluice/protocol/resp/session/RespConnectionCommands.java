package io.sluice.protocol.resp.session;

import io.sluice.protocol.resp.codec.RespCommand;
import io.sluice.protocol.resp.codec.RespReply;
import io.sluice.protocol.resp.codec.RespVersion;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletionStage;

import static io.sluice.protocol.resp.session.RespSession.done;

/**
 * Connection-level commands: HELLO, AUTH, PING, ECHO, SELECT, CLIENT, COMMAND, INFO, QUIT, RESET. They touch only the
 * connection's own state, never the broker, and answer immediately.
 *
 * <p>HELLO reports {@code server=sluice} and {@code version=7.4.0}: the Redis version whose command semantics this
 * adapter follows, which clients use to decide which commands and reply shapes to expect.
 */
final class RespConnectionCommands {

    /** The Redis version whose behaviour is emulated, reported by HELLO and INFO. */
    static final String REDIS_VERSION = "7.4.0";

    private RespConnectionCommands() {
    }

    static void register(RespCommandTable t) {
        t.add(new RespCommandTable.Spec("hello", -1, true, false, RespConnectionCommands::hello));
        t.add(new RespCommandTable.Spec("auth", -2, true, false, RespConnectionCommands::auth));
        t.add(new RespCommandTable.Spec("ping", -1, false, true, RespConnectionCommands::ping));
        t.add(new RespCommandTable.Spec("quit", -1, true, true, (s, c) -> {
            s.closeAfter(RespReply.OK);
            return null;
        }));
        t.add(new RespCommandTable.Spec("reset", 1, true, true, RespConnectionCommands::reset));
        t.add("echo", 2, (s, c) -> done(RespReply.bulk(c.arg(1))));
        t.add("select", 2, RespConnectionCommands::select);
        t.add("client", -2, RespConnectionCommands::client);
        t.add("command", -1, RespConnectionCommands::command);
        t.add("info", -1, RespConnectionCommands::info);
    }

    private static CompletionStage<RespReply> hello(RespSession s, RespCommand c) {
        RespVersion version = s.version();
        int i = 1;
        if (c.argc() >= 2) {
            long v;
            try {
                v = Long.parseLong(c.argString(1));
            } catch (NumberFormatException e) {
                return done(RespErrors.error(RespErrors.PROTO_NOT_INTEGER));
            }
            if (v < 2 || v > 3) {
                return done(RespErrors.error(RespErrors.NOPROTO));
            }
            version = v == 3 ? RespVersion.RESP3 : RespVersion.RESP2;
            i = 2;
        }
        String user = null;
        String pass = null;
        String name = null;
        for (; i < c.argc(); i++) {
            String opt = c.argString(i).toLowerCase(Locale.ROOT);
            boolean more = i + 1 < c.argc();
            if (opt.equals("auth") && i + 2 < c.argc()) {
                user = c.argString(++i);
                pass = c.argString(++i);
            } else if (opt.equals("setname") && more) {
                name = c.argString(++i);
            } else {
                return done(RespErrors.error("ERR Syntax error in HELLO option '" + c.argString(i) + "'"));
            }
        }
        if (user != null) {
            if (!s.server().checkCredentials(user, pass)) {
                return done(RespErrors.error(RespErrors.WRONGPASS));
            }
            s.authenticated(true);
        }
        if (!s.authenticated()) {
            return done(RespErrors.error("NOAUTH HELLO must be called with the client already authenticated, "
                    + "otherwise the HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client "
                    + "and select the RESP protocol version at the same time"));
        }
        if (name != null) {
            if (!validName(name)) {
                return done(RespErrors.error(RespErrors.BAD_CLIENT_NAME));
            }
            s.clientName(name.isEmpty() ? null : name);
        }
        s.version(version); // before the reply, which goes out in the new dialect as on redis-server
        return done(new RespReply.Map(List.of(
                RespReply.bulk("server"), RespReply.bulk("sluice"),
                RespReply.bulk("version"), RespReply.bulk(REDIS_VERSION),
                RespReply.bulk("proto"), RespReply.integer(version.number()),
                RespReply.bulk("id"), RespReply.integer(s.clientId()),
                RespReply.bulk("mode"), RespReply.bulk("standalone"),
                RespReply.bulk("role"), RespReply.bulk("master"),
                RespReply.bulk("modules"), RespReply.array())));
    }

    private static CompletionStage<RespReply> auth(RespSession s, RespCommand c) {
        if (c.argc() > 3) {
            return done(RespErrors.error(RespErrors.SYNTAX));
        }
        String user = c.argc() == 3 ? c.argString(1) : null;
        String pass = c.argString(c.argc() - 1);
        if (user == null && !s.server().authRequired()) {
            return done(RespErrors.error(RespErrors.AUTH_NOT_CONFIGURED));
        }
        if (!s.server().checkCredentials(user, pass)) {
            return done(RespErrors.error(RespErrors.WRONGPASS));
        }
        s.authenticated(true);
        return done(RespReply.OK);
    }

    private static CompletionStage<RespReply> ping(RespSession s, RespCommand c) {
        if (c.argc() > 2) {
            return done(RespErrors.wrongArity("ping"));
        }
        if (s.version() == RespVersion.RESP2 && s.subscriptionCount() > 0) {
            // RESP2 subscribe mode: PING answers in the shape of a pub/sub message.
            return done(RespReply.array(RespReply.bulk("pong"),
                    c.argc() == 2 ? RespReply.bulk(c.arg(1)) : RespReply.bulk("")));
        }
        return done(c.argc() == 2 ? RespReply.bulk(c.arg(1)) : new RespReply.SimpleString("PONG"));
    }

    private static CompletionStage<RespReply> reset(RespSession s, RespCommand c) {
        if (s.subscriptionCount() > 0) {
            s.pubSub().unsubscribeAll(false);
        }
        s.version(RespVersion.RESP2);
        s.clientName(null);
        s.authenticated(!s.server().authRequired());
        return done(new RespReply.SimpleString("RESET"));
    }

    private static CompletionStage<RespReply> select(RespSession s, RespCommand c) {
        long db;
        try {
            db = Long.parseLong(c.argString(1));
        } catch (NumberFormatException e) {
            return done(RespErrors.error(RespErrors.NOT_AN_INTEGER));
        }
        return done(db == 0 ? RespReply.OK : RespErrors.error(RespErrors.DB_OUT_OF_RANGE));
    }

    private static CompletionStage<RespReply> client(RespSession s, RespCommand c) {
        String sub = c.argString(1).toLowerCase(Locale.ROOT);
        switch (sub) {
            case "setname" -> {
                if (c.argc() != 3) {
                    return done(RespErrors.wrongArity("client|setname"));
                }
                String name = c.argString(2);
                if (!validName(name)) {
                    return done(RespErrors.error(RespErrors.BAD_CLIENT_NAME));
                }
                s.clientName(name.isEmpty() ? null : name);
                return done(RespReply.OK);
            }
            case "getname" -> {
                return done(s.clientName() == null ? RespReply.NULL : RespReply.bulk(s.clientName()));
            }
            case "id" -> {
                return done(RespReply.integer(s.clientId()));
            }
            case "info" -> {
                return done(new RespReply.Verbatim("txt", s.infoLine()));
            }
            case "list" -> {
                return done(new RespReply.Verbatim("txt", s.infoLine()));
            }
            case "setinfo" -> {
                if (c.argc() != 4) {
                    return done(RespErrors.wrongArity("client|setinfo"));
                }
                String attr = c.argString(2).toLowerCase(Locale.ROOT);
                String value = c.argString(3);
                if (!validName(value)) {
                    return done(RespErrors.error("ERR " + attr + " cannot contain spaces, newlines or special characters."));
                }
                switch (attr) {
                    case "lib-name" -> s.libInfo(value, null);
                    case "lib-ver" -> s.libInfo(null, value);
                    default -> {
                        return done(RespErrors.error("ERR Unrecognized option '" + c.argString(2) + "'"));
                    }
                }
                return done(RespReply.OK);
            }
            default -> {
                return done(RespErrors.unknownSubcommand(c.argString(1), "client"));
            }
        }
    }

    /** Minimal COMMAND: clients such as Lettuce tolerate an empty command table and fall back to defaults. */
    private static CompletionStage<RespReply> command(RespSession s, RespCommand c) {
        if (c.argc() == 1) {
            return done(RespReply.array());
        }
        return switch (c.argString(1).toLowerCase(Locale.ROOT)) {
            case "count" -> done(RespReply.integer(s.server().commands().size()));
            case "docs" -> done(new RespReply.Map(List.of()));
            case "info" -> {
                List<RespReply> nulls = new ArrayList<>();
                for (int i = 2; i < c.argc(); i++) {
                    nulls.add(RespReply.NULL_ARRAY);
                }
                yield done(RespReply.array(nulls));
            }
            default -> done(RespErrors.unknownSubcommand(c.argString(1), "command"));
        };
    }

    private static CompletionStage<RespReply> info(RespSession s, RespCommand c) {
        String text = "# Server\r\n"
                + "redis_version:" + REDIS_VERSION + "\r\n"
                + "redis_mode:standalone\r\n"
                + "server_name:sluice\r\n"
                + "\r\n# Clients\r\n"
                + "connected_clients:" + s.server().connections().get() + "\r\n"
                + "blocked_clients:" + s.server().blockedClients().get() + "\r\n"
                + "\r\n# Replication\r\n"
                + "role:master\r\n"
                + "connected_slaves:0\r\n"
                + "\r\n# Keyspace\r\n";
        return done(new RespReply.Verbatim("txt", text));
    }

    /** redis-server's rule for client names: printable ASCII without spaces. */
    static boolean validName(String name) {
        for (int i = 0; i < name.length(); i++) {
            char ch = name.charAt(i);
            if (ch < '!' || ch > '~') {
                return false;
            }
        }
        return true;
    }
}
