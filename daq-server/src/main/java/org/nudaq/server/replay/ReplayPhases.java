package org.nudaq.server.replay;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Where a command-line replay spends its wall and CPU time, phase by phase (issue 19: what keeps the
 * whole command on two cores from 2× the one-core command). Off unless the JVM runs with
 * {@code -Dnudaq.replay.phases=true} ({@code NUDAQ_JAVA_OPTS}, docs/benchmarks.md); then each
 * {@link #mark} prints one line on the given stream: the phase's name, its wall time and the CPU time the
 * calling thread and the whole process (every thread: the segments, the JIT, the collector) spent in it,
 * and the wall time since the process started ({@link #sinceProcessStartNs}: the JVM's own creation included,
 * which the JVM's start time, stamped once the JVM is up, leaves out).
 *
 * <p>One instance per command; single-threaded (call it from the command's thread).
 */
public final class ReplayPhases {
  /** The system property that turns the lines on. */
  public static final String PROPERTY = "nudaq.replay.phases";
  private final PrintStream out;
  /** System.nanoTime() at the process's start (only when the lines are on). */
  private final long processStartNanoTime;
  private long wallNs;
  private long threadCpuNs;
  private long processCpuNs;

  private ReplayPhases(PrintStream out) {
    this.out = out;
    long now = System.nanoTime();
    // Only when asked for: a replay without the lines reads no /proc file and loads no management class here.
    this.processStartNanoTime = out == null ? 0 : now - sinceProcessStartNs();
    if (out != null) {
      wallNs = now;
      threadCpuNs = ReplayTasks.threadCpuNs();
      processCpuNs = processCpuNs();
      out.printf(Locale.US, "phase %-22s at %6.3f s since the process started, CPU process %6.3f s%n", "(process start to here)",
          (now - processStartNanoTime) * 1e-9, processCpuNs * 1e-9);
    }
  }

  /** No lines (every mark does nothing). */
  public static ReplayPhases off() {
    return new ReplayPhases(null);
  }

  /** Timings printed on {@code out} whatever the system property. */
  static ReplayPhases printingOn(PrintStream out) {
    return new ReplayPhases(out);
  }

  /** Timings printed on {@code err} when {@value #PROPERTY} is true, else none (every mark does nothing). */
  public static ReplayPhases fromSystemProperty(PrintStream err) {
    return new ReplayPhases(Boolean.getBoolean(PROPERTY) ? err : null);
  }

  /** Ends the phase called {@code name} (begun at the previous mark, or at construction) and prints its line. */
  public void mark(String name) {
    if (out == null) {
      return;
    }
    long w = System.nanoTime();
    long t = ReplayTasks.threadCpuNs();
    long p = processCpuNs();
    out.printf(Locale.US, "phase %-22s wall %6.3f s, CPU this thread %6.3f s, process %6.3f s; at %6.3f s%n", name, (w - wallNs) * 1e-9,
        (t - threadCpuNs) * 1e-9, (p - processCpuNs) * 1e-9, (w - processStartNanoTime) * 1e-9);
    wallNs = w;
    threadCpuNs = t;
    processCpuNs = p;
  }

  /** Prints {@code line} (a detail of the phase under way, e.g. one segment's own times) when the lines are on. */
  public void detail(String format, Object... args) {
    if (out != null) {
      out.printf(Locale.US, "phase   " + format + "%n", args);
    }
  }

  /** Nanoseconds of wall time since the phase under way began (for a detail's times; 0 when off). */
  public long sincePhaseStartNs(long nanoTime) {
    return out == null ? 0 : nanoTime - wallNs;
  }

  /**
   * Nanoseconds since this process started: on Linux {@code /proc/uptime} (10 ms resolution) minus the process's
   * start in {@code /proc/self/stat} (field 22, clock ticks of 1/100 s: Linux's USER_HZ), both counted from the
   * boot, so to 10 ms. Elsewhere (or if they cannot be read) since the JVM's start time
   * ({@code RuntimeMXBean.getStartTime}, stamped once the JVM is created: 50–90 ms after the process started on
   * this 2-core VM under load). Not {@code ProcessHandle.current().info().startInstant()}: the JDK adds the start
   * in ticks to the boot time of {@code /proc/stat}, which is whole seconds, so that instant is up to 1 s early
   * (0.54–0.59 s here).
   */
  static long sinceProcessStartNs() {
    try {
      String stat = Files.readString(Path.of("/proc/self/stat"));
      // After the command name in parentheses (which may hold spaces): field 3 (state) on; field 22 is the start.
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long startTicks = Long.parseLong(fields[22 - 3]);
      String uptime = Files.readString(Path.of("/proc/uptime"));
      double uptimeSeconds = Double.parseDouble(uptime.substring(0, uptime.indexOf(' ')));
      return Math.round((uptimeSeconds - startTicks / USER_HZ) * 1e9);
    } catch (IOException | RuntimeException e) {
      return (System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime()) * 1_000_000L;
    }
  }

  /** Clock ticks per second of /proc's times (Linux's USER_HZ, 100 on every architecture it runs nudaq on). */
  private static final double USER_HZ = 100.0;

  private static long processCpuNs() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }
}
