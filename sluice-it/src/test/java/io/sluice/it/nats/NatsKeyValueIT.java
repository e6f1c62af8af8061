package io.sluice.it.nats;

import io.nats.client.Connection;
import io.nats.client.KeyValue;
import io.nats.client.KeyValueManagement;
import io.nats.client.KeyValueOptions;
import io.nats.client.JetStreamOptions;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.KeyValueEntry;
import io.nats.client.api.KeyValueOperation;
import io.sluice.testkit.EmbeddedSluice;
import io.sluice.testkit.SluiceExtension;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * jnats' KeyValue API over the JetStream subset: a bucket is a stream {@code KV_<bucket>} capturing
 * {@code $KV.<bucket>.>}; get is a direct get of the last message on the key's subject, keys and history are ordered
 * push consumers (last per subject, all).
 */
@Tag("it")
class NatsKeyValueIT {

    @RegisterExtension
    static final SluiceExtension SLUICE = new SluiceExtension(EmbeddedSluice.builder().set("log.durability", "os-cache"));

    private static Connection connect() throws Exception {
        return Nats.connect(new Options.Builder().server(SLUICE.natsUrl()).noReconnect()
                .connectionTimeout(Duration.ofSeconds(20)).build());
    }

    private static KeyValueOptions kvOptions() {
        return KeyValueOptions.builder().jetStreamOptions(JetStreamOptions.builder()
                .requestTimeout(Duration.ofSeconds(20)).build()).build();
    }

    @Test
    void putGetDeleteKeysAndHistory() throws Exception {
        try (Connection nc = connect()) {
            KeyValueManagement kvm = nc.keyValueManagement(kvOptions());
            kvm.create(KeyValueConfiguration.builder().name("cfg").maxHistoryPerKey(5).build());
            KeyValue kv = nc.keyValue("cfg", kvOptions());
            assertThat(kv.put("color", "red".getBytes(StandardCharsets.UTF_8))).isEqualTo(1);
            assertThat(kv.put("size", "L".getBytes(StandardCharsets.UTF_8))).isEqualTo(2);
            assertThat(kv.put("color", "blue".getBytes(StandardCharsets.UTF_8))).isEqualTo(3);

            KeyValueEntry color = kv.get("color");
            assertThat(color.getValueAsString()).isEqualTo("blue");
            assertThat(color.getRevision()).isEqualTo(3);
            assertThat(kv.get("missing")).isNull();

            assertThat(kv.keys()).containsExactlyInAnyOrder("color", "size");
            List<KeyValueEntry> history = kv.history("color");
            assertThat(history).extracting(KeyValueEntry::getValueAsString).containsExactly("red", "blue");

            kv.delete("size");
            assertThat(kv.get("size")).isNull();
            assertThat(kv.keys()).containsExactly("color");
            assertThat(kv.history("size")).extracting(KeyValueEntry::getOperation)
                    .containsExactly(KeyValueOperation.PUT, KeyValueOperation.DELETE);
        }
    }
}
