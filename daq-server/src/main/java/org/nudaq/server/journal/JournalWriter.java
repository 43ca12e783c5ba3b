package org.nudaq.server.journal;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.core.time.TimeProvider;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.nudaq.monitor.config.JournalConfig;
import org.nudaq.monitor.journal.JournalRecordLayout;
import org.nudaq.server.ingest.IngestRecorder;
import org.nudaq.server.ingest.RecordingRefusedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends every pipeline input to the journal (a Chronicle Queue) before it reaches the pipeline:
 * one excerpt per validated frame (a frame is a batch of events), and one per state change. The
 * format is {@link JournalRecordLayout}. Once {@code frame(...)} returns the frame is in the memory-mapped
 * queue file, which survives a crash of the process (kill -9); the operating system writes it to the
 * disk within its dirty-page interval (a power cut can lose those last seconds).
 *
 * <p>Also enforces the retention (closed cycle files beyond {@code retentionCycles} are deleted) and
 * watches the free disk space against the alarm threshold, at most every {@link #HOUSEKEEPING_NANOS}.
 *
 * <p>Disk full: Chronicle writes through a memory-mapped file, and a write to a page the full file
 * system cannot back is a SIGBUS, which the JVM turns into an {@link InternalError} thrown at some
 * later point of the writing thread (or a crash) — not a clean exception of the append. So the writer
 * never lets it come to that: it probes the usable space at least every {@link #PROBE_EVERY_BYTES}
 * appended and refuses to append ({@link #accepting()} false, appends throw
 * {@link RecordingRefusedException}) while it is below {@link #floorBytes()} — by default one
 * Chronicle block plus its overlap, the most a mapped region can still touch. While refusing it
 * re-probes about every {@link #FULL_RECHECK_NANOS} and resumes when space returns. An append that
 * fails anyway is rolled back and refused the same way. That state machine is {@link DiskSpaceGuard}'s.
 *
 * <p>Thread-safety: a single writer — the pipeline thread — calls every write method (the appender
 * is created on first use there); the counters may be read from any thread.
 *
 * <p>Size: just over the ~400-line rule: one short method per record type (its body layout, built
 * in a {@link RecordBody}; one {@code append} opens, copies and commits every record but a frame, or
 * refuses it) and the counters the metrics read; the disk-full rules and the retention are
 * {@link DiskSpaceGuard}'s and {@link JournalRetention}'s.
 */
public final class JournalWriter implements IngestRecorder, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(JournalWriter.class);
  /** How often retention and free space are checked, ns. */
  static final long HOUSEKEEPING_NANOS = 10_000_000_000L;
  /** Free space is probed again after this many bytes appended (far below the floor), bytes. */
  public static final long PROBE_EVERY_BYTES = 1L << 20;
  /** Free space is probed at least this often while appending, ns. */
  public static final long PROBE_EVERY_NANOS = 1_000_000_000L;
  /** While the disk is full, free space is probed again after this long, ns. */
  public static final long FULL_RECHECK_NANOS = 1_000_000_000L;

  /** Usable space of the journal's file system, bytes. A test seam; called on the pipeline thread and by the metrics (any thread). */
  @FunctionalInterface
  public interface FreeSpaceProbe {
    /** The real one: {@link File#getUsableSpace()} of the journal directory. */
    FreeSpaceProbe FILE_SYSTEM = dir -> dir.toFile().getUsableSpace();

    long usableBytes(Path dir);
  }

  private final Path dir;
  private final JournalConfig config;
  private final Clock clock;
  private final SingleChronicleQueue queue;
  /** This writer's claim on the directory, or null if the file system cannot lock the claim file. */
  private final WriterClaim claim;
  private ExcerptAppender appender;
  private long lastHousekeepingNanos = Long.MIN_VALUE;
  private final AtomicLong records = new AtomicLong();
  private final AtomicLong frames = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();
  /** Deletes closed cycle files beyond journal.retentionCycles. */
  private final JournalRetention retention;
  private volatile long lastIndex = -1;
  private volatile long lastAppendEpochMs;
  /** Whether appends may start: free space against the floor, failed appends, a faulted mapped file. */
  private final DiskSpaceGuard space;
  /** The body of the record being written (every record but a frame); see {@link RecordBody}. */
  private final RecordBody body = new RecordBody();
  private volatile java.util.Map<Integer, Long> linksAtStop = java.util.Map.of();
  private final JournalSize size;

  /** Opens (creating if needed) the journal in {@code dir}; the real free-space probe and the default floor. */
  public JournalWriter(Path dir, JournalConfig config, Clock clock) {
    this(dir, config, clock, FreeSpaceProbe.FILE_SYSTEM, -1);
  }

  /**
   * As above with the free-space probe and the floor below which appends stop, bytes (−1: one
   * Chronicle block plus its overlap).
   */
  public JournalWriter(Path dir, JournalConfig config, Clock clock, FreeSpaceProbe probe, long floorBytes) {
    this(dir, config, clock, probe, floorBytes, null);
  }

  /**
   * As above with the time Chronicle names and rolls the cycle files by (a test seam: tests write a
   * session over several hourly cycles in milliseconds; null is the system clock).
   */
  public JournalWriter(Path dir, JournalConfig config, Clock clock, FreeSpaceProbe probe, long floorBytes,
      TimeProvider cycleTime) {
    this.dir = dir;
    this.config = config;
    this.clock = clock;
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new JournalException("cannot create the journal directory " + dir.toAbsolutePath() + ": " + e.getMessage(), e);
    }
    // Only one writer per journal: a second daemon stops here with a one-line error (JournalException).
    this.claim = WriterClaim.acquire(dir);
    try {
      this.queue = JournalQueues.open(dir, config.rollCycle(), false, cycleTime);
    } catch (RuntimeException e) {
      if (claim != null) {
        claim.close();
      }
      throw e;
    }
    // A write lock left by a writer that died with an append open is freed now: Chronicle would
    // wait 15 s and fail every append if this process had the dead one's id (see WriterClaim).
    if (claim != null) {
      try {
        claim.releaseStaleWriteLock(queue);
      } catch (RuntimeException e) {
        LOG.warn("journal {}: cannot check the queue's write lock: {}", dir.toAbsolutePath(), e.toString());
      }
    }
    this.retention = new JournalRetention(dir, queue.rollCycle(), config.retentionCycles());
    this.size = new JournalSize(dir, this::lastCycle, retention::deletedCycleFiles);
    this.space = new DiskSpaceGuard(dir, probe, floorBytes >= 0 ? floorBytes : queue.blockSize() + queue.overlapSize(),
        config.diskFreeAlarmBytes());
  }

  @Override
  public boolean accepting() {
    return space.accepting(bytes.get());
  }

  /**
   * A fault of the mapped file surfaced outside an append (the JVM delivers the InternalError of a
   * SIGBUS asynchronously, at a later point of the writing thread): appends stop as for a fault inside
   * one, for the rest of this process ({@link #mappedFault()}). Pipeline thread.
   */
  @Override
  public void faulted(Throwable e) {
    space.failed(null, e);
  }

  public Path directory() {
    return dir;
  }

  /**
   * Starts a record: checks the space, opens the document and writes the type and time. Every step
   * that touches the mapped file can fail (a SIGBUS becomes an InternalError): the record is then
   * refused, never half-written.
   */
  private DocumentContext open(int type) {
    return open(type, clock.millis());
  }

  private DocumentContext open(int type, long epochMs) {
    space.requireAccepting(bytes.get());
    DocumentContext dc;
    try {
      dc = appender().writingDocument();
    } catch (RuntimeException | InternalError e) {
      throw space.failed(null, e);
    }
    try {
      Bytes<?> b = dc.wire().bytes();
      b.writeUnsignedByte(type);
      b.writeLong(epochMs);
      return dc;
    } catch (RuntimeException | InternalError e) {
      throw space.failed(dc, e);
    }
  }

  /** Completes a record whose body is written ({@code size} bytes in all); a failure refuses it. */
  private void commit(DocumentContext dc, long size) {
    long index;
    try {
      index = dc.index();
      dc.close();
    } catch (RuntimeException | InternalError e) {
      throw space.failed(dc, e);
    }
    records.incrementAndGet();
    bytes.addAndGet(size);
    lastIndex = index;
    lastAppendEpochMs = clock.millis();
  }

  private ExcerptAppender appender() {
    if (appender == null) {
      appender = queue.createAppender();
    }
    return appender;
  }

  @Override
  public void frame(int boardId, byte[] data, int length, long framesLostBefore) {
    DocumentContext dc = open(JournalRecordLayout.TYPE_FRAME);
    try {
      Bytes<?> b = dc.wire().bytes();
      b.writeInt(boardId);
      b.writeLong(framesLostBefore);
      b.writeInt(length);
      b.write(data, 0, length);
    } catch (RuntimeException | InternalError e) {
      throw space.failed(dc, e);
    }
    commit(dc, JournalRecordLayout.FRAME_DATA_OFFSET + length);
    frames.incrementAndGet();
  }

  @Override
  public void linkState(int boardId, boolean up) {
    append(JournalRecordLayout.TYPE_LINK, clock.millis(), body.clear().i32(boardId).u8(up ? 1 : 0));
  }

  @Override
  public void idle(long wallClockNanos) {
    append(JournalRecordLayout.TYPE_IDLE, clock.millis(), body.clear().i64(wallClockNanos));
    if (lastHousekeepingNanos == Long.MIN_VALUE || wallClockNanos - lastHousekeepingNanos >= HOUSEKEEPING_NANOS) {
      lastHousekeepingNanos = wallClockNanos;
      housekeeping();
    }
  }

  @Override
  public void reactorState(org.nudaq.server.pipeline.ReactorState state, double powerFraction, long effectiveTimeNs) {
    boolean on = state == org.nudaq.server.pipeline.ReactorState.ON;
    boolean plain = state != org.nudaq.server.pipeline.ReactorState.UNKNOWN && powerFraction == (on ? 1.0 : 0.0);
    body.clear().u8(plain ? (on ? 1 : 0) : state.ordinal() == 0 ? 0 : on ? 1 : 2).i64(effectiveTimeNs);
    if (!plain) {
      body.f64(powerFraction);
    }
    append(plain ? JournalRecordLayout.TYPE_REACTOR : JournalRecordLayout.TYPE_REACTOR_POWER, clock.millis(), body);
  }

  /**
   * The start of a session and the configuration in force (its YAML text).
   *
   * @return the session as a reader finds it (its index and the wall-clock time in its record)
   */
  public JournalSession session(String configSource, String configYaml) {
    long epochMs = clock.millis(); // the session's identity is (index, this time)
    append(JournalRecordLayout.TYPE_SESSION, epochMs, body.clear().utf8(configSource).utf8(configYaml));
    return new JournalSession(lastIndex, epochMs, configSource, configYaml, false);
  }

  /**
   * An online calibration of one HPGe channel (issue 17), journaled before the pipeline applies it; the
   * body as {@code monitor.calibration.CalibrationCodec} encodes it.
   */
  public void calibration(byte[] calibrationBody) {
    append(JournalRecordLayout.TYPE_CALIBRATION, clock.millis(), body.clear().bytes(calibrationBody));
  }

  /**
   * A RUN record (a run start or stop without comment or summary). The daemon no longer writes one: its
   * runs are RUN_START and RUN_STOP records ({@link #runStart}, {@link #runStop}). Kept so that tests can
   * write what journals of earlier versions hold, and copy such journals, as the readers still read them.
   */
  public void legacyRun(boolean running, long runNumber) {
    append(JournalRecordLayout.TYPE_RUN, clock.millis(), body.clear().u8(running ? 1 : 0).i64(runNumber));
  }

  /** A run start from the control API (RUN_START), journaled with the wall-clock time {@code epochMs} the shift record shows. */
  public void runStart(long epochMs, long runNumber, String comment, String configSha256) {
    append(JournalRecordLayout.TYPE_RUN_START, epochMs, body.clear().i64(runNumber).utf8(comment).utf8(configSha256));
  }

  /** A run stop from the control API with the run summary as JSON text (RUN_STOP). */
  public void runStop(long epochMs, long runNumber, String comment, String summaryJson) {
    append(JournalRecordLayout.TYPE_RUN_STOP, epochMs, body.clear().i64(runNumber).utf8(comment).utf8(summaryJson));
  }

  /** A logbook entry (LOGBOOK); {@code kind} is the LogKind ordinal. */
  public void logbook(long epochMs, int kind, String author, String text) {
    append(JournalRecordLayout.TYPE_LOGBOOK, epochMs, body.clear().u8(kind).utf8(author).utf8(text));
  }

  /** A slow-control reading (SLOW_CONTROL) applying from data time {@code effectiveTimeNs}. */
  public void slowControl(long epochMs, String sensor, double value, long readingEpochMs, long effectiveTimeNs) {
    append(JournalRecordLayout.TYPE_SLOW_CONTROL, epochMs,
        body.clear().utf8(sensor).f64(value).i64(readingEpochMs).i64(effectiveTimeNs));
  }

  /**
   * The board links' numbering at the stop, for the CLOSED record (board id → the last sequence number each link
   * passed on or counted lost, u64): set by the daemon's stop once its links have ended, before the pipeline
   * finishes. Any thread.
   */
  public void linksAtStop(java.util.Map<Integer, Long> lastNumbered) {
    linksAtStop = new java.util.TreeMap<>(lastNumbered);
  }

  @Override
  public void finished() {
    java.util.Map<Integer, Long> links = linksAtStop;
    RecordBody b = body.clear().i32(links.size());
    for (java.util.Map.Entry<Integer, Long> e : links.entrySet()) {
      b.i32(e.getKey()).i64(e.getValue());
    }
    append(JournalRecordLayout.TYPE_CLOSED, clock.millis(), b);
  }

  /**
   * Every record but a frame: opens it, copies the body in and commits it, or refuses it when any step
   * touching the mapped file fails. (A frame writes its bytes straight from the link's array: one copy
   * fewer on the per-frame path.)
   */
  private void append(int type, long epochMs, RecordBody recordBody) {
    DocumentContext dc = open(type, epochMs);
    try {
      dc.wire().bytes().write(recordBody.array(), 0, recordBody.length());
    } catch (RuntimeException | InternalError e) {
      throw space.failed(dc, e);
    }
    commit(dc, JournalRecordLayout.BODY_OFFSET + recordBody.length());
  }

  /**
   * The retention keeps the cycle file holding the journal index {@code index} supplies (and every
   * later one), even beyond {@code retentionCycles}: the daemon passes the journal index of the newest
   * checkpoint of the running session (written, or restored by the recovery), so that a crash can
   * always restore it and replay the journal after it, also when the session's SESSION record has been
   * deleted. Bounded: never more than {@code 2 × retentionCycles} closed files are kept for it (a
   * checkpoint that keeps failing must not fill the disk). Called once, before the pipeline thread starts.
   */
  public void retainCycleOf(LongSupplier index) {
    retention.keepCycleOf(index);
  }

  /**
   * Deletes cycle files beyond the retention ({@link JournalRetention}) and updates the disk alarm.
   * Pipeline thread: called from {@link #idle} every {@link #HOUSEKEEPING_NANOS}; public for tests that
   * emulate the pipeline thread.
   */
  public void housekeeping() {
    retention.deleteOldCycles();
    space.checkAlarm(config.diskFreeAlarmGiB());
  }

  /** See {@link JournalRetention#cycleFileName}. */
  String cycleFileName(long index) {
    return retention.cycleFileName(index);
  }

  /** See {@link JournalRetention#cycleFiles}. */
  List<Path> cycleFiles() {
    return retention.cycleFiles();
  }

  /**
   * Total size of the journal's files, bytes (any thread): measured again at a roll, after the retention
   * deleted files, and at least every 10 s ({@link JournalSize}), not at every call.
   */
  public long sizeBytes() {
    return size.bytes();
  }

  /** Usable space on the journal's file system (through the free-space probe), bytes; any thread. */
  public long freeBytes() {
    return space.freeBytes();
  }

  public long records() {
    return records.get();
  }

  public long frames() {
    return frames.get();
  }

  public long bytesAppended() {
    return bytes.get();
  }

  public long deletedCycleFiles() {
    return retention.deletedCycleFiles();
  }

  /** Times the retention kept a file beyond retentionCycles for the newest checkpoint ({@link #retainCycleOf}). */
  public long retainedForCheckpoint() {
    return retention.retainedForCheckpoint();
  }

  /** The index of the last record appended, or −1. */
  /** The cycle of the last record appended, or −1 before the first (Chronicle refuses index −1). */
  private long lastCycle() {
    long index = lastIndex;
    return index < 0 ? -1 : queue.rollCycle().toCycle(index);
  }

  public long lastIndex() {
    return lastIndex;
  }

  /** When the last record was appended, epoch ms (0 before the first). */
  public long lastAppendEpochMs() {
    return lastAppendEpochMs;
  }

  /** Whether appends are stopped because free space is below {@link #floorBytes()} (as of the last probe). */
  public boolean diskFull() {
    return space.full();
  }

  /** Below this much usable space appends stop, bytes. */
  public long floorBytes() {
    return space.floorBytes();
  }

  /** How many times appends stopped for lack of space. */
  public long diskFullEpisodes() {
    return space.episodes();
  }

  /** Appends refused (or failed and rolled back) for lack of space; each is retried by the pipeline thread. */
  public long refusedAppends() {
    return space.refusedAppends();
  }

  /** Whether the journal's mapped file faulted (SIGBUS): appends stay stopped until the daemon restarts. */
  public boolean mappedFault() {
    return space.mappedFault();
  }

  /** Whether free space is below the configured alarm threshold (as of the last check). */
  public boolean diskAlarm() {
    return space.alarm();
  }

  @Override
  public void close() {
    try {
      if (appender != null) {
        appender.close();
      }
      queue.close();
    } finally {
      if (claim != null) {
        claim.close();
      }
    }
  }
}
