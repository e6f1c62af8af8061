package io.sluice.it.resp;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.protocol.ProtocolVersion;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;

import java.util.concurrent.TimeUnit;

/** One Lettuce client with small thread pools, connecting in RESP2 or RESP3. */
final class LettuceSupport implements AutoCloseable {

    private final ClientResources resources = DefaultClientResources.builder()
            .ioThreadPoolSize(1).computationThreadPoolSize(1).build();
    private final RedisClient client;

    LettuceSupport(String uri) {
        client = RedisClient.create(resources, uri);
    }

    StatefulRedisConnection<String, String> connect(ProtocolVersion version) {
        client.setOptions(ClientOptions.builder().protocolVersion(version).build());
        return client.connect();
    }

    RedisClient client(ProtocolVersion version) {
        client.setOptions(ClientOptions.builder().protocolVersion(version).build());
        return client;
    }

    @Override
    public void close() {
        client.shutdown(0, 2, TimeUnit.SECONDS);
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
}
