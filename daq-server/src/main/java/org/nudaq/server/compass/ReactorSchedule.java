package org.nudaq.server.compass;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.nudaq.server.pipeline.ReactorState;
import org.nudaq.server.reactor.ReactorTransition;

/**
 * The reactor state of a CoMPASS import in data time, fed to the pipeline just ahead of the records
 * it applies to. Data time is the CoMPASS time stamp on its run's base ({@link CompassTimeBase}: the first
 * run's time stamp 0 is data time 0); a timeline's instant {@code T} is data time {@code T − runStart}, kept in
 * ns (a timeline of years fits; in ps it would not past ~106.7 days). A record at time stamp {@code ts} is in the state of
 * the last transition at or before its time in board ticks ({@code floor(ts / tick) × tick}): the
 * ON/OFF split follows the timeline to the record, at the resolution of one tick.
 *
 * <p>Single-threaded (the import's thread).
 */
final class ReactorSchedule {
  private final long[] timeNs;
  private final ReactorState[] state;
  private final double[] power;
  private final String description;
  private int next;

  private ReactorSchedule(long[] timeNs, ReactorState[] state, double[] power, String description) {
    this.timeNs = timeNs;
    this.state = state;
    this.power = power;
    this.description = description;
  }

  /** The schedule of the options, or null if they give no reactor state. */
  static ReactorSchedule of(CompassImport.Options options, CompassRunInfo runInfo) {
    if (options.reactor() != null) {
      ReactorState s = options.reactor();
      return new ReactorSchedule(new long[] {0}, new ReactorState[] {s}, new double[] {s == ReactorState.ON ? 1.0 : 0.0},
          "one state for the whole folder: " + s + " (--reactor)");
    }
    List<ReactorTransition> timeline = options.timeline();
    if (timeline.isEmpty()) {
      return null;
    }
    Instant start = options.runStart() != null ? options.runStart() : runInfo.start();
    if (start == null) {
      throw new IllegalArgumentException("a reactor timeline needs the run's start time: give --run-start (e.g. 2026-03-01T12:00:00Z)"
          + " or keep CoMPASS's run.info (time.start) next to the list files"
          + (runInfo.problem() != null ? " (" + runInfo.problem() + ")" : ""));
    }
    int n = timeline.size();
    long[] t = new long[n];
    ReactorState[] s = new ReactorState[n];
    double[] p = new double[n];
    for (int i = 0; i < n; i++) {
      ReactorTransition tr = timeline.get(i);
      t[i] = toNs(Duration.between(start, tr.at()));
      s[i] = tr.state();
      p[i] = tr.powerFraction();
    }
    String from = options.runStart() != null ? "--run-start " + start : "run.info time.start " + start;
    return new ReactorSchedule(t, s, p, "reactor timeline, " + n + " transitions; time stamp 0 = " + from);
  }

  /** ns of a duration; beyond ±292 years (a long of ns) far before or after every run. */
  private static long toNs(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException e) {
      return d.isNegative() ? Long.MIN_VALUE / 2 : Long.MAX_VALUE / 2;
    }
  }

  /** Gives the pipeline every transition before data time {@code endNs} not given yet. */
  void feedBefore(CompassInputs pipeline, long endNs) {
    while (next < timeNs.length && timeNs[next] < endNs) {
      pipeline.setReactorState(state[next], power[next], timeNs[next]);
      next++;
    }
  }

  /** How many transitions have been given (a followed run folder journals it to resume from). */
  int given() {
    return next;
  }

  /** Resumes after {@code given} transitions were given before a restart. */
  void resumeAfter(int given) {
    next = Math.max(0, Math.min(given, timeNs.length));
  }

  /** Where the state comes from, for the run summary. */
  String description() {
    return description;
  }
}
