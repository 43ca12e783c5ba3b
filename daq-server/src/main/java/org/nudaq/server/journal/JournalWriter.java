package org.nudaq.server.journal;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;
import org.nudaq.monitor.config.JournalConfig;
import org.nudaq.server.ingest.IngestRecorder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends every pipeline input to the journal (a Chronicle Queue) before it reaches the pipeline:
 * one excerpt per validated frame (a frame is a batch of events), and one per state change. The
 * format is {@link JournalFormat}. Once {@code frame(...)} returns the frame is in the memory-mapped
 * queue file, which survives a crash of the process (kill -9); the operating system writes it to the
 * disk within its dirty-page interval (a power cut can lose those last seconds).
 *
 * <p>Also enforces the retention (closed cycle files beyond {@code retentionCycles} are deleted) and
 * watches the free disk space against the alarm threshold, at most every {@link #HOUSEKEEPING_NANOS}.
 *
 * <p>Thread-safety: a single writer — the pipeline thread — calls every write method (the appender
 * is created on first use there); the counters may be read from any thread.
 */
public final class JournalWriter implements IngestRecorder, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(JournalWriter.class);
  /** How often retention and free space are checked, ns. */
  static final long HOUSEKEEPING_NANOS = 10_000_000_000L;

  private final Path dir;
  private final JournalConfig config;
  private final Clock clock;
  private final SingleChronicleQueue queue;
  private ExcerptAppender appender;
  private long lastHousekeepingNanos = Long.MIN_VALUE;
  private final AtomicLong records = new AtomicLong();
  private final AtomicLong frames = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();
  private final AtomicLong deletedCycleFiles = new AtomicLong();
  private volatile long lastIndex = -1;
  private volatile long lastAppendEpochMs;
  private volatile boolean diskAlarm;

  /** Opens (creating if needed) the journal in {@code dir}. */
  public JournalWriter(Path dir, JournalConfig config, Clock clock) {
    this.dir = dir;
    this.config = config;
    this.clock = clock;
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new JournalException("cannot create the journal dir=" + dir.toAbsolutePath() + ": " + e.getMessage(), e);
    }
    this.queue = JournalQueues.open(dir, config.rollCycle(), false);
  }

  public Path directory() {
    return dir;
  }

  private Bytes<?> begin(DocumentContext dc, int type) {
    Bytes<?> b = dc.wire().bytes();
    b.writeUnsignedByte(type);
    b.writeLong(clock.millis());
    return b;
  }

  private ExcerptAppender appender() {
    if (appender == null) {
      appender = queue.createAppender();
    }
    return appender;
  }

  private void appended(DocumentContext dc, long size) {
    records.incrementAndGet();
    bytes.addAndGet(size);
    lastIndex = dc.index();
    lastAppendEpochMs = clock.millis();
  }

  @Override
  public void frame(int boardId, byte[] data, int length, long framesLostBefore) {
    try (DocumentContext dc = appender().writingDocument()) {
      Bytes<?> b = begin(dc, JournalFormat.TYPE_FRAME);
      b.writeInt(boardId);
      b.writeLong(framesLostBefore);
      b.writeInt(length);
      b.write(data, 0, length);
      appended(dc, JournalFormat.FRAME_DATA_OFFSET + length);
    }
    frames.incrementAndGet();
  }

  @Override
  public void linkState(int boardId, boolean up) {
    try (DocumentContext dc = appender().writingDocument()) {
      Bytes<?> b = begin(dc, JournalFormat.TYPE_LINK);
      b.writeInt(boardId);
      b.writeUnsignedByte(up ? 1 : 0);
      appended(dc, JournalFormat.BODY_OFFSET + 5);
    }
  }

  @Override
  public void idle(long wallClockNanos) {
    try (DocumentContext dc = appender().writingDocument()) {
      begin(dc, JournalFormat.TYPE_IDLE).writeLong(wallClockNanos);
      appended(dc, JournalFormat.BODY_OFFSET + 8);
    }
    if (lastHousekeepingNanos == Long.MIN_VALUE || wallClockNanos - lastHousekeepingNanos >= HOUSEKEEPING_NANOS) {
      lastHousekeepingNanos = wallClockNanos;
      housekeeping();
    }
  }

  @Override
  public void reactorState(boolean on, long effectiveTimeNs) {
    try (DocumentContext dc = appender().writingDocument()) {
      Bytes<?> b = begin(dc, JournalFormat.TYPE_REACTOR);
      b.writeUnsignedByte(on ? 1 : 0);
      b.writeLong(effectiveTimeNs);
      appended(dc, JournalFormat.BODY_OFFSET + 9);
    }
  }

  /** The start of a session and the configuration in force (its YAML text). */
  public void session(String configSource, String configYaml) {
    byte[] src = configSource.getBytes(StandardCharsets.UTF_8);
    byte[] yaml = configYaml.getBytes(StandardCharsets.UTF_8);
    try (DocumentContext dc = appender().writingDocument()) {
      Bytes<?> b = begin(dc, JournalFormat.TYPE_SESSION);
      b.writeInt(src.length);
      b.write(src);
      b.writeInt(yaml.length);
      b.write(yaml);
      appended(dc, JournalFormat.BODY_OFFSET + 8 + src.length + yaml.length);
    }
  }

  /** A run start or stop from the control API. */
  public void run(boolean running, long runNumber) {
    try (DocumentContext dc = appender().writingDocument()) {
      Bytes<?> b = begin(dc, JournalFormat.TYPE_RUN);
      b.writeUnsignedByte(running ? 1 : 0);
      b.writeLong(runNumber);
      appended(dc, JournalFormat.BODY_OFFSET + 9);
    }
  }

  @Override
  public void finished() {
    try (DocumentContext dc = appender().writingDocument()) {
      begin(dc, JournalFormat.TYPE_CLOSED);
      appended(dc, JournalFormat.BODY_OFFSET);
    }
  }

  /** Deletes cycle files beyond the retention and updates the disk alarm. Pipeline thread. */
  void housekeeping() {
    if (config.retentionCycles() > 0) {
      List<Path> cycles = cycleFiles();
      // The newest file is the one being written; keep it and retentionCycles closed ones before it.
      for (int i = 0; i < cycles.size() - 1 - config.retentionCycles(); i++) {
        try {
          Files.deleteIfExists(cycles.get(i));
          deletedCycleFiles.incrementAndGet();
          LOG.info("journal retention: deleted {}", cycles.get(i).getFileName());
        } catch (IOException e) {
          LOG.warn("journal retention: cannot delete {}: {}", cycles.get(i), e.getMessage());
        }
      }
    }
    boolean alarm = freeBytes() < config.diskFreeAlarmBytes();
    if (alarm && !diskAlarm) {
      LOG.warn("journal dir={}: only {} bytes free, below the alarm threshold journal.diskFreeAlarmGiB={}",
          dir.toAbsolutePath(), freeBytes(), config.diskFreeAlarmGiB());
    }
    diskAlarm = alarm;
  }

  /** The queue's cycle files, oldest first (their names sort by time). */
  List<Path> cycleFiles() {
    List<Path> out = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      s.filter(p -> p.getFileName().toString().endsWith(".cq4")).sorted().forEach(out::add);
    } catch (IOException e) {
      LOG.warn("journal dir={}: cannot list: {}", dir, e.getMessage());
    }
    return out;
  }

  /** Total size of the journal's files, bytes (any thread; lists the directory). */
  public long sizeBytes() {
    long total = 0;
    File[] files = dir.toFile().listFiles();
    if (files != null) {
      for (File f : files) {
        total += f.length();
      }
    }
    return total;
  }

  /** Usable space on the journal's file system, bytes. */
  public long freeBytes() {
    return dir.toFile().getUsableSpace();
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
    return deletedCycleFiles.get();
  }

  /** The index of the last record appended, or −1. */
  public long lastIndex() {
    return lastIndex;
  }

  /** When the last record was appended, epoch ms (0 before the first). */
  public long lastAppendEpochMs() {
    return lastAppendEpochMs;
  }

  /** Whether free space is below the configured alarm threshold (as of the last check). */
  public boolean diskAlarm() {
    return diskAlarm;
  }

  @Override
  public void close() {
    if (appender != null) {
      appender.close();
    }
    queue.close();
  }
}
