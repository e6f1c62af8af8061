package io.sluice.it.interop;

import io.sluice.testkit.EmbeddedSluice;
import io.sluice.testkit.SluiceExtension;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.sluice.storage.record.Compression;
import io.sluice.storage.record.RecordBatch;
import io.sluice.storage.record.RecordBatches;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kcat (librdkafka), a second Kafka client family: produces compressed batches and reads them back. librdkafka
 * writes its own batches (its own compression framing, e.g. lz4 frame checksums and zstd without content size), so
 * this covers what kafka-clients' batches do not.
 */
@Tag("it")
class KcatTest {

    @RegisterExtension
    static final SluiceExtension SLUICE = new SluiceExtension(EmbeddedSluice.builder().set("log.durability", "os-cache"));

    private static final int MESSAGES = 300;

    @ParameterizedTest
    @ValueSource(strings = {"gzip", "snappy", "lz4", "zstd", "none"})
    void compressedBatchesRoundTrip(String codec) throws Exception {
        ExternalClient.requireCommand("kcat");
        String topic = "kcat-" + codec;
        StringBuilder in = new StringBuilder();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < MESSAGES; i++) {
            // repetitive values so that compression actually shrinks the batch
            String value = "value-" + i + "-" + "abcdefgh".repeat(i % 7 + 1);
            in.append("key-").append(i).append(':').append(value).append('\n');
            expected.add("key-" + i + "=" + value);
        }
        // one partition so that the order is the produce order; linger so that messages share compressed batches
        ExternalClient.run(Duration.ofSeconds(60), in.toString().getBytes(StandardCharsets.UTF_8), List.of(
                "kcat", "-P", "-b", SLUICE.kafkaBootstrap(), "-t", topic, "-p", "0", "-K", ":", "-z", codec,
                "-X", "linger.ms=50", "-X", "batch.num.messages=100", "-X", "acks=all",
                "-X", "topic.metadata.refresh.interval.ms=1000")).assertSuccess();

        ExternalClient.Result consumed = ExternalClient.run(Duration.ofSeconds(60), null, List.of(
                "kcat", "-C", "-b", SLUICE.kafkaBootstrap(), "-t", topic, "-p", "0", "-o", "beginning", "-e", "-q",
                "-f", "MSG %o %k=%s\\n")).assertSuccess();

        List<String> msgs = consumed.tagged("MSG ");
        assertThat(msgs).as(consumed.output()).hasSize(MESSAGES);
        for (int i = 0; i < MESSAGES; i++) {
            assertThat(msgs.get(i)).isEqualTo(i + " " + expected.get(i));
        }
        // the batches are stored as librdkafka compressed them (Kafka produce requests are appended as they arrive);
        // librdkafka sends a batch uncompressed when compressing would not shrink it (a lone short message under
        // zstd), so NONE may appear beside the codec
        Compression want = codec.equals("none") ? Compression.NONE : Compression.valueOf(codec.toUpperCase());
        assertThat(storedCompressions(topic + "-0")).contains(want).isSubsetOf(want, Compression.NONE);
    }

    /** The compression codecs of every batch in the segment files of a partition folder named {@code dirName}. */
    private static Set<Compression> storedCompressions(String dirName) throws Exception {
        List<Path> dirs;
        try (Stream<Path> walk = Files.walk(SLUICE.node().dataDir())) {
            dirs = walk.filter(p -> Files.isDirectory(p) && p.getFileName().toString().equals(dirName)).toList();
        }
        assertThat(dirs).as("partition folder %s", dirName).hasSize(1);
        Set<Compression> found = new TreeSet<>();
        try (Stream<Path> files = Files.list(dirs.get(0))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".log")).toList()) {
                for (RecordBatch b : RecordBatches.iterate(ByteBuffer.wrap(Files.readAllBytes(f)))) {
                    found.add(b.compression());
                }
            }
        }
        return found;
    }
}
