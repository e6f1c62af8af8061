package io.sluice.protocol.kafka.codec;

import java.nio.channels.FileChannel;

/**
 * Records that live in a region of a file and can be sent with {@code sendfile}. The channel belongs to whoever
 * produced it (storage): sending must not close it.
 */
public interface KafkaFileRecords extends KafkaRecords {

    FileChannel channel();

    long position();
}
