package org.nudaq.server.journal;

import java.io.File;
import java.nio.file.Path;
import java.util.function.LongSupplier;

/**
 * The size of the journal directory's files for the status page and the metrics, without listing the
 * directory at every read (both read it every second or two, and a journal keeps up to
 * journal.retentionCycles files): the total is measured again when the last record appended lies in
 * another cycle than at the last measurement (a roll), when the retention has deleted files since, or
 * when the measurement is older than {@link #MAX_AGE_NANOS} (Chronicle grows the current cycle file by
 * blocks as records are appended).
 *
 * <p>Thread-safety: any thread (synchronized: measurements are rare and short).
 */
final class JournalSize {
  /** A measurement is used at most this long, ns (the journal's housekeeping period). */
  static final long MAX_AGE_NANOS = JournalWriter.HOUSEKEEPING_NANOS;

  private final Path dir;
  /** Something that changes when the files change: the cycle of the last record and the deletions. */
  private final LongSupplier cycle;
  private final LongSupplier deletions;
  private long measuredCycle;
  private long measuredDeletions;
  private long measuredAtNanos;
  private long bytes = -1;

  JournalSize(Path dir, LongSupplier cycle, LongSupplier deletions) {
    this.dir = dir;
    this.cycle = cycle;
    this.deletions = deletions;
  }

  /** Total size of the journal's files, bytes, as of the last measurement (see the class). */
  synchronized long bytes() {
    long c = cycle.getAsLong();
    long d = deletions.getAsLong();
    long now = System.nanoTime();
    if (bytes < 0 || c != measuredCycle || d != measuredDeletions || now - measuredAtNanos >= MAX_AGE_NANOS) {
      bytes = measure();
      measuredCycle = c;
      measuredDeletions = d;
      measuredAtNanos = now;
    }
    return bytes;
  }

  private long measure() {
    long total = 0;
    File[] files = dir.toFile().listFiles();
    if (files != null) {
      for (File f : files) {
        total += f.length();
      }
    }
    return total;
  }
}
