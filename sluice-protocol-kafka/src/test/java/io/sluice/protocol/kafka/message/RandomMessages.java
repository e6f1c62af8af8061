package io.sluice.protocol.kafka.message;

import io.sluice.protocol.kafka.codec.KafkaByteBufWritable;
import io.sluice.protocol.kafka.codec.KafkaMessage;
import io.sluice.protocol.kafka.codec.KafkaRecords;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/** Test support: fills generated messages with random values (by reflection) and encodes them. */
final class RandomMessages {

    /** Every generated class that is not an api message: headers and data records. */
    static final List<Class<? extends KafkaMessage>> NON_API = List.of(RequestHeader.class, ResponseHeader.class,
            AbortedTxn.class, ConsumerProtocolAssignment.class, ConsumerProtocolSubscription.class,
            ControlRecordTypeSchema.class, DefaultPrincipalData.class, EndTxnMarker.class, KRaftVersionRecord.class,
            LeaderChangeMessage.class, SnapshotFooterRecord.class, SnapshotHeaderRecord.class, VotersRecord.class);

    private static final String[] STRINGS = {"", "a", "topic-1", "é☃", "\uD83D\uDE00x", "consumer-group.7"};

    private RandomMessages() {
    }

    static <T extends KafkaMessage> T random(Class<T> type, long seed, boolean nulls) {
        try {
            T m = type.getConstructor().newInstance();
            fill(m, new Random(seed), nulls, 0);
            return m;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] encode(KafkaMessage m, short version) {
        ByteBuf buf = Unpooled.buffer();
        m.write(new KafkaByteBufWritable(buf), version);
        byte[] out = new byte[buf.readableBytes()];
        buf.readBytes(out);
        return out;
    }

    private static void fill(Object m, Random r, boolean nulls, int depth) throws ReflectiveOperationException {
        for (Field f : m.getClass().getFields()) {
            if (Modifier.isStatic(f.getModifiers())) {
                continue;
            }
            Class<?> t = f.getType();
            if (t == List.class) {
                Class<?> element = (Class<?>) ((ParameterizedType) f.getGenericType()).getActualTypeArguments()[0];
                if (nulls && r.nextInt(6) == 0) {
                    f.set(m, null);
                } else {
                    int n = depth > 3 ? 0 : r.nextInt(4);
                    List<Object> list = new ArrayList<>();
                    for (int i = 0; i < n; i++) {
                        list.add(value(element, r, false, depth + 1));
                    }
                    f.set(m, list);
                }
            } else {
                f.set(m, value(t, r, nulls, depth + 1));
            }
        }
    }

    private static Object value(Class<?> t, Random r, boolean nulls, int depth) throws ReflectiveOperationException {
        if (t == boolean.class || t == Boolean.class) {
            return r.nextBoolean();
        } else if (t == byte.class || t == Byte.class) {
            return (byte) r.nextInt();
        } else if (t == short.class || t == Short.class) {
            return (short) r.nextInt();
        } else if (t == int.class || t == Integer.class) {
            return r.nextBoolean() ? r.nextInt(100) : r.nextInt();
        } else if (t == long.class || t == Long.class) {
            return r.nextBoolean() ? (long) r.nextInt(1000) : r.nextLong();
        } else if (t == double.class || t == Double.class) {
            return r.nextDouble() * 1000;
        }
        if (nulls && r.nextInt(5) == 0 && t != UUID.class) {
            return null;
        }
        if (t == String.class) {
            return r.nextBoolean() ? STRINGS[r.nextInt(STRINGS.length)] : Long.toString(r.nextLong(), 36);
        } else if (t == UUID.class) {
            return r.nextInt(4) == 0 ? new UUID(0, 0) : new UUID(r.nextLong(), r.nextLong());
        } else if (t == byte[].class) {
            byte[] b = new byte[r.nextInt(6)];
            r.nextBytes(b);
            return b;
        } else if (t == KafkaRecords.class) {
            byte[] b = new byte[r.nextInt(30)];
            r.nextBytes(b);
            return KafkaRecords.of(ByteBuffer.wrap(b));
        } else if (KafkaMessage.class.isAssignableFrom(t)) {
            Object s = t.getConstructor().newInstance();
            fill(s, r, nulls, depth);
            return s;
        }
        throw new IllegalArgumentException("no random value for " + t);
    }
}
