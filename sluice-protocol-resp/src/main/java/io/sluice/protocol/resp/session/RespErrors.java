package io.sluice.protocol.resp.session;

import io.sluice.protocol.resp.codec.RespCommand;
import io.sluice.protocol.resp.codec.RespReply;

/**
 * The catalogue of error replies this adapter sends, with redis-server's exact texts so that clients and scripts
 * that match on them behave the same. Each text starts with its error code ({@code ERR}, {@code NOGROUP}...).
 */
public final class RespErrors {

    private RespErrors() {
    }

    public static final String SYNTAX = "ERR syntax error";
    public static final String NOT_AN_INTEGER = "ERR value is not an integer or out of range";
    public static final String NOAUTH = "NOAUTH Authentication required.";
    public static final String WRONGPASS = "WRONGPASS invalid username-password pair or user is disabled.";
    public static final String AUTH_NOT_CONFIGURED = "ERR AUTH <password> called without any password configured "
            + "for the default user. Are you sure your configuration is correct?";
    public static final String NOPROTO = "NOPROTO unsupported protocol version";
    public static final String PROTO_NOT_INTEGER = "ERR Protocol version is not an integer or out of range";
    public static final String DB_OUT_OF_RANGE = "ERR DB index is out of range";
    public static final String BAD_CLIENT_NAME = "ERR Client names cannot contain spaces, newlines or special characters.";
    public static final String WRONGTYPE = "WRONGTYPE Operation against a key holding the wrong kind of value";
    public static final String TIMEOUT_NEGATIVE = "ERR timeout is negative";
    public static final String TIMEOUT_NOT_INTEGER = "ERR timeout is not an integer or out of range";

    public static final String INVALID_STREAM_ID = RespStreamId.INVALID;
    public static final String XADD_ID_TOO_SMALL =
            "ERR The ID specified in XADD is equal or smaller than the target stream top item";
    public static final String XADD_ID_ZERO = "ERR The ID specified in XADD must be greater than 0-0";
    public static final String XSETID_SMALLER =
            "ERR The ID specified in XSETID is smaller than the target stream top item";
    public static final String BUSYGROUP = "BUSYGROUP Consumer Group name already exists";
    /** redis-server's answers to a client blocked in XREADGROUP when its group, or its whole stream, goes away. */
    public static final String BLOCKED_GROUP_GONE =
            "NOGROUP the consumer group this client was blocked on no longer exists";
    public static final String BLOCKED_STREAM_GONE = "UNBLOCKED the stream key no longer exists";
    public static final String XGROUP_NEEDS_KEY = "ERR The XGROUP subcommand requires the key to exist. Note that for "
            + "CREATE you may want to use the MKSTREAM option to create an empty stream automatically.";
    public static final String XREAD_UNBALANCED = "ERR Unbalanced '%s' list of streams: for each stream key an ID or "
            + "'$' must be specified.";
    public static final String XREADGROUP_DOLLAR = "ERR The $ ID is meaningless in the context of XREADGROUP: you want "
            + "to read the history of this consumer by specifying a proper ID, or use the > ID to get new messages. "
            + "The $ ID would just return an empty result set.";
    public static final String XREAD_GT = "ERR The > ID can be specified only when calling XREADGROUP using the GROUP "
            + "<group> <consumer> option.";
    public static final String INVALID_START_INTERVAL = "ERR invalid start ID for the interval";
    public static final String INVALID_END_INTERVAL = "ERR invalid end ID for the interval";
    public static final String LIMIT_WITHOUT_APPROX = "ERR syntax error, LIMIT cannot be used without the special ~ option";
    public static final String MAXLEN_NEGATIVE = "ERR The MAXLEN argument must be >= 0.";
    public static final String COUNT_NEGATIVE = "ERR COUNT must be > 0";

    public static RespReply.Error error(String text) {
        return new RespReply.Error(text);
    }

    public static RespReply.Error wrongArity(String commandName) {
        return new RespReply.Error("ERR wrong number of arguments for '" + commandName + "' command");
    }

    public static RespReply.Error noGroup(String key, String group) {
        return new RespReply.Error("NOGROUP No such key '" + key + "' or consumer group '" + group + "'");
    }

    public static RespReply.Error noGroupForRead(String key, String group) {
        return new RespReply.Error("NOGROUP No such key '" + key + "' or consumer group '" + group
                + "' in XREADGROUP with GROUP option");
    }

    public static RespReply.Error unknownSubcommand(String sub, String command) {
        return new RespReply.Error("ERR unknown subcommand '" + truncate(sub, 128) + "'. Try "
                + command.toUpperCase(java.util.Locale.ROOT) + " HELP.");
    }

    /** redis-server's text: at most 128 characters of the name, then arguments while under 128 characters. */
    public static RespReply.Error unknownCommand(RespCommand cmd) {
        StringBuilder args = new StringBuilder();
        for (int i = 1; i < cmd.argc() && args.length() < 128; i++) {
            args.append('\'').append(truncate(cmd.argString(i), 128 - args.length())).append("' ");
        }
        return new RespReply.Error("ERR unknown command '" + truncate(cmd.argString(0), 128)
                + "', with args beginning with: " + args);
    }

    public static RespReply.Error notAllowedInSubscribeMode(String name) {
        return new RespReply.Error("ERR Can't execute '" + name + "': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING "
                + "/ QUIT / RESET are allowed in this context");
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }
}
