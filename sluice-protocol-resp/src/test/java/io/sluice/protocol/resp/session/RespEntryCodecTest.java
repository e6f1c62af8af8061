package io.sluice.protocol.resp.session;

import io.sluice.core.Message;
import io.sluice.storage.record.Header;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RespEntryCodecTest {

    static List<byte[]> utf8(String... s) {
        List<byte[]> out = new ArrayList<>();
        for (String x : s) {
            out.add(x.getBytes(StandardCharsets.UTF_8));
        }
        return out;
    }

    static List<String> strings(List<byte[]> b) {
        return b.stream().map(x -> new String(x, StandardCharsets.UTF_8)).toList();
    }

    @Test
    void textEntriesAreAJsonObjectWithTheIdInAHeader() {
        Message m = RespEntryCodec.toMessage(new RespStreamId(1700000000123L, 7), utf8("temp", "21.5", "note", "é \"q\""));
        assertThat(new String(m.value(), StandardCharsets.UTF_8)).isEqualTo("{\"temp\":\"21.5\",\"note\":\"é \\\"q\\\"\"}");
        assertThat(m.timestamp()).isEqualTo(1700000000123L);
        assertThat(m.key()).isNull();
        assertThat(m.headers()).extracting(Header::key).containsExactly("redis.id");
        RespStreamEntry e = RespEntryCodec.fromMessage(3, m);
        assertThat(e.id()).isEqualTo(new RespStreamId(1700000000123L, 7));
        assertThat(e.offset()).isEqualTo(3);
        assertThat(strings(e.fieldsAndValues())).containsExactly("temp", "21.5", "note", "é \"q\"");
    }

    @Test
    void theIdBytesOfEitherFormAreTheIdAsAscii() {
        RespStreamId id = new RespStreamId(1700000000123L, 7);
        for (List<byte[]> fv : List.of(utf8("payload", "x"), utf8("a", "1", "b", "2"))) {
            Message m = RespEntryCodec.toMessage(id, fv);
            assertThat(new String(RespEntryCodec.idBytes(m), StandardCharsets.US_ASCII)).isEqualTo("1700000000123-7");
        }
    }

    @Test
    void repeatedFieldNamesAreKept() {
        Message m = RespEntryCodec.toMessage(new RespStreamId(5, 0), utf8("a", "1", "a", "2"));
        assertThat(strings(RespEntryCodec.fromMessage(0, m).fieldsAndValues())).containsExactly("a", "1", "a", "2");
    }

    @Test
    void tinyAndHugeIdsGetUsableTimestamps() {
        assertThat(RespEntryCodec.toMessage(new RespStreamId(0, 1), utf8("f", "v")).timestamp()).isEqualTo(1);
        assertThat(RespEntryCodec.toMessage(new RespStreamId(-1L, 1), utf8("f", "v")).timestamp()).isEqualTo(Long.MAX_VALUE);
    }

    @Property(tries = 200)
    void anyBytesRoundTrip(@ForAll @Size(min = 1, max = 4) List<@Size(max = 20) byte[]> fields) {
        List<byte[]> fv = new ArrayList<>();
        for (byte[] f : fields) {
            fv.add(f);
            fv.add(f.clone());
        }
        Message m = RespEntryCodec.toMessage(new RespStreamId(9, 9), fv);
        List<byte[]> back = RespEntryCodec.fromMessage(0, m).fieldsAndValues();
        assertThat(back).hasSize(fv.size());
        for (int i = 0; i < fv.size(); i++) {
            assertThat(back.get(i)).isEqualTo(fv.get(i));
        }
    }

    /**
     * A binary entry is stored exactly as before the Base64 text was written straight into the object: Jackson's
     * JSON object of the Base64 texts (old entries and other protocols' readers see the same bytes).
     */
    @Property(tries = 200)
    void binaryJsonIsJacksonsJsonOfTheBase64Texts(@ForAll @Size(min = 1, max = 4) List<@Size(max = 40) byte[]> fields)
            throws java.io.IOException {
        List<byte[]> fv = new ArrayList<>();
        fv.add(new byte[]{(byte) 0xff});
        fv.add(new byte[0]);
        fv.addAll(fields);
        if (fv.size() % 2 != 0) {
            fv.add(new byte[]{(byte) 0xc0, 1});
        }
        java.io.ByteArrayOutputStream expected = new java.io.ByteArrayOutputStream();
        try (com.fasterxml.jackson.core.JsonGenerator g = new com.fasterxml.jackson.core.JsonFactory()
                .createGenerator(expected)) {
            g.writeStartObject();
            for (int i = 0; i < fv.size(); i += 2) {
                g.writeFieldName(java.util.Base64.getEncoder().encodeToString(fv.get(i)));
                g.writeString(java.util.Base64.getEncoder().encodeToString(fv.get(i + 1)));
            }
            g.writeEndObject();
        }
        Message m = RespEntryCodec.toMessage(new RespStreamId(1, 1), fv);
        assertThat(m.header("redis.encoding")).isEqualTo("base64".getBytes(StandardCharsets.US_ASCII));
        assertThat(new String(m.value(), StandardCharsets.UTF_8)).isEqualTo(expected.toString(StandardCharsets.UTF_8));
        List<byte[]> back = RespEntryCodec.fromMessage(0, m).fieldsAndValues();
        assertThat(back).hasSize(fv.size());
        for (int i = 0; i < fv.size(); i++) {
            assertThat(back.get(i)).isEqualTo(fv.get(i));
        }
    }

    /** The direct writer and the Jackson fallback must produce the same JSON for the same entry. */
    @Property(tries = 300)
    void directJsonIsJacksonsJson(@ForAll @Size(min = 1, max = 3) List<@Size(max = 12) String> fields)
            throws java.io.IOException {
        List<byte[]> fv = new ArrayList<>();
        java.io.ByteArrayOutputStream expected = new java.io.ByteArrayOutputStream();
        try (com.fasterxml.jackson.core.JsonGenerator g = new com.fasterxml.jackson.core.JsonFactory()
                .createGenerator(expected)) {
            g.writeStartObject();
            for (String f : fields) {
                String clean = f.codePoints().filter(Character::isValidCodePoint)
                        .filter(c -> !Character.isSurrogate((char) c) || c > 0xFFFF)
                        .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
                fv.add(clean.getBytes(StandardCharsets.UTF_8));
                fv.add((clean + "!").getBytes(StandardCharsets.UTF_8));
                g.writeFieldName(clean);
                g.writeString(clean + "!");
            }
            g.writeEndObject();
        }
        Message m = RespEntryCodec.toMessage(new RespStreamId(1, 1), fv);
        if (fv.size() > 2 && m.header("redis.encoding") == null) {
            assertThat(new String(m.value(), StandardCharsets.UTF_8))
                    .isEqualTo(expected.toString(StandardCharsets.UTF_8));
        }
        List<byte[]> back = RespEntryCodec.fromMessage(0, m).fieldsAndValues();
        for (int i = 0; i < fv.size(); i++) {
            assertThat(back.get(i)).isEqualTo(fv.get(i));
        }
    }

    /** The in-place check agrees with the JDK's strict decoder on any bytes, and on edge sequences. */
    @Property(tries = 1000)
    void utf8CheckAgreesWithTheJdk(@ForAll @Size(max = 12) byte[] b) {
        assertThat(RespEntryCodec.isUtf8(b)).isEqualTo(jdkUtf8(b));
    }

    @Test
    void utf8EdgeSequences() {
        int[][] cases = {{0xC0, 0x80}, {0xC2, 0x80}, {0xE0, 0x9F, 0xBF}, {0xE0, 0xA0, 0x80}, {0xED, 0xA0, 0x80},
                {0xED, 0x9F, 0xBF}, {0xF0, 0x8F, 0xBF, 0xBF}, {0xF0, 0x90, 0x80, 0x80}, {0xF4, 0x90, 0x80, 0x80},
                {0xF4, 0x8F, 0xBF, 0xBF}, {0xE2, 0x82}, {0xF5, 0x80, 0x80, 0x80}, {0x80}};
        for (int[] c : cases) {
            byte[] b = new byte[c.length];
            for (int i = 0; i < c.length; i++) {
                b[i] = (byte) c[i];
            }
            assertThat(RespEntryCodec.isUtf8(b)).as(java.util.Arrays.toString(c)).isEqualTo(jdkUtf8(b));
        }
    }

    private static boolean jdkUtf8(byte[] b) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(b));
            return true;
        } catch (java.nio.charset.CharacterCodingException e) {
            return false;
        }
    }

    @Test
    void storedIdHeadersParseWithoutStrings() {
        assertThat(RespStreamId.parseAscii("17-3".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo(new RespStreamId(17, 3));
        assertThat(RespStreamId.parseAscii("18446744073709551615-0".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo(new RespStreamId(-1L, 0));
        assertThat(RespStreamId.parseAscii("5".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo(new RespStreamId(5, 0));
        for (String bad : new String[]{"", "-", "1-", "-1", "a-1", "18446744073709551616-0", "1-2-3"}) {
            assertThat(RespStreamId.parseAscii(bad.getBytes(StandardCharsets.US_ASCII))).as(bad).isNull();
        }
    }

    @Test
    void binaryEntriesAreBase64AndSaySo() {
        List<byte[]> fv = List.of("bin".getBytes(StandardCharsets.US_ASCII), new byte[]{(byte) 0xff, 0, 1},
                "n".getBytes(StandardCharsets.US_ASCII), "1".getBytes(StandardCharsets.US_ASCII));
        Message m = RespEntryCodec.toMessage(new RespStreamId(1, 1), fv);
        assertThat(new String(m.value(), StandardCharsets.UTF_8)).isEqualTo("{\"Ymlu\":\"/wAB\",\"bg==\":\"MQ==\"}");
        assertThat(m.header("redis.encoding")).isEqualTo("base64".getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void oneFieldEntriesStoreTheValueAsItIsAndNameTheFieldInAHeader() {
        byte[] payload = {(byte) 0xff, 0, '{', '"', 1, (byte) 0xc0};
        Message m = RespEntryCodec.toMessage(new RespStreamId(1700000000000L, 2),
                List.of("body".getBytes(StandardCharsets.US_ASCII), payload));
        assertThat(m.value()).isSameAs(payload);
        assertThat(m.headers()).extracting(Header::key).containsExactly("redis.id", "redis.field");
        assertThat(m.header("redis.field")).isEqualTo("body".getBytes(StandardCharsets.US_ASCII));
        assertThat(m.header("redis.encoding")).isNull();
        RespStreamEntry e = RespEntryCodec.fromMessage(4, m);
        assertThat(e.id()).isEqualTo(new RespStreamId(1700000000000L, 2));
        assertThat(e.fieldsAndValues()).containsExactly("body".getBytes(StandardCharsets.US_ASCII), payload);
    }

    /** Empty names and values survive the record format (an empty header value is not a missing header). */
    @Test
    void oneFieldEntriesRoundTripThroughARecord() {
        List<List<byte[]>> cases = List.of(List.of(new byte[0], new byte[0]), utf8("f", "{\"json\":\"stays raw\"}"),
                List.of("k".getBytes(StandardCharsets.US_ASCII), new byte[]{(byte) 0x80}));
        for (List<byte[]> fv : cases) {
            Message m = RespEntryCodec.toMessage(new RespStreamId(9, 1), fv);
            java.nio.ByteBuffer batch = io.sluice.core.MessageCodec.toBatch(List.of(m), 1);
            io.sluice.storage.record.Record r = io.sluice.storage.record.RecordBatches.records(batch).get(0);
            RespStreamEntry e = RespEntryCodec.fromRecord(r);
            assertThat(e.id()).isEqualTo(new RespStreamId(9, 1));
            assertThat(e.fieldsAndValues()).hasSize(2);
            assertThat(e.fieldsAndValues().get(0)).isEqualTo(fv.get(0));
            assertThat(e.fieldsAndValues().get(1)).isEqualTo(fv.get(1));
        }
    }

    /** Records written before the one-field form held a JSON object (Base64 when binary): they still read. */
    @Test
    void olderOneFieldJsonRecordsStillRead() {
        Header id = new Header("redis.id", "3-4".getBytes(StandardCharsets.US_ASCII));
        RespStreamEntry plain = RespEntryCodec.fromParts(0, 3, null,
                "{\"f\":\"v\"}".getBytes(StandardCharsets.UTF_8), List.of(id));
        assertThat(strings(plain.fieldsAndValues())).containsExactly("f", "v");
        RespStreamEntry binary = RespEntryCodec.fromParts(0, 3, null,
                "{\"Ymlu\":\"/wAB\"}".getBytes(StandardCharsets.UTF_8),
                List.of(id, new Header("redis.encoding", "base64".getBytes(StandardCharsets.US_ASCII))));
        assertThat(binary.id()).isEqualTo(new RespStreamId(3, 4));
        assertThat(binary.fieldsAndValues()).containsExactly("bin".getBytes(StandardCharsets.US_ASCII),
                new byte[]{(byte) 0xff, 0, 1});
    }

    @Test
    void recordsFromOtherProtocols() {
        RespStreamEntry json = RespEntryCodec.fromParts(12, 1000, null,
                "{\"a\":\"b\"}".getBytes(StandardCharsets.UTF_8), List.of());
        assertThat(json.id()).isEqualTo(new RespStreamId(1000, 12));
        assertThat(strings(json.fieldsAndValues())).containsExactly("a", "b");
        RespStreamEntry raw = RespEntryCodec.fromParts(13, 1001, "k".getBytes(StandardCharsets.UTF_8),
                "{\"n\":1}".getBytes(StandardCharsets.UTF_8), List.of());
        assertThat(strings(raw.fieldsAndValues())).containsExactly("key", "k", "value", "{\"n\":1}");
    }

    @Test
    void streamIds() {
        assertThat(RespStreamId.parse("5")).isEqualTo(new RespStreamId(5, 0));
        assertThat(RespStreamId.parse("5", -1L, false)).isEqualTo(new RespStreamId(5, -1L));
        assertThat(RespStreamId.parse("18446744073709551615-18446744073709551615")).isEqualTo(RespStreamId.MAX);
        assertThat(RespStreamId.MAX.toString()).isEqualTo("18446744073709551615-18446744073709551615");
        assertThat(RespStreamId.parse("-", 0, true)).isEqualTo(RespStreamId.MIN);
        assertThat(new RespStreamId(-1L, 0).isAfter(new RespStreamId(Long.MAX_VALUE, 5))).isTrue();
        assertThat(new RespStreamId(1, -1L).next()).isEqualTo(new RespStreamId(2, 0));
        assertThat(new RespStreamId(2, 0).previous()).isEqualTo(new RespStreamId(1, -1L));
        assertThat(RespStreamId.MAX.next()).isNull();
        assertThat(RespStreamId.MIN.previous()).isNull();
        for (String bad : new String[]{"", "-1", "1-", "a-1", "1-2-3", "+5", "18446744073709551616"}) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> RespStreamId.parse(bad))
                    .isInstanceOf(RespCommandException.class).hasMessage(RespErrors.INVALID_STREAM_ID);
        }
        for (String bad : new String[]{"", "-1", "1-", "a-1", "1-2-3", "+5", "18446744073709551616-0"}) {
            org.assertj.core.api.Assertions.assertThatThrownBy(
                            () -> RespStreamId.parse(bad.getBytes(StandardCharsets.US_ASCII)))
                    .isInstanceOf(RespCommandException.class).hasMessage(RespErrors.INVALID_STREAM_ID);
        }
        for (String good : new String[]{"5", "5-0", "007-01", "18446744073709551615-18446744073709551615"}) {
            assertThat(RespStreamId.parse(good.getBytes(StandardCharsets.US_ASCII))).isEqualTo(RespStreamId.parse(good));
        }
    }
}
