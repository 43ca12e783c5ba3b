package org.nudaq.server.journal;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import net.openhft.chronicle.wire.DocumentContext;
import org.nudaq.server.ingest.RecordingRefusedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The journal writer's disk-full state machine: whether appends are allowed, from the usable space of
 * the journal's file system (probed through {@link JournalWriter.FreeSpaceProbe}) against the floor, and
 * from the appends that failed anyway.
 *
 * <p>States: <b>accepting</b> (space probed at least every {@link JournalWriter#PROBE_EVERY_BYTES}
 * appended and every {@link JournalWriter#PROBE_EVERY_NANOS}); <b>full</b> (below the floor, or an append
 * failed: appends refused, space re-probed every {@link JournalWriter#FULL_RECHECK_NANOS}, accepting
 * again when it is back and a failed append's document is rolled back); <b>faulted</b> (the mapped file
 * faulted, a SIGBUS seen as an InternalError: refused for the rest of the process, since records
 * appended after such a fault were seen unreadable by a tailer). Each entry into full counts an episode;
 * each refused or failed append counts a refusal.
 *
 * <p>Pipeline thread for the transitions; the state and counters may be read from any thread.
 */
final class DiskSpaceGuard {
  private static final Logger LOG = LoggerFactory.getLogger(DiskSpaceGuard.class);

  private final Path dir;
  private final JournalWriter.FreeSpaceProbe probe;
  private final long floorBytes;
  private final long alarmBytes;
  private volatile boolean full;
  private volatile boolean mappedFault;
  private boolean mappedFaultReported;
  /** A failed append whose rollback failed too (see {@link #failed}); rolled back before appends resume. */
  private DocumentContext unfinished;
  private volatile boolean alarm;
  private volatile long lastProbedFreeBytes = -1;
  private long bytesAtLastProbe = -JournalWriter.PROBE_EVERY_BYTES; // probe before the first append
  private long lastProbeNanos;
  private long fullSinceNanos;
  private final AtomicLong episodes = new AtomicLong();
  private final AtomicLong refusedAppends = new AtomicLong();

  /**
   * @param floorBytes below this usable space appends stop, bytes
   * @param alarmBytes below this usable space the disk alarm is on, bytes (journal.diskFreeAlarmGiB)
   */
  DiskSpaceGuard(Path dir, JournalWriter.FreeSpaceProbe probe, long floorBytes, long alarmBytes) {
    this.dir = dir;
    this.probe = probe;
    this.floorBytes = floorBytes;
    this.alarmBytes = alarmBytes;
  }

  /** Whether an append may start, {@code bytesAppended} so far; probes the space when it is due. */
  boolean accepting(long bytesAppended) {
    long now = System.nanoTime();
    if (full) {
      if (now - lastProbeNanos >= JournalWriter.FULL_RECHECK_NANOS) {
        probe(now, bytesAppended);
      }
    } else if (bytesAppended - bytesAtLastProbe >= JournalWriter.PROBE_EVERY_BYTES
        // At low rates 1 MiB takes minutes: probe at least every PROBE_EVERY_NANOS too, so another
        // program filling the volume is seen in time.
        || now - lastProbeNanos >= JournalWriter.PROBE_EVERY_NANOS) {
      probe(now, bytesAppended);
    }
    return !full;
  }

  /** Throws (and counts the refusal) unless an append may start. */
  void requireAccepting(long bytesAppended) {
    if (!accepting(bytesAppended)) {
      refusedAppends.incrementAndGet();
      throw new RecordingRefusedException("journal " + dir.toAbsolutePath() + ": disk full, " + lastProbedFreeBytes
          + " bytes free below the floor of " + floorBytes + " bytes; the record was not written", null);
    }
  }

  private void probe(long nowNanos, long bytesAppended) {
    lastProbeNanos = nowNanos;
    bytesAtLastProbe = bytesAppended;
    long free = probe.usableBytes(dir);
    lastProbedFreeBytes = free;
    alarm = free < alarmBytes;
    boolean nowFull = free < floorBytes;
    if (nowFull && !full) {
      episodes.incrementAndGet();
      fullSinceNanos = nowNanos;
      LOG.error("journal {}: disk full, {} bytes free below the floor of {} bytes: the daemon stops taking frames "
          + "(the links stop reading, the boards buffer) until space returns; nothing journaled is lost",
          dir.toAbsolutePath(), free, floorBytes);
    } else if (!nowFull && unfinished != null) {
      RuntimeException e = new RuntimeException("rollback of the failed append");
      if (rolledBack(unfinished, e)) {
        unfinished = null; // the queue's write lock is free again
      } else {
        LOG.error("journal {}: the failed append still cannot be rolled back ({}); appends stay stopped",
            dir.toAbsolutePath(), e.getSuppressed()[0].toString());
        nowFull = true;
      }
    }
    if (!nowFull && mappedFault) {
      // Records appended after a fault of the mapped file were seen not to be readable by a tailer
      // (stress.FullVolumeAppender): journaling what a replay or a recovery cannot reach would lose
      // data silently, so this process journals nothing more. A restart starts a new appender.
      if (!mappedFaultReported) {
        mappedFaultReported = true;
        LOG.error("journal {}: space is back, but the journal's mapped file faulted (SIGBUS) earlier; appends stay "
            + "stopped for this process: restart the daemon (it recovers everything journaled before the fault)",
            dir.toAbsolutePath());
      }
      nowFull = true;
    }
    if (!nowFull && full) {
      LOG.warn("journal {}: {} bytes free again, journaling resumes after {} s stopped", dir.toAbsolutePath(), free,
          (nowNanos - fullSinceNanos) / 1_000_000_000L);
    }
    full = nowFull;
  }

  /**
   * An append failed although the guard allowed it (the disk filled faster than it was probed, or the
   * file system refused), or a fault of the mapped file surfaced outside an append ({@code dc} null):
   * the document is rolled back and appends stop until space returns — for the rest of the process if
   * the mapped file faulted (an InternalError).
   *
   * @return the exception to throw to the caller of the append
   */
  RecordingRefusedException failed(DocumentContext dc, Throwable e) {
    if (e instanceof InternalError) {
      mappedFault = true;
    }
    if (dc != null) {
      dc.rollbackOnClose();
      if (!rolledBack(dc, e)) {
        // The rollback writes to the same mapped page and faulted too: the document still holds the
        // queue's write lock, so it is rolled back again before anything else once space returns.
        unfinished = dc;
      }
    }
    refusedAppends.incrementAndGet();
    if (!full) {
      episodes.incrementAndGet();
      fullSinceNanos = System.nanoTime();
    }
    full = true;
    lastProbeNanos = System.nanoTime();
    LOG.error("journal {}: append failed ({}); appends stop and are retried when space returns", dir.toAbsolutePath(),
        e.toString());
    return new RecordingRefusedException("journal " + dir.toAbsolutePath() + ": append failed: " + e, e);
  }

  /** Closes a document marked for rollback; false (the failure added to {@code e}) if that failed. */
  private static boolean rolledBack(DocumentContext dc, Throwable e) {
    try {
      dc.close();
      return true;
    } catch (RuntimeException | InternalError again) {
      e.addSuppressed(again);
      return false;
    }
  }

  /** Usable space of the journal's file system now, through the probe, bytes. */
  long freeBytes() {
    return probe.usableBytes(dir);
  }

  /** Re-checks the disk alarm (housekeeping); logs when it comes on. */
  void checkAlarm(double alarmGiB) {
    long free = freeBytes();
    boolean on = free < alarmBytes;
    if (on && !alarm) {
      LOG.warn("journal {}: only {} bytes free, below the alarm threshold of journal.diskFreeAlarmGiB ({} GiB)",
          dir.toAbsolutePath(), free, alarmGiB);
    }
    alarm = on;
  }

  boolean full() {
    return full;
  }

  boolean mappedFault() {
    return mappedFault;
  }

  boolean alarm() {
    return alarm;
  }

  long floorBytes() {
    return floorBytes;
  }

  long episodes() {
    return episodes.get();
  }

  long refusedAppends() {
    return refusedAppends.get();
  }
}
