package io.sluice.storage.memory;

import io.sluice.storage.LogStore;
import io.sluice.storage.PartitionLogContractTest;

import java.util.function.LongSupplier;

class MemoryPartitionLogTest extends PartitionLogContractTest {
    @Override
    protected LogStore createStore(LongSupplier clock) {
        return new MemoryLogStore(clock);
    }
}
