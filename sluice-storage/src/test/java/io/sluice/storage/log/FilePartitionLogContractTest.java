package io.sluice.storage.log;

import io.sluice.storage.LogStore;
import io.sluice.storage.PartitionLogContractTest;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.function.LongSupplier;

class FilePartitionLogContractTest extends PartitionLogContractTest {
    @TempDir
    Path dir;

    @Override
    protected LogStore createStore(LongSupplier clock) {
        return FileLogStore.open(dir, FileLogStore.Options.defaults().withClock(clock).withMaintenanceIntervalMs(0));
    }
}
