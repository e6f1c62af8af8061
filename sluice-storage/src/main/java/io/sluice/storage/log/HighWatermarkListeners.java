package io.sluice.storage.log;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongConsumer;

/**
 * The high-watermark listeners of one partition. Notifications are serialized and monotonic: a listener never sees
 * a value lower than one it saw before, even when several threads report advances concurrently (the in-memory log
 * appends on its callers' threads). A listener that throws is logged and stays registered.
 */
public final class HighWatermarkListeners {
    private static final Logger LOG = LoggerFactory.getLogger(HighWatermarkListeners.class);

    private final CopyOnWriteArrayList<LongConsumer> listeners = new CopyOnWriteArrayList<>();
    private final Object notifyLock = new Object();
    private long lastNotified = -1;

    public AutoCloseable add(LongConsumer listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** Tells every listener about {@code highWatermark} unless a higher or equal value was already announced. */
    public void advanced(long highWatermark) {
        if (listeners.isEmpty()) {
            return;
        }
        synchronized (notifyLock) {
            if (highWatermark <= lastNotified) {
                return;
            }
            lastNotified = highWatermark;
            for (LongConsumer l : listeners) {
                try {
                    l.accept(highWatermark);
                } catch (RuntimeException e) {
                    LOG.warn("high watermark listener failed", e);
                }
            }
        }
    }
}
