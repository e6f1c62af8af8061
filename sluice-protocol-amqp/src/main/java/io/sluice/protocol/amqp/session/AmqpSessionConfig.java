package io.sluice.protocol.amqp.session;

import io.sluice.transport.ProtocolSettings;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The AMQP listener's settings, read once from the {@code amqp.*} configuration keys. Immutable.
 *
 * @param users           user name → password, from {@value #USERS} ({@code name:password,...}; default
 *                        {@code guest:guest})
 * @param loopbackUsers   users that may only connect from a loopback address, from {@value #LOOPBACK_USERS}
 *                        (default {@code guest}, as RabbitMQ)
 * @param virtualHosts    virtual hosts clients may open, from {@value #VHOSTS} (default {@code /}; {@code *} = any)
 * @param heartbeatSec    heartbeat interval proposed in {@code connection.tune}, {@value #HEARTBEAT} (default 60)
 * @param frameMax        largest frame accepted, {@value #FRAME_MAX} (default 131072, as RabbitMQ)
 * @param channelMax      most channels per connection, {@value #CHANNEL_MAX} (default 2047, as RabbitMQ)
 * @param maxMessageBytes largest message body accepted, {@value #MAX_MESSAGE_SIZE} (default 128 MiB, as RabbitMQ)
 */
public record AmqpSessionConfig(Map<String, String> users, Set<String> loopbackUsers, Set<String> virtualHosts,
                                int heartbeatSec, int frameMax, int channelMax, long maxMessageBytes) {

    public static final String USERS = "users";
    public static final String LOOPBACK_USERS = "loopback.users";
    public static final String VHOSTS = "vhosts";
    public static final String HEARTBEAT = "heartbeat";
    public static final String FRAME_MAX = "frame.max";
    public static final String CHANNEL_MAX = "channel.max";
    public static final String MAX_MESSAGE_SIZE = "max.message.size";

    public static AmqpSessionConfig defaults() {
        return from(ProtocolSettings.empty());
    }

    public static AmqpSessionConfig from(ProtocolSettings s) {
        Map<String, String> users = new LinkedHashMap<>();
        for (String entry : s.get(USERS, "guest:guest").split(",")) {
            String e = entry.trim();
            int colon = e.indexOf(':');
            if (colon > 0) {
                users.put(e.substring(0, colon), e.substring(colon + 1));
            }
        }
        return new AmqpSessionConfig(Map.copyOf(users), split(s.get(LOOPBACK_USERS, "guest")),
                split(s.get(VHOSTS, "/")), s.getInt(HEARTBEAT, 60), s.getInt(FRAME_MAX, 131072),
                s.getInt(CHANNEL_MAX, 2047), s.getLong(MAX_MESSAGE_SIZE, 128L << 20));
    }

    private static Set<String> split(String v) {
        Set<String> out = new java.util.LinkedHashSet<>();
        for (String p : v.split(",")) {
            if (!p.isBlank()) {
                out.add(p.trim());
            }
        }
        return Set.copyOf(out);
    }

    public boolean allowsVirtualHost(String vhost) {
        return virtualHosts.contains("*") || virtualHosts.contains(vhost);
    }
}
