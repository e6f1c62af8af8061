package io.sluice.protocol.nats.session;

import io.sluice.protocol.nats.codec.NatsClientDecoder;
import io.sluice.transport.ProtocolSettings;

import java.time.Duration;

/**
 * The NATS listener's configuration, read once from the {@code nats.*} settings. Immutable. Every key, with its
 * default (chosen to match nats-server's), is a constant here; the configuration reference is generated from these.
 *
 * @param maxPayload      largest message body (headers included) a client may publish; announced in INFO
 * @param maxControlLine  longest protocol line a client may send
 * @param maxPending      outbound bytes queued for one connection beyond which it is cut off as a slow consumer
 * @param pingInterval    how often the server pings an idle client
 * @param maxPingsOut     unanswered pings after which the connection is closed as stale
 * @param authTimeout     how long a client has to send CONNECT when authentication is required
 * @param token           the token clients must present, or {@code null}
 * @param user            the user name clients must present, or {@code null}
 * @param password        the password that goes with {@link #user}
 * @param serverName      announced as {@code server_name}
 * @param jetStream       whether the JetStream API subjects are served
 */
public record NatsConfig(int maxPayload, int maxControlLine, long maxPending, Duration pingInterval, int maxPingsOut,
                         Duration authTimeout, String token, String user, String password, String serverName,
                         boolean jetStream) {

    /** {@code nats.max_payload}: bytes, default 1048576 (1 MiB). */
    public static final String MAX_PAYLOAD = "max_payload";
    /** {@code nats.max_control_line}: bytes, default 4096. */
    public static final String MAX_CONTROL_LINE = "max_control_line";
    /** {@code nats.max_pending}: bytes, default 67108864 (64 MiB), as nats-server. */
    public static final String MAX_PENDING = "max_pending";
    /** {@code nats.ping_interval_ms}: default 120000 (two minutes). */
    public static final String PING_INTERVAL_MS = "ping_interval_ms";
    /** {@code nats.max_pings_out}: default 2. */
    public static final String MAX_PINGS_OUT = "max_pings_out";
    /** {@code nats.auth_timeout_ms}: default 2000. */
    public static final String AUTH_TIMEOUT_MS = "auth_timeout_ms";
    /** {@code nats.auth.token}: no default; when set, clients must send it as {@code auth_token}. */
    public static final String AUTH_TOKEN = "auth.token";
    /** {@code nats.auth.user}: no default; when set, clients must send it and {@code nats.auth.password}. */
    public static final String AUTH_USER = "auth.user";
    /** {@code nats.auth.password}: the password for {@code nats.auth.user}. */
    public static final String AUTH_PASSWORD = "auth.password";
    /** {@code nats.server_name}: default {@code sluice}. */
    public static final String SERVER_NAME = "server_name";
    /** {@code nats.jetstream}: default true. */
    public static final String JETSTREAM = "jetstream";

    public static NatsConfig from(ProtocolSettings s) {
        String token = s.get(AUTH_TOKEN, null);
        String user = s.get(AUTH_USER, null);
        return new NatsConfig(
                s.getInt(MAX_PAYLOAD, NatsClientDecoder.DEFAULT_MAX_PAYLOAD),
                s.getInt(MAX_CONTROL_LINE, NatsClientDecoder.DEFAULT_MAX_CONTROL_LINE),
                s.getLong(MAX_PENDING, 64L * 1024 * 1024),
                Duration.ofMillis(s.getLong(PING_INTERVAL_MS, 120_000)),
                s.getInt(MAX_PINGS_OUT, 2),
                Duration.ofMillis(s.getLong(AUTH_TIMEOUT_MS, 2_000)),
                token == null || token.isEmpty() ? null : token,
                user == null || user.isEmpty() ? null : user,
                s.get(AUTH_PASSWORD, ""),
                s.get(SERVER_NAME, "sluice"),
                s.getBoolean(JETSTREAM, true));
    }

    public boolean authRequired() {
        return token != null || user != null;
    }
}
