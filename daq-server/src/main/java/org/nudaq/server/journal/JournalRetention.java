package org.nudaq.server.journal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The journal's retention: keeps the cycle file being written and journal.retentionCycles closed ones
 * before it, and deletes older ones, except the cycle file that holds the newest checkpoint's journal
 * index and those after it (kept for the recovery, up to twice retentionCycles closed files).
 *
 * <p>Pipeline thread ({@link JournalWriter#housekeeping}); the counters may be read from any thread.
 */
final class JournalRetention {
  private static final Logger LOG = LoggerFactory.getLogger(JournalRetention.class);

  private final Path dir;
  private final RollCycle rollCycle;
  private final int retentionCycles;
  private final AtomicLong deletedCycleFiles = new AtomicLong();
  private final AtomicLong retainedForCheckpoint = new AtomicLong();
  /** The journal index whose cycle file is kept (the newest checkpoint's), or −1. */
  private LongSupplier keepIndex = () -> -1;
  private boolean retainLogged;

  /** @param retentionCycles closed cycle files kept (journal.retentionCycles; 0 keeps all) */
  JournalRetention(Path dir, RollCycle rollCycle, int retentionCycles) {
    this.dir = dir;
    this.rollCycle = rollCycle;
    this.retentionCycles = retentionCycles;
  }

  /** Keeps the cycle file of the index {@code index} supplies, and every later one; see {@link JournalWriter#retainCycleOf}. */
  void keepCycleOf(LongSupplier index) {
    this.keepIndex = index;
  }

  /** Deletes the closed cycle files beyond the retention. */
  void deleteOldCycles() {
    if (retentionCycles > 0) {
      List<Path> cycles = cycleFiles();
      // The newest file is the one being written; keep it and retentionCycles closed ones before it.
      int delete = cycles.size() - 1 - retentionCycles;
      int maxDelete = cycles.size() - 1 - 2 * retentionCycles;
      String keepFrom = cycleFileName(keepIndex.getAsLong());
      for (int i = 0; i < delete; i++) {
        Path file = cycles.get(i);
        if (keepFrom != null && file.getFileName().toString().compareTo(keepFrom) >= 0 && i >= maxDelete) {
          // Holds the newest checkpoint's journal index (or comes after it): kept for the recovery.
          retainedForCheckpoint.incrementAndGet();
          if (!retainLogged) {
            retainLogged = true;
            LOG.warn("journal retention: keeps {} and later beyond journal.retentionCycles ({}): it holds the journal index of the newest "
                + "checkpoint (recovery restores it and replays the journal after it); kept up to {} closed files",
                file.getFileName(), retentionCycles, 2 * retentionCycles);
          }
          continue;
        }
        try {
          Files.deleteIfExists(file);
          deletedCycleFiles.incrementAndGet();
          LOG.info("journal retention: deleted {}", file.getFileName());
        } catch (IOException e) {
          LOG.warn("journal retention: cannot delete {}: {}", file, e.getMessage());
        }
      }
    }
  }

  /**
   * The name of the cycle file that holds journal index {@code index} (Chronicle names a cycle's file
   * by its start time in the roll cycle's format, UTC), or null for a negative index.
   */
  String cycleFileName(long index) {
    if (index < 0) {
      return null;
    }
    RollCycle rc = rollCycle;
    long startMs = (long) rc.toCycle(index) * rc.lengthInMillis() + rc.defaultEpoch();
    return DateTimeFormatter.ofPattern(rc.format()).withZone(ZoneOffset.UTC).format(Instant.ofEpochMilli(startMs))
        + SingleChronicleQueue.SUFFIX;
  }

  /** The queue's cycle files, oldest first (their names sort by time). */
  List<Path> cycleFiles() {
    List<Path> out = new ArrayList<>();
    try (Stream<Path> s = Files.list(dir)) {
      s.filter(p -> p.getFileName().toString().endsWith(".cq4")).sorted().forEach(out::add);
    } catch (IOException e) {
      LOG.warn("journal {}: cannot list its files: {}", dir, e.getMessage());
    }
    return out;
  }

  long deletedCycleFiles() {
    return deletedCycleFiles.get();
  }

  long retainedForCheckpoint() {
    return retainedForCheckpoint.get();
  }
}
