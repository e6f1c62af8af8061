package io.sluice.protocol.resp.codec;

import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RespReplyEncoderTest {

    static String encode(RespReply reply, RespVersion version) {
        RespReplyEncoder encoder = new RespReplyEncoder();
        encoder.version(version);
        EmbeddedChannel ch = new EmbeddedChannel(encoder);
        ch.writeOutbound(reply);
        ByteBuf buf = ch.readOutbound();
        String s = buf.toString(StandardCharsets.UTF_8);
        buf.release();
        ch.finishAndReleaseAll();
        return s;
    }

    static String both(RespReply reply) {
        return encode(reply, RespVersion.RESP2) + "|" + encode(reply, RespVersion.RESP3);
    }

    @Test
    void scalars() {
        assertThat(both(RespReply.OK)).isEqualTo("+OK\r\n|+OK\r\n");
        assertThat(both(RespReply.error("ERR bad\r\nthing"))).isEqualTo("-ERR bad  thing\r\n|-ERR bad  thing\r\n");
        assertThat(both(RespReply.integer(-42))).isEqualTo(":-42\r\n|:-42\r\n");
        assertThat(both(RespReply.bulk("h\r\né"))).isEqualTo("$5\r\nh\r\né\r\n|$5\r\nh\r\né\r\n");
        assertThat(both(RespReply.bulk(""))).isEqualTo("$0\r\n\r\n|$0\r\n\r\n");
    }

    @Test
    void nulls() {
        assertThat(both(RespReply.NULL)).isEqualTo("$-1\r\n|_\r\n");
        assertThat(both(RespReply.NULL_ARRAY)).isEqualTo("*-1\r\n|_\r\n");
    }

    @Test
    void aggregates() {
        RespReply nested = RespReply.array(RespReply.integer(1), RespReply.array(RespReply.bulk("a")));
        assertThat(both(nested)).isEqualTo("*2\r\n:1\r\n*1\r\n$1\r\na\r\n|*2\r\n:1\r\n*1\r\n$1\r\na\r\n");
        RespReply map = new RespReply.Map(List.of(RespReply.bulk("k"), RespReply.integer(3)));
        assertThat(both(map)).isEqualTo("*2\r\n$1\r\nk\r\n:3\r\n|%1\r\n$1\r\nk\r\n:3\r\n");
        RespReply set = new RespReply.Set(List.of(RespReply.bulk("x")));
        assertThat(both(set)).isEqualTo("*1\r\n$1\r\nx\r\n|~1\r\n$1\r\nx\r\n");
        RespReply push = new RespReply.Push(List.of(RespReply.bulk("message"), RespReply.bulk("ch"), RespReply.bulk("hi")));
        assertThat(both(push)).isEqualTo("*3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n"
                + "|>3\r\n$7\r\nmessage\r\n$2\r\nch\r\n$2\r\nhi\r\n");
        assertThat(both(RespReply.array())).isEqualTo("*0\r\n|*0\r\n");
    }

    @Test
    void doublesBooleansVerbatim() {
        assertThat(both(new RespReply.Double(1.5))).isEqualTo("$3\r\n1.5\r\n|,1.5\r\n");
        assertThat(both(new RespReply.Double(3))).isEqualTo("$1\r\n3\r\n|,3\r\n");
        assertThat(both(new RespReply.Double(java.lang.Double.NEGATIVE_INFINITY))).isEqualTo("$4\r\n-inf\r\n|,-inf\r\n");
        assertThat(encode(new RespReply.Double(java.lang.Double.NaN), RespVersion.RESP3)).isEqualTo(",nan\r\n");
        assertThat(both(new RespReply.Bool(true))).isEqualTo(":1\r\n|#t\r\n");
        assertThat(both(new RespReply.Bool(false))).isEqualTo(":0\r\n|#f\r\n");
        assertThat(both(new RespReply.Verbatim("txt", "a:b"))).isEqualTo("$3\r\na:b\r\n|=7\r\ntxt:a:b\r\n");
    }

    @Test
    void versionCanBeSwitchedOnALiveChannel() {
        RespReplyEncoder encoder = new RespReplyEncoder();
        EmbeddedChannel ch = new EmbeddedChannel(encoder);
        ch.writeOutbound(RespReply.NULL);
        encoder.version(RespVersion.RESP3);
        ch.writeOutbound(RespReply.NULL);
        ByteBuf first = ch.readOutbound();
        ByteBuf second = ch.readOutbound();
        assertThat(first.toString(StandardCharsets.US_ASCII)).isEqualTo("$-1\r\n");
        assertThat(second.toString(StandardCharsets.US_ASCII)).isEqualTo("_\r\n");
        first.release();
        second.release();
        ch.finishAndReleaseAll();
    }

    @Test
    void aStreamEntryIsTheNestedArrayOfBulkStringsItStandsFor() {
        // lengths on both sides of every digit-count boundary the writer handles
        for (int len : new int[] {0, 1, 9, 10, 11, 99, 100, 101, 999, 1000, 1024, 9999, 10000, 100000}) {
            byte[] value = "v".repeat(len).getBytes(StandardCharsets.US_ASCII);
            byte[] id = "1700000000000-42".getBytes(StandardCharsets.US_ASCII);
            RespReply entry = new RespReply.StreamEntry(id, List.of("f".getBytes(StandardCharsets.US_ASCII), value));
            RespReply nested = RespReply.array(RespReply.bulk(id),
                    RespReply.array(RespReply.bulk("f"), RespReply.bulk(value)));
            assertThat(both(entry)).isEqualTo(both(nested));
            RespReply encoded = RespReplyEncoder.preEncode((RespReply.StreamEntry) entry);
            assertThat(encoded).isInstanceOf(RespReply.Encoded.class);
            assertThat(both(encoded)).isEqualTo(both(nested));
            assertThat(RespReplyEncoder.sizeHint(encoded)).isEqualTo(encode(entry, RespVersion.RESP2).length());
            assertThat(encode(entry, RespVersion.RESP2)).contains("$" + len + "\r\n");
            assertThat(RespReplyEncoder.sizeHint(entry)).isGreaterThanOrEqualTo(
                    encode(entry, RespVersion.RESP2).length());
        }
        RespReply deleted = new RespReply.StreamEntry("5-1".getBytes(StandardCharsets.US_ASCII), null);
        assertThat(both(deleted)).isEqualTo(both(RespReply.array(RespReply.bulk("5-1"), RespReply.NULL_ARRAY)));
        // a deleted entry's nil differs between RESP2 and RESP3, so it stays a node
        assertThat(RespReplyEncoder.preEncode((RespReply.StreamEntry) deleted)).isSameAs(deleted);
        RespReply.StreamEntry several = new RespReply.StreamEntry("12-3".getBytes(StandardCharsets.US_ASCII),
                List.of("a".getBytes(StandardCharsets.US_ASCII), new byte[12], "b".getBytes(StandardCharsets.US_ASCII),
                        new byte[0], "c".repeat(10).getBytes(StandardCharsets.US_ASCII), new byte[100]));
        assertThat(both(RespReplyEncoder.preEncode(several))).isEqualTo(both(several));
        assertThat(both(new RespReply.StreamEntry("0-1".getBytes(StandardCharsets.US_ASCII), List.of())))
                .isEqualTo("*2\r\n$3\r\n0-1\r\n*0\r\n|*2\r\n$3\r\n0-1\r\n*0\r\n");
    }

    @Test
    void aReplyGetsABufferOfItsSize() {
        List<RespReply> entries = new java.util.ArrayList<>();
        for (int i = 0; i < 500; i++) {
            entries.add(new RespReply.StreamEntry(("1-" + i).getBytes(StandardCharsets.US_ASCII),
                    List.of("d".getBytes(StandardCharsets.US_ASCII), new byte[1024])));
        }
        RespReply reply = RespReply.array(RespReply.array(RespReply.bulk("key"), RespReply.array(entries)));
        int encoded = encode(reply, RespVersion.RESP2).length();
        long hint = RespReplyEncoder.sizeHint(reply);
        assertThat(hint).isBetween((long) encoded, encoded + 64L * 502); // a few dozen bytes of slack per entry
    }

    @Test
    void sizeAtMostAgreesWithTheSizeHint() {
        List<RespReply> entries = new java.util.ArrayList<>();
        for (int i = 0; i < 50; i++) {
            entries.add(new RespReply.StreamEntry(("1-" + i).getBytes(StandardCharsets.US_ASCII),
                    List.of("d".getBytes(StandardCharsets.US_ASCII), new byte[100 + i])));
        }
        List<RespReply> replies = List.of(RespReply.integer(3), RespReply.bulk("x".repeat(300)), RespReply.NULL,
                RespReply.array(entries), RespReply.array(RespReply.array(RespReply.bulk("k"), RespReply.array(entries))),
                RespReply.array(), new RespReply.Push(List.of(RespReply.bulk("message"), RespReply.bulk("c"))));
        for (RespReply r : replies) {
            long hint = RespReplyEncoder.sizeHint(r);
            for (long limit : new long[] {0, 16, hint - 1, hint, hint + 1, 8192}) {
                assertThat(RespReplyEncoder.sizeAtMost(r, limit)).as("%s within %d", r, limit).isEqualTo(hint <= limit);
            }
        }
    }
}
