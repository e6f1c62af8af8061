package io.sluice.bench.harness;

import java.nio.ByteBuffer;

/**
 * The body of every benchmark message: a fixed header the receiver needs for verification and latency, padded with
 * filler to the requested size.
 *
 * <p>Byte format (big-endian), {@link #HEADER_BYTES} bytes of header then filler:
 * <pre>
 *  0        8                 16          20              size
 *  +--------+-----------------+-----------+----------------+
 *  | seq    | intendedSendNs  | dest      | filler 0x2E... |
 *  +--------+-----------------+-----------+----------------+
 * </pre>
 * {@code seq} is the publisher's sequence number, counted from 0 over the whole run (not per destination) so one
 * number identifies a message in every subscriber. {@code intendedSendNs} is the {@link System#nanoTime()} at
 * which the fixed-rate schedule meant to send the message (the actual send time for unpaced workloads); producer and
 * consumers live in one JVM, so the clock is shared and monotonic. {@code dest} is the destination index (queue,
 * partition or stream key) the message was sent to, so per-destination order can be checked without asking the
 * protocol. The filler is printable so a human looking at a queue sees text, and is not compressible in a way that
 * flatters one system: all systems get the same bytes and none compresses by default.
 */
public final class Payload {
    public static final int HEADER_BYTES = 20;

    private Payload() {
    }

    public static byte[] encode(long seq, long intendedSendNs, int dest, int size) {
        if (size < HEADER_BYTES) {
            throw new IllegalArgumentException("message size must be at least " + HEADER_BYTES + " bytes: " + size);
        }
        byte[] body = new byte[size];
        ByteBuffer buf = ByteBuffer.wrap(body);
        buf.putLong(seq).putLong(intendedSendNs).putInt(dest);
        for (int i = HEADER_BYTES; i < size; i++) {
            body[i] = (byte) ('.' + (i % 64));
        }
        return body;
    }

    public static long seq(byte[] body) {
        return ByteBuffer.wrap(body).getLong(0);
    }

    public static long intendedSendNs(byte[] body) {
        return ByteBuffer.wrap(body).getLong(8);
    }

    public static int dest(byte[] body) {
        return ByteBuffer.wrap(body).getInt(16);
    }
}
