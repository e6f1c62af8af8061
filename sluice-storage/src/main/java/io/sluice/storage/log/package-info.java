/**
 * The file-backed log: {@link io.sluice.storage.log.FileLogStore} (one data directory, its layout and threads),
 * {@link io.sluice.storage.log.FilePartitionLog} (append path with group commit, lock-free reads, retention),
 * {@link io.sluice.storage.log.LogSegment} and its indexes (each documents its byte layout),
 * {@link io.sluice.storage.log.LogLoader} (start-up recovery) and {@link io.sluice.storage.log.LogCleaner}
 * (compaction). {@link io.sluice.storage.log.AppendValidator} and
 * {@link io.sluice.storage.log.ProducerStateManager} are shared with the in-memory store so both assign offsets and
 * judge producers identically.
 */
package io.sluice.storage.log;
