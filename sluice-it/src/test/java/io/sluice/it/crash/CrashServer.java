package io.sluice.it.crash;

import io.sluice.testkit.EmbeddedSluice;
import java.nio.file.Path;

/**
 * The broker process the crash tests kill: a whole Sluice node (the real server, every protocol) on the data folder
 * given as the first argument, in fsync mode, on random loopback ports. Prints
 * {@code READY amqp=<port> kafka=<port> nats=<port> resp=<port>} once it serves, then runs until killed; it never
 * shuts down cleanly, so every start after the first is a recovery.
 */
public final class CrashServer {

    private CrashServer() {
    }

    public static void main(String[] args) throws Exception {
        EmbeddedSluice sluice = EmbeddedSluice.builder()
                .dataDir(Path.of(args[0]))
                .set("log.durability", "fsync")
                .start();
        System.out.println("READY amqp=" + sluice.port("amqp") + " kafka=" + sluice.port("kafka") + " nats="
                + sluice.port("nats") + " resp=" + sluice.port("resp"));
        System.out.flush();
        Thread.currentThread().join();
    }
}
