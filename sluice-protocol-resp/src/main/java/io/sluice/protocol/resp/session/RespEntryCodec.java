package io.sluice.protocol.resp.session;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.sluice.core.Message;
import io.sluice.storage.record.Header;
import io.sluice.storage.record.Record;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * How a Redis stream entry is stored as a log record, so that a Kafka consumer of the same stream gets something
 * it can use without knowing Redis. Two forms, told apart by the {@value #FIELD} header:
 *
 * <ul>
 *   <li><b>One field</b> ({@code XADD key * payload <bytes>}, the common case of a message with a body): the
 *       <b>value</b> is the field's value, byte for byte, and the header {@value #FIELD} holds the field's name
 *       (raw bytes). A Kafka or AMQP consumer gets the payload itself, and neither side encodes anything: the bytes
 *       XADD received are the bytes stored and the bytes XREADGROUP sends.</li>
 *   <li><b>Several fields</b>: the <b>value</b> is the fields and values as one UTF-8 JSON object, in XADD order,
 *       e.g. {@code {"sensor":"a1","temp":"21.5"}}. Redis allows a field name twice; the object then repeats the
 *       key (valid JSON text; the reader here keeps both, most JSON libraries keep the last). If any field or value
 *       is not valid UTF-8, every name and value of that entry is written in standard Base64 instead, and the header
 *       {@value #ENCODING} = {@code base64} says so.</li>
 *   <li><b>header</b> {@value #ID}: the entry id {@code <ms>-<seq>} as ASCII, the only source of the id; always the
 *       first header.</li>
 *   <li><b>timestamp</b>: the id's milliseconds, clamped to {@code [1, Long.MAX_VALUE]} (ids below 1 ms or above the
 *       signed range cannot be record timestamps); with monotonic ids the time index then finds ids by time.</li>
 *   <li><b>key</b>: none.</li>
 * </ul>
 *
 * <p>Why the one-field form: with a binary payload the JSON form Base64-encoded every entry on XADD and decoded it
 * on every read, and stored about 4/3 of its bytes. For a 1 KiB payload with binary bytes, writing and reading one
 * entry cost 0.8 us of CPU in compiled code and 5.9 us while still warming up, against 0.1 and 1.6 us now; the record
 * is 1,024 bytes of value instead of about 1,380, which every copy, checksum, write and fsync of the log sees.
 *
 * <p>Entries written before the one-field form existed hold a JSON object for one field too (Base64 when binary);
 * they carry no {@value #FIELD} header and are read as before. The single-field form is not chosen by content (a
 * value that happens to be a JSON object stays raw), so the header alone decides how a record is read.
 *
 * <p>Records appended by other protocols (no {@value #ID} header) are shown to Redis clients with the id
 * {@code <record timestamp>-<offset>}, and with the fields of their value if it is a JSON object whose members are all
 * strings, otherwise with the single field {@code value} (preceded by {@code key} when the record has a key).
 *
 * <p>Stateless and thread-safe.
 */
final class RespEntryCodec {

    /** Header carrying the Redis entry id. */
    static final String ID = "redis.id";
    /** Header present (value {@code base64}) when names and values are Base64 text. */
    static final String ENCODING = "redis.encoding";
    /** Header naming the only field of a one-field entry, whose value is then the record's value as it is. */
    static final String FIELD = "redis.field";

    private static final JsonFactory JSON = new JsonFactory();
    private static final byte[] BASE64 = "base64".getBytes(StandardCharsets.US_ASCII);

    private RespEntryCodec() {
    }

    static long timestampOf(RespStreamId id) {
        return id.ms() <= 0 ? (id.ms() == 0 ? 1 : Long.MAX_VALUE) : id.ms();
    }

    /** The id of a message {@link #toMessage} made, as ASCII: its first header, not to be changed. */
    static byte[] idBytes(Message m) {
        return m.headers().get(0).value();
    }

    /** The message XADD appends. */
    static Message toMessage(RespStreamId id, List<byte[]> fieldsAndValues) {
        byte[] idBytes = id.toAscii();
        if (fieldsAndValues.size() == 2) {
            return new Message(null, null, fieldsAndValues.get(1),
                    List.of(new Header(ID, idBytes), new Header(FIELD, fieldsAndValues.get(0))), timestampOf(id), -1, -1);
        }
        boolean binary = false;
        for (byte[] b : fieldsAndValues) {
            if (!isUtf8(b)) {
                binary = true;
                break;
            }
        }
        byte[] value = binary ? base64Object(fieldsAndValues) : plainObject(fieldsAndValues);
        if (value == null) {
            value = jacksonObject(fieldsAndValues);
        }
        List<Header> headers = new ArrayList<>(2);
        headers.add(new Header(ID, idBytes));
        if (binary) {
            headers.add(new Header(ENCODING, BASE64));
        }
        return new Message(null, null, value, headers, timestampOf(id), -1, -1);
    }

    /** The JSON object through Jackson, which escapes what needs escaping. */
    private static byte[] jacksonObject(List<byte[]> fieldsAndValues) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            for (int i = 0; i < fieldsAndValues.size(); i += 2) {
                g.writeFieldName(text(fieldsAndValues.get(i), false));
                g.writeString(text(fieldsAndValues.get(i + 1), false));
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * The JSON object written directly when no name or value needs escaping (no quote, backslash or control
     * character): the same bytes Jackson writes, without decoding each value into a String and back. Null when
     * something needs escaping.
     */
    private static byte[] plainObject(List<byte[]> fieldsAndValues) {
        int size = 2 + 6 * (fieldsAndValues.size() / 2) - 1 + (fieldsAndValues.isEmpty() ? 1 : 0);
        for (byte[] b : fieldsAndValues) {
            for (byte x : b) {
                if (x == '"' || x == '\\' || (x >= 0 && x < 0x20)) {
                    return null;
                }
            }
            size += b.length;
        }
        byte[] out = new byte[size];
        int o = 0;
        out[o++] = '{';
        for (int i = 0; i < fieldsAndValues.size(); i += 2) {
            if (i > 0) {
                out[o++] = ',';
            }
            o = quoted(out, o, fieldsAndValues.get(i));
            out[o++] = ':';
            o = quoted(out, o, fieldsAndValues.get(i + 1));
        }
        out[o] = '}';
        return out;
    }

    /**
     * The Base64 form of {@link #plainObject}, encoded straight into the object: Base64 text never needs escaping,
     * so unlike plain text it is not scanned byte by byte for characters to escape (that scan of the encoded text
     * cost more than encoding it).
     */
    private static byte[] base64Object(List<byte[]> fieldsAndValues) {
        Base64.Encoder enc = Base64.getEncoder();
        int size = 2 + 6 * (fieldsAndValues.size() / 2) - 1 + (fieldsAndValues.isEmpty() ? 1 : 0);
        for (byte[] b : fieldsAndValues) {
            size += base64Length(b.length);
        }
        byte[] out = new byte[size];
        int o = 0;
        out[o++] = '{';
        for (int i = 0; i < fieldsAndValues.size(); i++) {
            if (i > 0) {
                out[o++] = (i & 1) == 1 ? (byte) ':' : (byte) ',';
            }
            byte[] encoded = enc.encode(fieldsAndValues.get(i));
            o = quoted(out, o, encoded);
        }
        out[o] = '}';
        return out;
    }

    private static int base64Length(int n) {
        return (n + 2) / 3 * 4;
    }

    private static int quoted(byte[] out, int o, byte[] b) {
        out[o++] = '"';
        System.arraycopy(b, 0, out, o, b.length);
        o += b.length;
        out[o++] = '"';
        return o;
    }

    /** The entry a record holds (see the class comment for records written by other protocols). */
    static RespStreamEntry fromRecord(Record r) {
        return fromParts(r.offset(), r.timestamp(), r.keyBytes(), r.valueBytes(), r.headers());
    }

    /** The entry of a delivered message (consumer groups hand out messages, not records). */
    static RespStreamEntry fromMessage(long offset, Message m) {
        return fromParts(offset, m.timestamp(), m.key(), m.value(), m.headers());
    }

    static RespStreamEntry fromParts(long offset, long timestamp, byte[] key, byte[] value, List<Header> headers) {
        byte[] idHeader = null;
        byte[] field = null;
        boolean binary = false;
        for (Header h : headers) {
            if (h.key().equals(ID)) {
                idHeader = h.value();
            } else if (h.key().equals(FIELD)) {
                field = h.value();
            } else if (h.key().equals(ENCODING) && h.value() != null) {
                binary = Arrays.equals(h.value(), BASE64); // per delivered entry: no String for the check
            }
        }
        RespStreamId id = idHeader == null ? null : RespStreamId.parseAscii(idHeader);
        if (id == null) {
            return new RespStreamEntry(new RespStreamId(Math.max(0, timestamp), offset), offset,
                    foreignFields(key, value));
        }
        if (field != null) {
            return new RespStreamEntry(id, offset, List.of(field, value == null ? new byte[0] : value));
        }
        // Our own records hold valid UTF-8 JSON by construction, so the direct scan may take the bytes as they are.
        List<byte[]> fv = value == null ? null : scanPlainObject(value, binary);
        if (fv == null && value != null) {
            fv = parseObject(value, binary);
        }
        if (fv == null) {
            fv = foreignFields(key, value);
        }
        return new RespStreamEntry(id, offset, fv);
    }

    /** The id a record carries, without decoding its value. */
    static RespStreamId idOf(Record r) {
        for (Header h : r.headers()) {
            if (h.key().equals(ID) && h.value() != null) {
                RespStreamId id = RespStreamId.parseAscii(h.value());
                if (id == null) {
                    break;
                }
                return id;
            }
        }
        return new RespStreamId(Math.max(0, r.timestamp()), r.offset());
    }

    private static List<byte[]> foreignFields(byte[] key, byte[] value) {
        if (value != null) {
            List<byte[]> json = parseObject(value, false);
            if (json != null) {
                return json;
            }
        }
        List<byte[]> fv = new ArrayList<>(4);
        if (key != null) {
            fv.add("key".getBytes(StandardCharsets.US_ASCII));
            fv.add(key);
        }
        fv.add("value".getBytes(StandardCharsets.US_ASCII));
        fv.add(value == null ? new byte[0] : value);
        return fv;
    }

    /**
     * Reads a flat JSON object of strings as {@link #plainObject} writes it (no whitespace, no escapes), taking each
     * string's bytes as they are (decoding Base64 when {@code base64}); null for anything else, which
     * {@link #parseObject} then reads. Only for records this codec wrote: raw bytes are only known to be valid UTF-8
     * there.
     */
    static List<byte[]> scanPlainObject(byte[] v, boolean base64) {
        int n = v.length;
        if (n < 2 || v[0] != '{') {
            return null;
        }
        List<byte[]> fv = new ArrayList<>(4);
        int i = 1;
        if (v[i] == '}') {
            return n == 2 ? fv : null;
        }
        try {
            while (true) {
                for (int k = 0; k < 2; k++) {
                    if (i >= n || v[i] != '"') {
                        return null;
                    }
                    int start = ++i;
                    if (base64) {
                        // Base64 text has no escapes: only the closing quote matters (a stray byte fails the decode).
                        while (i < n && v[i] != '"') {
                            i++;
                        }
                    } else {
                        while (i < n && v[i] != '"') {
                            if (v[i] == '\\' || (v[i] >= 0 && v[i] < 0x20)) {
                                return null;
                            }
                            i++;
                        }
                    }
                    if (i >= n) {
                        return null;
                    }
                    fv.add(base64 ? base64Slice(v, start, i - start) : Arrays.copyOfRange(v, start, i));
                    i++;
                    if (k == 0) {
                        if (i >= n || v[i] != ':') {
                            return null;
                        }
                        i++;
                    }
                }
                if (i < n && v[i] == ',') {
                    i++;
                } else {
                    return i + 1 == n && v[i] == '}' ? fv : null;
                }
            }
        } catch (IllegalArgumentException e) {
            return null; // not Base64 after all
        }
    }

    private static byte[] base64Slice(byte[] v, int start, int length) {
        ByteBuffer out = Base64.getDecoder().decode(ByteBuffer.wrap(v, start, length));
        if (out.hasArray() && out.arrayOffset() == 0 && out.position() == 0 && out.remaining() == out.array().length) {
            return out.array();
        }
        byte[] b = new byte[out.remaining()];
        out.get(b);
        return b;
    }

    /** Reads a flat JSON object of strings, keeping repeated keys; null if the value is anything else. */
    static List<byte[]> parseObject(byte[] value, boolean base64) {
        if (value.length < 2 || value[0] != '{') {
            return null;
        }
        try (JsonParser p = JSON.createParser(value)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            List<byte[]> fv = new ArrayList<>();
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                if (p.nextToken() != JsonToken.VALUE_STRING) {
                    return null;
                }
                fv.add(bytes(name, base64));
                fv.add(bytes(p.getText(), base64));
            }
            if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
                return null;
            }
            return fv;
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    private static String text(byte[] b, boolean base64) {
        return base64 ? Base64.getEncoder().encodeToString(b) : new String(b, StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String s, boolean base64) {
        return base64 ? Base64.getDecoder().decode(s) : s.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Whether {@code b} is well-formed UTF-8 (the Unicode standard's table 3-7: no overlong forms, no surrogates,
     * nothing above U+10FFFF), checked in place: XADD runs this on every value, so it must not allocate.
     */
    static boolean isUtf8(byte[] b) {
        int i = 0;
        int n = b.length;
        while (i < n) {
            int c = b[i] & 0xFF;
            if (c < 0x80) {
                i++;
                continue;
            }
            int need;
            int lo = 0x80;
            int hi = 0xBF;
            if (c >= 0xC2 && c <= 0xDF) {
                need = 1;
            } else if (c >= 0xE0 && c <= 0xEF) {
                need = 2;
                if (c == 0xE0) {
                    lo = 0xA0;
                } else if (c == 0xED) {
                    hi = 0x9F;
                }
            } else if (c >= 0xF0 && c <= 0xF4) {
                need = 3;
                if (c == 0xF0) {
                    lo = 0x90;
                } else if (c == 0xF4) {
                    hi = 0x8F;
                }
            } else {
                return false;
            }
            if (i + need >= n) {
                return false;
            }
            int c1 = b[i + 1] & 0xFF;
            if (c1 < lo || c1 > hi) {
                return false;
            }
            for (int k = 2; k <= need; k++) {
                int ck = b[i + k] & 0xFF;
                if (ck < 0x80 || ck > 0xBF) {
                    return false;
                }
            }
            i += need + 1;
        }
        return true;
    }
}
