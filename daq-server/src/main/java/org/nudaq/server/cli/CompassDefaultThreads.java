package org.nudaq.server.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.nudaq.server.compass.CompassImport;

/**
 * How many cores {@code nudaq replay --compass} uses when {@code --threads} is not given (issue 19: start-up):
 * every core for a run large enough that cutting it in time pays, one core for a small one. Cutting one run
 * ({@code compass.SegmentedCompassImport}) costs a fixed ~0.03 s of CPU on the calling thread (the cut, the
 * segments' threads, the joins) and halves on 2 cores the time of the events, ~0.13 µs per record of 20 bytes
 * in a cold JVM's C1 code (0.25-0.28 s for 2e6 records on one core); below ~4.6e5 records (~9 MB) the cut
 * cannot shorten even a quiet machine's wall time and only adds CPU. Measured (docs/benchmarks.md, "Session 6:
 * replay start-up"): one core against the critical path of two segments plus the joins, 4e5 records 0.07 s
 * against 0.08 s, 1e6 records 0.15 s against 0.12 s, 2e6 records 0.26 s against 0.17 s. Like the launcher's
 * choice of C1 alone below 100 MB, decided by the files' size, read without opening them.
 *
 * <p>Stateless; thread-safe.
 */
final class CompassDefaultThreads {
  /** Below this many bytes of list files one core is used (the break-even above, rounded up). */
  static final long MIN_BYTES_TO_CUT = 10_000_000;

  private CompassDefaultThreads() {}

  /**
   * The cores to replay {@code dir} on: {@code cores} when its list files (those {@link CompassImport#runFolders}
   * and {@link CompassImport#listFiles} find) hold at least {@link #MIN_BYTES_TO_CUT} bytes, else 1. A folder
   * that cannot be listed gets {@code cores}: the import itself then says what is wrong.
   */
  static int of(Path dir, int cores) {
    if (cores < 2) {
      return cores;
    }
    long bytes = 0;
    try {
      for (Path run : CompassImport.runFolders(dir)) {
        for (Path f : CompassImport.listFiles(run)) {
          bytes += Files.size(f);
          if (bytes >= MIN_BYTES_TO_CUT) {
            return cores;
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      return cores;
    }
    return 1;
  }
}
