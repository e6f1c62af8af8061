package io.sluice.it.crash;

import io.sluice.testkit.EmbeddedSluice;
import java.nio.file.Path;

/**
 * The broker process {@link AmqpCrashTest} kills: a whole Sluice node (the real server, every protocol) on the data
 * folder given as the first argument, in fsync mode, on random loopback ports. Prints {@code READY <amqp port>} once
 * it serves, then runs until killed; it never shuts down cleanly, so every start after the first is a recovery.
 */
public final class AmqpCrashServer {

    private AmqpCrashServer() {
    }

    public static void main(String[] args) throws Exception {
        EmbeddedSluice sluice = EmbeddedSluice.builder()
                .dataDir(Path.of(args[0]))
                .set("log.durability", "fsync")
                .start();
        System.out.println("READY " + sluice.port("amqp"));
        System.out.flush();
        Thread.currentThread().join();
    }
}
