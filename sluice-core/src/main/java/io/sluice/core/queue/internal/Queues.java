package io.sluice.core.queue.internal;

import io.sluice.core.CallContext;
import io.sluice.core.ErrorCode;
import io.sluice.core.Message;
import io.sluice.core.SluiceException;
import io.sluice.core.internal.CoreRuntime;
import io.sluice.core.internal.ExchangeServiceImpl;
import io.sluice.core.internal.MetadataLog;
import io.sluice.core.internal.QueueEngine;
import io.sluice.core.internal.StreamServiceImpl;
import io.sluice.core.queue.DeliveryGroup;
import io.sluice.core.queue.GroupService;
import io.sluice.core.queue.QueueArguments;
import io.sluice.core.queue.QueueInfo;
import io.sluice.core.queue.QueueService;
import io.sluice.core.queue.QueueSpec;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Entry point of the queue engine. TEMPORARY (development only): the engine is being written on its own branch and
 * replaces this file; until then every queue operation fails with INTERNAL "queue engine not built yet".
 */
public final class Queues {
    private Queues() {
    }

    public static QueueEngine create(CoreRuntime runtime, StreamServiceImpl streams,
                                     Supplier<ExchangeServiceImpl> exchanges, MetadataLog metadata) {
        SluiceException missing = new SluiceException(ErrorCode.INTERNAL, "queue engine not built yet");
        QueueService qs = new QueueService() {
            public CompletableFuture<QueueInfo> declare(CallContext ctx, QueueSpec spec) {
                return CompletableFuture.failedFuture(missing);
            }

            public Optional<QueueInfo> describe(CallContext ctx, String name) {
                return Optional.empty();
            }

            public List<QueueInfo> list(CallContext ctx) {
                return List.of();
            }

            public CompletableFuture<Long> delete(CallContext ctx, String n, boolean u, boolean e) {
                return CompletableFuture.failedFuture(missing);
            }

            public CompletableFuture<Long> purge(CallContext ctx, String name) {
                return CompletableFuture.failedFuture(missing);
            }

            public CompletableFuture<Boolean> enqueue(CallContext ctx, String name, Message message) {
                return CompletableFuture.failedFuture(missing);
            }

            public DeliveryGroup consumers(CallContext ctx, String name) {
                throw missing;
            }

            public void ownerClosed(String ownerId) {
            }
        };
        GroupService gs = new GroupService() {
            public CompletableFuture<Boolean> create(CallContext c, String s, int p, String g, long o, QueueArguments a) {
                return CompletableFuture.failedFuture(missing);
            }

            public CompletableFuture<Boolean> delete(CallContext ctx, String stream, String group) {
                return CompletableFuture.failedFuture(missing);
            }

            public Optional<DeliveryGroup> get(CallContext ctx, String stream, String group) {
                return Optional.empty();
            }

            public List<DeliveryGroup> list(CallContext ctx, String stream) {
                return List.of();
            }
        };
        return new QueueEngine() {
            public QueueService queues() {
                return qs;
            }

            public GroupService groups() {
                return gs;
            }

            public void start() {
            }
        };
    }
}
