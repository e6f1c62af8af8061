package io.sluice.core.queue.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.core.ErrorCode;
import io.sluice.core.Message;
import io.sluice.core.SluiceException;
import io.sluice.core.stream.AppendResult;
import io.sluice.core.stream.StreamPartition;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class QueueAppenderTest {

    /** A partition whose appends complete only when the test says so; it records each batch it was handed. */
    static final class HeldPartition {
        final List<List<Message>> batches = new ArrayList<>();
        final List<CompletableFuture<AppendResult>> appends = new ArrayList<>();
        final StreamPartition proxy = (StreamPartition) Proxy.newProxyInstance(StreamPartition.class.getClassLoader(),
                new Class<?>[]{StreamPartition.class}, (p, method, args) -> {
                    if (!method.getName().equals("publish")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    @SuppressWarnings("unchecked")
                    List<Message> ms = (List<Message>) args[0];
                    batches.add(List.copyOf(ms));
                    CompletableFuture<AppendResult> f = new CompletableFuture<>();
                    appends.add(f);
                    return f;
                });

        void complete(int i) {
            appends.get(i).complete(new AppendResult(0, 0, -1, 0, false));
        }
    }

    private static Message msg(int i) {
        return Message.of("q", Integer.toString(i).getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> bodies(List<Message> ms) {
        return ms.stream().map(m -> new String(m.value(), StandardCharsets.UTF_8)).toList();
    }

    @Test
    void publishesWhileTheLogIsBusyGoOutAsOneBatchInOrderAndCompleteOnlyWithIt() {
        HeldPartition log = new HeldPartition();
        QueueAppender a = new QueueAppender(log.proxy);
        List<CompletableFuture<Boolean>> fs = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            fs.add(a.append(msg(i)));
        }
        // two lone appends go straight out; the rest wait for one of them
        assertThat(log.batches).hasSize(2);
        assertThat(fs.subList(2, 10)).noneMatch(CompletableFuture::isDone);

        log.complete(0);
        assertThat(fs.get(0)).isCompletedWithValue(true);
        assertThat(log.batches).hasSize(3);
        assertThat(bodies(log.batches.get(2))).containsExactly("2", "3", "4", "5", "6", "7", "8", "9");
        assertThat(fs.subList(2, 10)).noneMatch(CompletableFuture::isDone);

        log.complete(1);
        log.complete(2);
        assertThat(fs).allMatch(f -> f.isDone() && f.join());
    }

    @Test
    void aFailedBatchFailsEveryMessageInItAndLaterPublishesStillGoOut() {
        HeldPartition log = new HeldPartition();
        QueueAppender a = new QueueAppender(log.proxy);
        a.append(msg(0));
        a.append(msg(1));
        CompletableFuture<Boolean> x = a.append(msg(2));
        CompletableFuture<Boolean> y = a.append(msg(3));
        log.appends.get(0).completeExceptionally(new SluiceException(ErrorCode.STORAGE_ERROR, "disk"));
        assertThat(log.batches).hasSize(3);
        log.appends.get(2).completeExceptionally(new SluiceException(ErrorCode.STORAGE_ERROR, "disk"));
        assertThat(x).isCompletedExceptionally();
        assertThat(y).isCompletedExceptionally();

        CompletableFuture<Boolean> z = a.append(msg(4));
        assertThat(bodies(log.batches.get(3))).containsExactly("4");
        log.complete(3);
        assertThat(z).isCompletedWithValue(true);
    }

    @Test
    void aBatchStopsAtItsByteLimitAndABigMessageGoesAlone() {
        HeldPartition log = new HeldPartition();
        QueueAppender a = new QueueAppender(log.proxy);
        a.append(msg(0));
        a.append(msg(1));
        byte[] big = new byte[QueueAppender.MAX_BATCH_BYTES + 1];
        a.append(msg(2));
        a.append(Message.of("q", big));
        a.append(msg(3));
        log.complete(0);
        log.complete(1);
        assertThat(log.batches).hasSize(4);
        assertThat(bodies(log.batches.get(2))).containsExactly("2");
        assertThat(log.batches.get(3)).hasSize(1);
        assertThat(log.batches.get(3).get(0).value()).hasSize(big.length);
        log.complete(2);
        assertThat(bodies(log.batches.get(4))).containsExactly("3");
    }
}
