package io.sluice.testkit;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension that starts one embedded node per test class:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final SluiceExtension sluice = new SluiceExtension();
 *
 * @Test void produces() { props.put("bootstrap.servers", sluice.kafkaBootstrap()); ... }
 * }</pre>
 */
public final class SluiceExtension implements BeforeAllCallback, AfterAllCallback {
    private final EmbeddedSluice.Builder builder;
    private EmbeddedSluice sluice;

    public SluiceExtension() {
        this(EmbeddedSluice.builder());
    }

    public SluiceExtension(EmbeddedSluice.Builder builder) {
        this.builder = builder;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        sluice = builder.start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (sluice != null) {
            sluice.close();
        }
    }

    public EmbeddedSluice node() {
        return sluice;
    }

    public String kafkaBootstrap() {
        return sluice.kafkaBootstrap();
    }

    public String amqpUri() {
        return sluice.amqpUri();
    }

    public int amqpPort() {
        return sluice.port("amqp");
    }

    public String natsUrl() {
        return sluice.natsUrl();
    }

    public String redisUri() {
        return sluice.redisUri();
    }

    public int port(String protocol) {
        return sluice.port(protocol);
    }

    public void restart() {
        sluice.restart();
    }
}
