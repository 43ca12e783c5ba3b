package org.nudaq.server.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.nudaq.server.compass.CompassImport;

/**
 * How many cores {@code nudaq replay --compass} uses when {@code --threads} is not given (issue 19: start-up):
 * every core for a run large enough that cutting it in time pays, one core for a small one. Cutting one run
 * ({@code compass.SegmentedCompassImport}) costs a fixed ~0.03 s of CPU (the cut, the segments' threads, the
 * joins; since session 10 the cut runs on the second thread while segment 1 is fed, the joins on the calling
 * thread after the segments; the measurements below are from before) and halves on 2 cores the time of the events, ~0.13 µs per record of 20 bytes
 * in a cold JVM's C1 code (0.25-0.28 s for 2e6 records on one core); below ~4.6e5 records (~9 MB) the cut
 * cannot shorten even a quiet machine's wall time and only adds CPU. Measured (docs/benchmarks.md, "Session 6:
 * replay start-up"): one core against the critical path of two segments plus the joins, 4e5 records 0.07 s
 * against 0.08 s, 1e6 records 0.15 s against 0.12 s, 2e6 records 0.26 s against 0.17 s. Like the launcher's
 * choice of C1 alone below 500 MB, decided by the files' size, read without opening them.
 *
 * <p>Session 8 (docs/benchmarks.md, "Session 8: a small replay's fixed cost") moved the threshold from 10 MB to
 * 50 MB: the events got cheaper (bulk reads: one core ~0.09 µs per record, 0.18-0.20 s for 2e6 records) while the
 * joins did not (0.05 s of the calling thread's CPU), and two segments share the cores with C1's compile threads.
 * Whole commands, --threads 1 against 2, alternating: 2e6 records (40 MB) 0.395 s against 0.50 s of wall at load
 * ~3.3 (8 rounds), 0.325 s against 0.335 s at load ~5 (10 rounds), always 0.07-0.09 s less CPU on one core;
 * 4e6 records (80 MB, load ~3.5, 6 rounds) 0.55 s against 0.445 s: two cores pay from about there.
 *
 * <p>And one core when the machine has no idle core: a 1-minute load average (Linux's {@code /proc/loadavg};
 * ignored where there is none) at or above the cores. The second segment then only waits for a core, and the
 * cut and the joins are CPU added for nothing (session 8, docs/benchmarks.md: 1e6 events per channel at load
 * ~7 on 2 cores, --threads 1 against 2: 0.68 s against 0.76 s wall, 0.38 s against 0.46 s CPU). The result is
 * the same bits on one core or several (SegmentedCompassImport), so only the time depends on the load.
 *
 * <p>The cores are those this process may use ({@code Runtime.availableProcessors()}: its cgroup's CPU limit and
 * its affinity), the load average is the whole host's: in a container of 2 CPUs on a host of 16, a load of 5
 * leaves 11 CPUs idle, yet "5 &gt;= 2 cores" kept every replay on one core. So the load is compared with the
 * host's online CPUs ({@code /sys/devices/system/cpu/online}; the process's cores where that cannot be read):
 * the same rule where the process may use every CPU of the host. When the load keeps on one core a run large
 * enough to be cut, the replay says so in one line on stderr ({@link Choice#reason}): the load average also counts
 * the replays just before (a 1-minute average), so back-to-back replays can keep each other on one core;
 * {@code --threads} overrides the choice. A small run's one core is said by nothing (every small default replay
 * printed a line for it).
 *
 * <p>Stateless; thread-safe.
 */
final class CompassDefaultThreads {
  /** Below this many bytes of list files one core is used (the break-even above, rounded up). */
  static final long MIN_BYTES_TO_CUT = 50_000_000;
  private static final Path LOAD_AVERAGE = Path.of("/proc/loadavg");
  private static final Path ONLINE_CPUS = Path.of("/sys/devices/system/cpu/online");

  private CompassDefaultThreads() {}

  /**
   * The cores a replay uses and, when the load keeps a run large enough to be cut on fewer than it may use, why (a
   * small run's one core has no reason).
   *
   * @param cores  the cores chosen (at least 1)
   * @param reason one line for the operator when the load keeps a run large enough to be cut on fewer cores than the
   *               process may use, else null (a small run's one core is not said)
   */
  record Choice(int cores, String reason) {}

  /**
   * The cores to replay {@code dir} on, of the {@code cores} this process may use, with this machine's load
   * average and online CPUs (see {@link #of(Path, int, double, int)}).
   */
  static Choice of(Path dir, int cores) {
    return of(dir, cores, loadAverage(), onlineCpus());
  }

  /**
   * The cores to replay {@code dir} on: {@code cores} when its list files (those {@link CompassImport#runFolders}
   * and {@link CompassImport#listFiles} find) hold at least {@link #MIN_BYTES_TO_CUT} bytes, else 1 (no reason
   * given). A folder that cannot be listed counts as large: the import itself then says what is wrong. But a large
   * run gets 1, with the reason, when the host's 1-minute load average {@code load} (NaN: unknown, not considered)
   * is at least its {@code hostCpus} online CPUs (0: unknown, taken as {@code cores}; never fewer than
   * {@code cores}): no idle CPU.
   */
  static Choice of(Path dir, int cores, double load, int hostCpus) {
    if (cores < 2) {
      return new Choice(Math.max(cores, 1), null); // every core the process may use: nothing to say
    }
    if (!largeEnoughToCut(dir)) {
      // The size rule's one core: a small run replays on one core as a matter of course, without a line.
      return new Choice(1, null);
    }
    int busyAt = Math.max(hostCpus, cores);
    if (load >= busyAt) {
      return new Choice(1, String.format(Locale.ROOT, "replay on 1 core of %d: load average %.2f >= %s; --threads %d uses every core",
          cores, load, busyAt == cores ? cores + " cores" : "the host's " + busyAt + " CPUs", cores));
    }
    return new Choice(cores, null);
  }

  /** Whether the list files hold at least {@link #MIN_BYTES_TO_CUT} bytes; true when they cannot be listed. */
  private static boolean largeEnoughToCut(Path dir) {
    long bytes = 0;
    try {
      for (Path run : CompassImport.runFolders(dir)) {
        for (Path f : CompassImport.listFiles(run)) {
          bytes += Files.size(f);
          if (bytes >= MIN_BYTES_TO_CUT) {
            return true;
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      return true;
    }
    return false;
  }

  /** The 1-minute load average (the first field of Linux's /proc/loadavg), NaN where it cannot be read. */
  static double loadAverage() {
    try {
      String text = Files.readString(LOAD_AVERAGE);
      int end = text.indexOf(' ');
      return Double.parseDouble(end < 0 ? text.strip() : text.substring(0, end));
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  /** The host's online CPUs (Linux's /sys/devices/system/cpu/online, e.g. {@code 0-3,6}), 0 where it cannot be read. */
  static int onlineCpus() {
    try {
      return cpuCount(Files.readString(ONLINE_CPUS));
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  /** The CPUs of a Linux CPU list ({@code 0-3,6,8-9}: 7). */
  static int cpuCount(String list) {
    int n = 0;
    for (String part : list.strip().split(",")) {
      int dash = part.indexOf('-');
      n += dash < 0 ? 1 : Integer.parseInt(part.substring(dash + 1)) - Integer.parseInt(part.substring(0, dash)) + 1;
    }
    return n;
  }
}
