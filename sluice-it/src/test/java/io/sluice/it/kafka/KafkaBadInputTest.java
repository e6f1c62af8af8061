package io.sluice.it.kafka;

import io.sluice.storage.record.Compression;
import io.sluice.storage.record.RecordBatchBuilder;
import io.sluice.testkit.SluiceExtension;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile and broken input on a raw socket: the broker answers with an error or closes that connection, and keeps
 * serving everyone else. Requests are written by hand so nothing in a client library can tidy them up.
 */
@Tag("it")
class KafkaBadInputTest {

    @RegisterExtension
    static final SluiceExtension sluice = new SluiceExtension();

    private Socket connect() throws IOException {
        Socket s = new Socket("127.0.0.1", sluice.port("kafka"));
        s.setSoTimeout(10_000);
        return s;
    }

    /** An ApiVersions v0 request frame: header v1 (api key, version, correlation id, client id) and an empty body. */
    private static byte[] apiVersionsV0(int correlationId, short version) {
        byte[] client = "raw".getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(4 + 2 + 2 + 4 + 2 + client.length);
        b.putInt(b.capacity() - 4).putShort((short) 18).putShort(version).putInt(correlationId)
                .putShort((short) client.length).put(client);
        return b.array();
    }

    private static ByteBuffer readFrame(InputStream in) throws IOException {
        DataInputStream d = new DataInputStream(in);
        int size = d.readInt();
        byte[] body = new byte[size];
        d.readFully(body);
        return ByteBuffer.wrap(body);
    }

    private static boolean closedByPeer(Socket s) throws IOException {
        try {
            return s.getInputStream().read() < 0;
        } catch (EOFException | java.net.SocketException e) {
            return true;
        }
    }

    private void assertStillServing() throws Exception {
        try (Socket s = connect()) {
            s.getOutputStream().write(apiVersionsV0(99, (short) 0));
            ByteBuffer resp = readFrame(s.getInputStream());
            assertThat(resp.getInt()).isEqualTo(99);
            assertThat(resp.getShort()).isZero();
        }
        try (Admin admin = KafkaClients.admin(sluice.kafkaBootstrap())) {
            assertThat(admin.describeCluster().nodes().get()).hasSize(1);
        }
    }

    @Test
    void apiVersionsOfAnUnknownVersionAnswersV0WithTheKeyList() throws Exception {
        try (Socket s = connect()) {
            s.getOutputStream().write(apiVersionsV0(7, (short) 99));
            ByteBuffer resp = readFrame(s.getInputStream());
            assertThat(resp.getInt()).isEqualTo(7);
            assertThat(resp.getShort()).isEqualTo((short) 35); // UNSUPPORTED_VERSION
            int n = resp.getInt();
            boolean produceFromZero = false;
            for (int i = 0; i < n; i++) {
                short key = resp.getShort();
                short min = resp.getShort();
                resp.getShort();
                produceFromZero |= key == 0 && min == 0;
            }
            assertThat(n).isGreaterThan(20);
            assertThat(produceFromZero).as("Produce advertised from v0").isTrue();
        }
    }

    @Test
    void absurdFrameSizeClosesTheConnection() throws Exception {
        try (Socket s = connect()) {
            s.getOutputStream().write(ByteBuffer.allocate(4).putInt(Integer.MAX_VALUE).array());
            assertThat(closedByPeer(s)).isTrue();
        }
        assertStillServing();
    }

    @Test
    void unknownApiKeyClosesTheConnection() throws Exception {
        try (Socket s = connect()) {
            ByteBuffer b = ByteBuffer.allocate(14).putInt(10).putShort((short) 4242).putShort((short) 0).putInt(1).putShort((short) -1);
            s.getOutputStream().write(b.array());
            assertThat(closedByPeer(s)).isTrue();
        }
        assertStillServing();
    }

    @Test
    void truncatedFrameThenDisconnectLeavesNothingBehind() throws Exception {
        try (Socket s = connect()) {
            byte[] frame = apiVersionsV0(1, (short) 0);
            s.getOutputStream().write(frame, 0, frame.length - 3);
            s.getOutputStream().flush();
        }
        assertStillServing();
    }

    @Test
    void garbageBodyClosesTheConnection() throws Exception {
        try (Socket s = connect()) {
            // Metadata v1 whose topic array claims a million entries in a 2-byte body.
            ByteBuffer b = ByteBuffer.allocate(4 + 10 + 6);
            b.putInt(16).putShort((short) 3).putShort((short) 1).putInt(5).putShort((short) -1).putInt(1_000_000).putShort((short) 0);
            s.getOutputStream().write(b.array());
            assertThat(closedByPeer(s)).isTrue();
        }
        assertStillServing();
    }

    @Test
    void produceWithABadCrcIsRejectedPerPartition() throws Exception {
        try (Admin admin = KafkaClients.admin(sluice.kafkaBootstrap())) {
            admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic("crc", 1, (short) 1))).all().get();
        }
        ByteBuffer batch = RecordBatchBuilder.create(Compression.NONE)
                .append(1000L, "k".getBytes(StandardCharsets.UTF_8), "v".getBytes(StandardCharsets.UTF_8), List.of())
                .build();
        byte[] records = new byte[batch.remaining()];
        batch.get(records);
        records[records.length - 1] ^= 0x5A; // payload changed after the CRC was computed
        byte[] topic = "crc".getBytes(StandardCharsets.UTF_8);
        // Produce v3: header v1, transactional id (null), acks, timeout, [topic [partition records]]
        ByteBuffer body = ByteBuffer.allocate(2 + 2 + 4 + 4 + 2 + topic.length + 4 + 4 + 4 + records.length);
        body.putShort((short) -1).putShort((short) 1).putInt(5000).putInt(1).putShort((short) topic.length).put(topic)
                .putInt(1).putInt(0).putInt(records.length).put(records);
        ByteBuffer frame = ByteBuffer.allocate(4 + 10 + body.capacity());
        frame.putInt(10 + body.capacity()).putShort((short) 0).putShort((short) 3).putInt(11).putShort((short) -1).put(body.array());
        try (Socket s = connect()) {
            OutputStream out = s.getOutputStream();
            out.write(frame.array());
            ByteBuffer resp = readFrame(s.getInputStream());
            assertThat(resp.getInt()).isEqualTo(11);
            assertThat(resp.getInt()).isEqualTo(1); // one topic
            resp.position(resp.position() + 2 + resp.getShort(resp.position()));
            assertThat(resp.getInt()).isEqualTo(1); // one partition
            assertThat(resp.getInt()).isZero(); // partition index
            assertThat(resp.getShort()).isEqualTo((short) 2); // CORRUPT_MESSAGE
        }
        assertStillServing();
    }
}
