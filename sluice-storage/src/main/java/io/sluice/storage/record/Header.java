package io.sluice.storage.record;

/** One record header: a UTF-8 key and an opaque value (null allowed, as in Kafka). */
public record Header(String key, byte[] value) {
}
