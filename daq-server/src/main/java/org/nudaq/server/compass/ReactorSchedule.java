package org.nudaq.server.compass;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.nudaq.server.pipeline.ReactorState;
import org.nudaq.server.reactor.ReactorTransition;

/**
 * The reactor state of a CoMPASS import in data time, fed to the pipeline just ahead of the records
 * it applies to. Data time is the CoMPASS time stamp (ps since the run start); a timeline's instant
 * {@code T} is data time {@code T − runStart}. A record at time stamp {@code ts} is in the state of
 * the last transition at or before its time in board ticks ({@code floor(ts / tick) × tick}): the
 * ON/OFF split follows the timeline to the record, at the resolution of one tick.
 *
 * <p>Single-threaded (the import's thread).
 */
final class ReactorSchedule {
  private final long[] timePs;
  private final ReactorState[] state;
  private final double[] power;
  private final String description;
  private int next;

  private ReactorSchedule(long[] timePs, ReactorState[] state, double[] power, String description) {
    this.timePs = timePs;
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
      t[i] = toPs(Duration.between(start, tr.at()));
      s[i] = tr.state();
      p[i] = tr.powerFraction();
    }
    String from = options.runStart() != null ? "--run-start " + start : "run.info time.start " + start;
    return new ReactorSchedule(t, s, p, "reactor timeline, " + n + " transitions; time stamp 0 = " + from);
  }

  private static long toPs(Duration d) {
    try {
      return Math.multiplyExact(d.toNanos(), 1000L);
    } catch (ArithmeticException e) {
      return d.isNegative() ? Long.MIN_VALUE / 2 : Long.MAX_VALUE / 2;
    }
  }

  /** Gives the pipeline every transition before data time {@code endPs} not given yet. */
  void feedBefore(CompassInputs pipeline, long endPs) {
    while (next < timePs.length && timePs[next] < endPs) {
      pipeline.setReactorState(state[next], power[next], Math.floorDiv(timePs[next], 1000));
      next++;
    }
  }

  /** How many transitions have been given (a followed run folder journals it to resume from). */
  int given() {
    return next;
  }

  /** Resumes after {@code given} transitions were given before a restart. */
  void resumeAfter(int given) {
    next = Math.max(0, Math.min(given, timePs.length));
  }

  /** Where the state comes from, for the run summary. */
  String description() {
    return description;
  }
}
