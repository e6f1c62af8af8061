package io.sluice.core.internal;

import io.sluice.core.ResourceAlarms;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Memory and disk alarms checked on a timer, as RabbitMQ's: memory when the heap in use passes a fraction of the
 * maximum heap, disk when free space on the data volume falls below a byte limit. Each alarm is logged once when
 * raised and once when cleared.
 */
public final class ResourceAlarmsImpl implements ResourceAlarms {
    private static final Logger log = LoggerFactory.getLogger(ResourceAlarmsImpl.class);

    private final double memoryHighWatermark;
    private final long diskFreeLimitBytes;
    private final LongSupplier heapUsed;
    private final LongSupplier heapMax;
    private final LongSupplier diskFree;
    private final List<Consumer<Boolean>> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean memoryAlarm;
    private volatile boolean diskAlarm;

    /**
     * @param memoryHighWatermark fraction of the max heap (e.g. 0.8); 0 or less disables the memory alarm
     * @param diskFreeLimitBytes  alarm when free disk falls below this; 0 or less disables the disk alarm
     */
    public ResourceAlarmsImpl(double memoryHighWatermark, long diskFreeLimitBytes, LongSupplier heapUsed,
                              LongSupplier heapMax, LongSupplier diskFree) {
        this.memoryHighWatermark = memoryHighWatermark;
        this.diskFreeLimitBytes = diskFreeLimitBytes;
        this.heapUsed = heapUsed;
        this.heapMax = heapMax;
        this.diskFree = diskFree;
    }

    /** Re-evaluates both alarms; called periodically by the broker. */
    public void check() {
        boolean wasBlocked = publishingBlocked();
        boolean mem = memoryHighWatermark > 0 && heapUsed.getAsLong() > memoryHighWatermark * heapMax.getAsLong();
        boolean disk = diskFreeLimitBytes > 0 && diskFree.getAsLong() < diskFreeLimitBytes;
        if (mem != memoryAlarm) {
            memoryAlarm = mem;
            if (mem) {
                log.warn("memory alarm raised: heap in use {} bytes is above {} of {}; publishers are blocked",
                        heapUsed.getAsLong(), memoryHighWatermark, heapMax.getAsLong());
            } else {
                log.info("memory alarm cleared");
            }
        }
        if (disk != diskAlarm) {
            diskAlarm = disk;
            if (disk) {
                log.warn("disk alarm raised: {} bytes free is below the limit of {}; publishers are blocked",
                        diskFree.getAsLong(), diskFreeLimitBytes);
            } else {
                log.info("disk alarm cleared");
            }
        }
        boolean blocked = publishingBlocked();
        if (blocked != wasBlocked) {
            listeners.forEach(l -> l.accept(blocked));
        }
    }

    @Override
    public boolean publishingBlocked() {
        return memoryAlarm || diskAlarm;
    }

    @Override
    public String reason() {
        if (memoryAlarm) {
            return "memory high watermark";
        }
        return diskAlarm ? "low on disk" : null;
    }

    @Override
    public AutoCloseable onChange(Consumer<Boolean> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }
}
