package org.nudaq.server.checkpoint;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.nudaq.server.ingest.PipelineCheckpoint;
import org.nudaq.server.journal.JournalSession;
import org.nudaq.server.journal.SessionProgress;
import org.nudaq.server.pipeline.EventPipeline;
import org.nudaq.server.pipeline.StateWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Periodic checkpoints: every {@code intervalNanos} the pipeline thread serializes the pipeline
 * and the session's progress, with the index of the last journal record (the pipeline thread is the
 * journal's single writer, so the state holds exactly the records up to that index), into a reused
 * buffer; a writer thread then seals it (CRC) and writes it atomically ({@link CheckpointStore}),
 * keeping the newest {@code kept}. The pipeline thread pays only the serialization (about a
 * millisecond per MiB of state); the fsync happens on the writer thread. While a write is still in
 * flight the next checkpoint waits (the buffer is not shared).
 *
 * <p>Failures never stop the daemon: a checkpoint that cannot be written (disk full, I/O error, or
 * less free space than {@code reserveBytes} would remain) is logged — once per run of failures — and
 * counted; recovery then uses an older checkpoint or replays the whole session.
 *
 * <p>Thread-safety: {@link #betweenInputs}, {@link #sessionStarted} and {@link #requestSoon} on the
 * pipeline thread (or before it starts); the metric accessors from any thread.
 */
public final class Checkpoints implements PipelineCheckpoint, AutoCloseable {
  /**
   * A checkpoint written.
   *
   * @param journalIndex   the journal index it was taken at (−1: none yet)
   * @param takenAtEpochMs when it was taken, epoch ms (0: none yet)
   * @param sizeBytes      its file's size, bytes
   * @param pauseNanos     time the pipeline thread spent serializing it, ns
   * @param writeNanos     time from the start of serialization to the rename of its file, ns (≥ pauseNanos)
   */
  public record Written(long journalIndex, long takenAtEpochMs, long sizeBytes, long pauseNanos, long writeNanos) {
    /** Before the first checkpoint. */
    public static final Written NONE = new Written(-1, 0, 0, 0, 0);
  }

  private static final Logger LOG = LoggerFactory.getLogger(Checkpoints.class);

  private final EventPipeline pipeline;
  private final SessionProgress progress;
  private final LongSupplier lastJournalIndex;
  private final CheckpointStore store;
  private final Clock clock;
  private final long intervalNanos;
  private final int kept;
  private final byte[] configSha256;
  private final long reserveBytes;
  private final CheckpointSection section;
  private final StateWriter buffer = new StateWriter(1 << 20);
  private final AtomicBoolean writing = new AtomicBoolean();
  private final ExecutorService writer;
  /** One task object for every write: no allocation per checkpoint on the pipeline thread. */
  private final Runnable writeTask = this::writeBuffered;

  // Pipeline thread.
  private long sessionStartIndex = -1;
  private long sessionStartEpochMs;
  private boolean timing;
  private long lastAttemptNanos;
  private boolean soon;
  private long lastTakenIndex = -1;

  // Handed to the writer with the buffer (published by the writing flag).
  private long pendingJournalIndex;
  private long pendingTakenAtEpochMs;
  private long pendingStartNanos;
  private long pendingPauseNanos;
  private long pendingSessionStartIndex;
  private long pendingSessionStartEpochMs;
  /** Writer thread: whether checkpoints of other sessions were removed (once, after the first write). */
  private boolean othersRemoved;

  // Writer thread; read by any thread.
  private final AtomicLong written = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong deleted = new AtomicLong();
  /** The last checkpoint written, published as one value: a reader never mixes two checkpoints' numbers. */
  private volatile Written lastWritten = Written.NONE;
  private volatile String lastFailure;
  /** Failures since the last success (guarded by this: both threads may fail). */
  private int failureStreak;

  /**
   * @param pipeline         the pipeline (owned by the pipeline thread)
   * @param progress         the session's journaled frames, kept by {@link ProgressRecorder}
   * @param lastJournalIndex the index of the last record journaled (the journal writer's)
   * @param store            where checkpoints go
   * @param clock            wall clock for the checkpoints' time stamps
   * @param intervalSeconds  time between checkpoints, s (0: none)
   * @param kept             checkpoints kept (≥ 1)
   * @param configText       the configuration text the pipeline runs with
   * @param reserveBytes     free space a write must leave on the checkpoint file system, bytes (the journal's floor)
   */
  public Checkpoints(EventPipeline pipeline, SessionProgress progress, LongSupplier lastJournalIndex, CheckpointStore store,
      Clock clock, double intervalSeconds, int kept, String configText, long reserveBytes) {
    this(pipeline, progress, lastJournalIndex, store, clock, intervalSeconds, kept, configText, reserveBytes,
        CheckpointSection.NONE);
  }

  /** As above, with {@code section} saved after the pipeline state (the online calibration's). */
  public Checkpoints(EventPipeline pipeline, SessionProgress progress, LongSupplier lastJournalIndex, CheckpointStore store,
      Clock clock, double intervalSeconds, int kept, String configText, long reserveBytes, CheckpointSection section) {
    if (kept < 1) {
      throw new IllegalArgumentException("checkpoints: kept must be >= 1, got kept=" + kept);
    }
    this.pipeline = pipeline;
    this.progress = progress;
    this.lastJournalIndex = lastJournalIndex;
    this.store = store;
    this.clock = clock;
    this.intervalNanos = Math.round(intervalSeconds * 1e9);
    this.kept = kept;
    this.configSha256 = ConfigDigest.sha256(configText);
    this.reserveBytes = reserveBytes;
    this.section = section;
    this.writer = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r, "nudaq-checkpoint-writer");
      t.setDaemon(true);
      return t;
    });
  }

  /** The session the pipeline's state belongs to (new, or recovered): checkpoints start after this. */
  public void sessionStarted(JournalSession session) {
    sessionStartIndex = session.startIndex();
    sessionStartEpochMs = session.startEpochMs();
  }

  /** Takes a checkpoint at the next call instead of after a full interval (e.g. right after a recovery). */
  public void requestSoon() {
    soon = true;
  }

  @Override
  public void betweenInputs(long nowNanos) {
    if (intervalNanos <= 0 || sessionStartIndex < 0) {
      return;
    }
    if (!timing) {
      timing = true;
      lastAttemptNanos = nowNanos;
    }
    if (!soon && nowNanos - lastAttemptNanos < intervalNanos) {
      return;
    }
    if (writing.get()) {
      return; // the previous checkpoint is still on its way to disk; try again at the next turn
    }
    lastAttemptNanos = nowNanos;
    soon = false;
    long index = lastJournalIndex.getAsLong();
    if (index < 0 || index == lastTakenIndex) {
      return; // nothing journaled since the last snapshot
    }
    take(index);
  }

  /** Serializes the state as of journal record {@code index} and hands it to the writer. Pipeline thread. */
  private void take(long index) {
    long t0 = System.nanoTime();
    try {
      long takenAt = clock.millis();
      CheckpointFile.beginHeader(buffer, sessionStartIndex, sessionStartEpochMs, index, takenAt, configSha256);
      progress.saveState(buffer);
      pipeline.saveState(buffer);
      section.saveState(buffer);
      pendingJournalIndex = index;
      pendingSessionStartIndex = sessionStartIndex;
      pendingSessionStartEpochMs = sessionStartEpochMs;
      pendingTakenAtEpochMs = takenAt;
      pendingStartNanos = t0;
      pendingPauseNanos = System.nanoTime() - t0;
    } catch (RuntimeException e) {
      // A bug in the serialization must not stop data taking: count it, keep going without this checkpoint.
      countFailure(index, "serialization failed: " + e, e);
      return;
    }
    lastTakenIndex = index;
    writing.set(true);
    try {
      writer.execute(writeTask);
    } catch (RejectedExecutionException e) {
      writing.set(false); // closing
    }
  }

  /** Writer thread: seal, check space, write atomically, prune. */
  private void writeBuffered() {
    long index = pendingJournalIndex;
    try {
      int size = CheckpointFile.seal(buffer);
      long free = store.usableBytes();
      if (free - size < reserveBytes) {
        throw new IOException("only " + free + " bytes free in " + store.directory().toAbsolutePath() + "; writing "
            + size + " bytes would leave less than the reserve of " + reserveBytes + " bytes (the journal's floor)");
      }
      Path file = store.write(buffer.array(), size, index);
      if (!othersRemoved) {
        // Checkpoints of earlier sessions (or of a journal since wiped) can never be used again, and one
        // with a higher journal index would otherwise outlive this session's in the pruning below.
        deleted.addAndGet(store.deleteOtherSessions(pendingSessionStartIndex, pendingSessionStartEpochMs));
        othersRemoved = true;
      }
      deleted.addAndGet(store.prune(kept));
      long writeNanos = System.nanoTime() - pendingStartNanos;
      lastWritten = new Written(index, pendingTakenAtEpochMs, size, pendingPauseNanos, writeNanos);
      if (written.incrementAndGet() == 1) {
        LOG.info("checkpoints: first written, {} ({} bytes, {} µs on the pipeline thread, {} ms in all); one every {} s, "
            + "the newest {} kept in {}", file.getFileName(), size, pendingPauseNanos / 1000, writeNanos / 1_000_000,
            intervalNanos * 1e-9, kept, store.directory().toAbsolutePath());
      }
      synchronized (this) {
        if (failureStreak > 0) {
          LOG.info("checkpoint written again after {} failed attempt(s): {}", failureStreak, file.getFileName());
          failureStreak = 0;
        }
      }
      LOG.debug("checkpoint {} written: {} bytes, {} µs on the pipeline thread, {} ms in all", file.getFileName(), size,
          pendingPauseNanos / 1000, writeNanos / 1_000_000);
    } catch (IOException | RuntimeException e) {
      countFailure(index, e.toString(), null);
    } finally {
      writing.set(false);
    }
  }

  private void countFailure(long index, String why, Throwable e) {
    failed.incrementAndGet();
    lastFailure = why;
    synchronized (this) { // pipeline thread (serialization) or writer thread; rare
      if (failureStreak++ == 0) {
        LOG.warn("checkpoint at journal index 0x{} not written ({}); the daemon carries on, recovery would use an "
            + "older checkpoint or replay the whole session. Further failures are counted in "
            + "nudaq_state_checkpoints_failed_total until one succeeds", Long.toHexString(index), why, e);
      } else {
        LOG.debug("checkpoint at journal index 0x{} not written: {}", Long.toHexString(index), why);
      }
    }
  }

  /** Checkpoints written. */
  public long written() {
    return written.get();
  }

  /** Checkpoints that could not be serialized or written. */
  public long failed() {
    return failed.get();
  }

  /** Checkpoints deleted: older ones beyond the newest {@code kept}, and those of other sessions. */
  public long deleted() {
    return deleted.get();
  }

  /**
   * The last checkpoint written, all its numbers of the same one; {@link Written#NONE} before the first.
   * Read it once where several of its numbers go together (any thread).
   */
  public Written lastWritten() {
    return lastWritten;
  }

  /** Journal index of the last snapshot written, or −1. */
  public long lastJournalIndex() {
    return lastWritten.journalIndex();
  }

  /** When the last snapshot written was taken, epoch ms (0 before the first). */
  public long lastTakenAtEpochMs() {
    return lastWritten.takenAtEpochMs();
  }

  /** Time from the start of serialization to the rename of the last snapshot written, ns. */
  public long lastWriteNanos() {
    return lastWritten.writeNanos();
  }

  /** Time the pipeline thread spent serializing the last snapshot written, ns. */
  public long lastPauseNanos() {
    return lastWritten.pauseNanos();
  }

  /** Size of the last snapshot written, bytes. */
  public long lastSizeBytes() {
    return lastWritten.sizeBytes();
  }

  /** Why the last failed checkpoint failed, or null. */
  public String lastFailure() {
    return lastFailure;
  }

  /** The checkpoint interval, ns (0: disabled). */
  public long intervalNanos() {
    return intervalNanos;
  }

  public CheckpointStore store() {
    return store;
  }

  /**
   * Waits until the checkpoints handed to the writer so far are written (or failed); false on timeout.
   * For tests and orderly shutdowns; never called on the pipeline thread in steady state.
   */
  public boolean awaitWrites(long timeout, TimeUnit unit) throws InterruptedException {
    try {
      writer.submit(() -> {}).get(timeout, unit);
      return true;
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      return false;
    } catch (RejectedExecutionException e) {
      return writer.awaitTermination(timeout, unit);
    }
  }

  /** Waits for a write in flight (up to 10 s) and stops the writer thread. */
  @Override
  public void close() {
    writer.shutdown();
    try {
      if (!writer.awaitTermination(10, TimeUnit.SECONDS)) {
        LOG.warn("checkpoint writer did not finish within 10 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
