package io.sluice.admin;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.sluice.core.connection.ConnectionInfo;
import io.sluice.core.connection.ConnectionRegistry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The client connections part of the admin API: list (optionally of one protocol), describe, and close, as
 * RabbitMQ's management API does ({@code DELETE /api/connections/{name}}). Reads the broker's
 * {@link ConnectionRegistry}, which the transport fills for every protocol.
 *
 * <p>Closing drops the socket: the client sees its connection lost, and reconnects if it is configured to. The answer
 * (204) comes once the close is requested; the connection leaves the list when its socket has closed, normally
 * within milliseconds. Ids are opaque numbers; an id that names no open connection answers 404.
 */
final class ConnectionsApi {
    private final BrokerView view;

    ConnectionsApi(BrokerView view) {
        this.view = view;
    }

    void routes(RoutesConfig r) {
        r.get("/api/v1/connections", this::list);
        r.get("/api/v1/connections/{id}", this::describe);
        r.delete("/api/v1/connections/{id}", this::close);
    }

    private ConnectionRegistry registry() {
        return view.broker().connections();
    }

    static Map<String, Object> json(ConnectionInfo c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", c.id());
        m.put("protocol", c.protocol());
        m.put("remoteAddress", c.remoteAddress());
        m.put("localAddress", c.localAddress());
        m.put("user", c.user());
        m.put("tenant", c.tenant());
        m.put("namespace", c.namespace());
        m.put("clientName", c.clientName());
        m.put("clientId", c.clientId());
        m.put("connectedAt", c.connectedAtMs());
        m.put("receivedBytes", c.receivedBytes());
        m.put("sentBytes", c.sentBytes());
        m.put("receivedMessages", c.receivedMessages());
        m.put("sentMessages", c.sentMessages());
        m.put("errors", c.errors());
        return m;
    }

    private void list(Context ctx) {
        String protocol = ctx.queryParam("protocol");
        List<ConnectionInfo> all = protocol == null || protocol.isBlank() ? registry().list()
                : registry().list(protocol.trim());
        AdminServer.json(ctx, 200, all.stream().map(ConnectionsApi::json).toList());
    }

    private long id(Context ctx) {
        String raw = ctx.pathParam("id");
        try {
            return Long.parseLong(raw.trim());
        } catch (NumberFormatException e) {
            throw ApiException.notFound("connection " + raw);
        }
    }

    private void describe(Context ctx) {
        long id = id(ctx);
        AdminServer.json(ctx, 200, json(registry().find(id)
                .orElseThrow(() -> ApiException.notFound("connection " + id))));
    }

    private void close(Context ctx) {
        long id = id(ctx);
        if (!registry().close(id)) {
            throw ApiException.notFound("connection " + id);
        }
        ctx.status(204);
    }
}
