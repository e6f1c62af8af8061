package io.sluice.storage.log;

import io.sluice.storage.LogConfig;
import io.sluice.storage.LogId;
import io.sluice.storage.record.ControlType;
import io.sluice.storage.record.RecordBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Opens a partition log's directory at start-up: discards unfinished compaction output, re-validates
 * the segments an unclean shutdown may have left half-written, truncates a torn tail of the last segment, takes
 * the log offline if a segment in the middle is corrupt, and rebuilds producer state from the newest usable
 * snapshot plus the batches after it.
 *
 * <p>Runs once per log, on the thread opening the store, before the log accepts any operation.
 */
final class LogLoader {
    private static final Logger LOG = LoggerFactory.getLogger(LogLoader.class);
    static final String SNAPSHOT = ".snapshot";
    static final String CLEANED = ".cleaned";

    record Loaded(ConcurrentSkipListMap<Long, LogSegment> segments, long logStartOffset,
                  ProducerStateManager producers, String offlineReason) {
    }

    private LogLoader() {
    }

    static Loaded load(LogId id, Path dir, LogConfig config, long nowMs) throws IOException {
        Path existing = dir;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        Files.createDirectories(dir);
        TreeSet<Long> bases = new TreeSet<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (n.endsWith(LogSegment.DELETED) || n.endsWith(".tmp") || n.endsWith(CLEANED)) {
                    Files.deleteIfExists(p);
                } else if (n.endsWith(LogSegment.LOG) && n.length() == 20 + LogSegment.LOG.length()) {
                    bases.add(Long.parseLong(n.substring(0, 20)));
                }
            }
        }
        LogCheckpoint cp = LogCheckpoint.read(dir);
        if (bases.isEmpty()) {
            bases.add(cp != null ? cp.logStartOffset() : 0L);
        }
        long recoverFrom;
        if (cp == null) {
            recoverFrom = bases.first();
        } else if (cp.clean()) {
            recoverFrom = Long.MAX_VALUE;
        } else {
            Long floor = bases.floor(cp.recoveryPoint());
            recoverFrom = floor == null ? bases.first() : floor;
        }
        ConcurrentSkipListMap<Long, LogSegment> segments = new ConcurrentSkipListMap<>();
        boolean created = existing == null || !existing.equals(dir);
        String offline = null;
        Map<Long, Boolean> recovered = new HashMap<>();
        long last = bases.last();
        long prevNext = -1;
        for (long base : bases) {
            boolean isLast = base == last;
            boolean recover = base >= recoverFrom;
            LogSegment seg = LogSegment.open(dir, base, config.segmentBytes(), config.indexIntervalBytes(),
                    isLast || recover, nowMs);
            segments.put(base, seg);
            if (offline != null) {
                continue;
            }
            if (recover) {
                recovered.put(base, true);
                LogSegment.Recovery r = seg.recover(isLast);
                if (r.damaged()) {
                    if (isLast) {
                        LOG.warn("log {}: segment {} ends with {} bytes that are not a valid batch ({}) after offset "
                                        + "{}; truncating them (unacknowledged writes torn by a crash)", id, seg,
                                r.fileBytes() - r.validBytes(), r.problem(), r.lastValidOffset());
                        seg.truncateTo(r.validBytes());
                    } else {
                        offline = "corrupt batch in " + seg + " at byte position " + r.validBytes() + " ("
                                + r.problem() + "), after offset " + r.lastValidOffset();
                        LOG.error("log {} is OFFLINE: {}; this segment is not the last one, so the damage is not a "
                                + "torn write and is not repaired automatically", id, offline);
                        continue;
                    }
                }
                if (!isLast) {
                    seg.finish();
                }
            } else {
                seg.loadTrusted(isLast, config.segmentBytes());
            }
            if (prevNext > base) {
                offline = "segment " + seg + " starts at offset " + base + " but the previous segment ends at "
                        + (prevNext - 1);
                LOG.error("log {} is OFFLINE: {}", id, offline);
            }
            prevNext = seg.nextOffset();
        }
        if (created) {
            // A new log's directory entries (and its first segment's) must be durable before any FSYNC append is
            // acknowledged: fsync every directory created here and the existing one that now holds them.
            for (Path p = dir; p != null; p = p.getParent()) {
                LogCheckpoint.syncDirectory(p);
                if (p.equals(existing)) {
                    break;
                }
            }
        }
        LogSegment first = segments.firstEntry().getValue();
        LogSegment active = segments.lastEntry().getValue();
        long logEnd = active.nextOffset();
        long logStart = Math.max(first.baseOffset, cp != null ? cp.logStartOffset() : 0L);
        logStart = Math.min(logStart, logEnd);
        ProducerStateManager producers = new ProducerStateManager();
        if (offline == null) {
            loadProducerState(id, dir, segments, producers, Math.min(recoverFrom, logEnd), logEnd, recovered);
        }
        return new Loaded(segments, logStart, producers, offline);
    }

    private static void loadProducerState(LogId id, Path dir, ConcurrentSkipListMap<Long, LogSegment> segments,
                                          ProducerStateManager producers, long bound, long logEnd,
                                          Map<Long, Boolean> recovered) throws IOException {
        TreeSet<Long> snapshots = snapshotOffsets(dir);
        long replayFrom = segments.firstKey();
        for (Long off : snapshots.descendingSet()) {
            Path f = dir.resolve(LogSegment.name(off) + SNAPSHOT);
            if (off > logEnd) {
                Files.deleteIfExists(f);
                continue;
            }
            if (off > bound || off < segments.firstKey()) {
                continue;
            }
            try {
                producers.loadSnapshot(Files.readAllBytes(f));
                replayFrom = off;
                break;
            } catch (IOException e) {
                LOG.warn("log {}: ignoring producer state snapshot {}: {}", id, f, e.getMessage());
                producers.clear();
            }
        }
        Map<Long, List<TransactionIndex.Entry>> rebuilt = new HashMap<>();
        for (long base : recovered.keySet()) {
            rebuilt.put(base, new ArrayList<>());
        }
        for (LogSegment seg : segments.tailMap(segments.floorKey(replayFrom), true).values()) {
            if (seg.nextOffset() <= replayFrom) {
                continue;
            }
            List<TransactionIndex.Entry> txns = rebuilt.get(seg.baseOffset);
            long start = seg.offsetIndex.lookup(replayFrom);
            SegmentBatchReader r = new SegmentBatchReader(seg.channel, start, seg.size());
            RecordBatch b;
            while ((b = r.next()) != null) {
                if (b.lastOffset() < replayFrom || !b.hasProducerId()) {
                    continue;
                }
                boolean control = b.isControl();
                boolean abort = control && b.controlType() == ControlType.ABORT;
                ProducerStateManager.CompletedTxn done = producers.replay(b.producerId(), b.producerEpoch(),
                        b.baseSequence(), b.lastSequence(), b.baseOffset(), b.lastOffset(), b.maxTimestamp(),
                        b.isTransactional(), control, abort, -1);
                if (done != null && done.aborted() && txns != null) {
                    txns.add(new TransactionIndex.Entry(done.producerId(), done.firstOffset(), done.lastOffset()));
                }
            }
        }
        for (Map.Entry<Long, List<TransactionIndex.Entry>> e : rebuilt.entrySet()) {
            segments.get(e.getKey()).txnIndex.rewrite(e.getValue());
        }
    }

    static TreeSet<Long> snapshotOffsets(Path dir) throws IOException {
        TreeSet<Long> out = new TreeSet<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*" + SNAPSHOT)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (n.length() == 20 + SNAPSHOT.length()) {
                    out.add(Long.parseLong(n.substring(0, 20)));
                }
            }
        }
        return out;
    }

    /**
     * Writes a producer-state snapshot for {@code offset} and keeps only the two newest. The directory is not
     * fsynced here: callers write the checkpoint next, whose directory fsync covers this rename too.
     */
    static void writeSnapshot(Path dir, long offset, ProducerStateManager producers) throws IOException {
        LogCheckpoint.writeAtomically(dir, LogSegment.name(offset) + SNAPSHOT, ByteBuffer.wrap(producers.toSnapshot()),
                false);
        TreeSet<Long> all = snapshotOffsets(dir);
        while (all.size() > 2) {
            Files.deleteIfExists(dir.resolve(LogSegment.name(all.pollFirst()) + SNAPSHOT));
        }
    }

}
