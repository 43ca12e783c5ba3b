package org.nudaq.server.replay;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * Where a command-line replay spends its wall and CPU time, phase by phase (issue 19: what keeps the
 * whole command on two cores from 2× the one-core command). Off unless the JVM runs with
 * {@code -Dnudaq.replay.phases=true} ({@code NUDAQ_JAVA_OPTS}, docs/benchmarks.md); then each
 * {@link #mark} prints one line on the given stream: the phase's name, its wall time and the CPU time the
 * calling thread and the whole process (every thread: the segments, the JIT, the collector) spent in it,
 * and the wall time since the JVM started.
 *
 * <p>One instance per command; single-threaded (call it from the command's thread).
 */
public final class ReplayPhases {
  /** The system property that turns the lines on. */
  public static final String PROPERTY = "nudaq.replay.phases";
  private final PrintStream out;
  private final long jvmStartMs;
  private long wallNs;
  private long threadCpuNs;
  private long processCpuNs;

  private ReplayPhases(PrintStream out) {
    this.out = out;
    this.jvmStartMs = out == null ? 0 : ManagementFactory.getRuntimeMXBean().getStartTime();
    if (out != null) {
      wallNs = System.nanoTime();
      threadCpuNs = ReplayTasks.threadCpuNs();
      processCpuNs = processCpuNs();
      out.printf(Locale.US, "phase %-22s at %6.3f s since the JVM started, CPU process %6.3f s%n", "(JVM start to here)",
          (System.currentTimeMillis() - jvmStartMs) * 1e-3, processCpuNs * 1e-9);
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
        (t - threadCpuNs) * 1e-9, (p - processCpuNs) * 1e-9, (System.currentTimeMillis() - jvmStartMs) * 1e-3);
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

  private static long processCpuNs() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }
}
