package org.nudaq.server.pipeline;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nudaq.monitor.config.SlowControlConfig;

/**
 * The slow-control data-quality rules in data time (issue 18): a reading that violates a rule (e.g.
 * {@code ln2Level < 20}) opens an exclusion of that rule at the reading's data time, the next reading that
 * does not closes it. While any rule is violated the {@link DecisionStage} gates HPGe events
 * ({@link GateReason#SLOW_CONTROL}) and books the real time as gated, in the same union with the muon and
 * transition gates, so the live time after gates loses it once. This class keeps the rule boundaries in
 * data-time order and, per rule, the data time it excluded ({@link #excludedSecondsByRule}).
 *
 * <p>Boundaries are applied when the stage's clock reaches them; one whose data time has already passed
 * applies from the clock (counted in {@link #lateReadings()}), as reactor-state changes do. A reading of a
 * sensor the configuration does not know (a replay with another configuration) is ignored and counted.
 *
 * <p>Single-threaded (the pipeline thread), except {@link #excludedSecondsByRule} and the counters, which
 * read an immutable copy published by {@link #publish}. Allocation-free except in {@link #publish}.
 */
public final class SlowControlGate {
  private static final int CAPACITY = 4096;

  private final List<SlowControlConfig.Rule> rules;
  private final String[] ruleSensor;
  // Boundaries not applied yet: a ring in data-time order.
  private final long[] bTime = new long[CAPACITY];
  private final int[] bRule = new int[CAPACITY];
  private final boolean[] bViolated = new boolean[CAPACITY];
  private int bHead;
  private int bSize;
  /** Per rule: violated after every queued boundary (what a new reading is compared with). */
  private final boolean[] queuedViolated;
  private final long[] queuedTimeNs;
  /** Per rule: violated at the clock, since when (data time), and the excluded time of closed intervals, ns. */
  private final boolean[] active;
  private final long[] sinceNs;
  private final long[] excludedNs;
  private int activeCount;
  private long readings;
  private long unknownSensorReadings;
  private long lateReadings;
  private long droppedBoundaries;
  private volatile Map<String, Double> published = Map.of();

  SlowControlGate(SlowControlConfig config) {
    rules = config.rules();
    int n = rules.size();
    ruleSensor = new String[n];
    for (int r = 0; r < n; r++) {
      ruleSensor[r] = rules.get(r).sensor();
    }
    queuedViolated = new boolean[n];
    queuedTimeNs = new long[n];
    java.util.Arrays.fill(queuedTimeNs, Long.MIN_VALUE);
    active = new boolean[n];
    sinceNs = new long[n];
    excludedNs = new long[n];
    Map<String, Double> zero = new LinkedHashMap<>();
    for (SlowControlConfig.Rule rule : rules) {
      zero.put(rule.label(), 0.0);
    }
    published = Collections.unmodifiableMap(zero);
  }

  /**
   * A reading of {@code sensor} applying from data time {@code effectiveTimeNs} (later than the rule's
   * previous boundary, or it applies with that one).
   *
   * @return true if it opened or closed a rule's exclusion
   */
  boolean reading(String sensor, double value, long effectiveTimeNs) {
    readings++;
    boolean known = false;
    boolean changed = false;
    for (int r = 0; r < ruleSensor.length; r++) {
      if (!ruleSensor[r].equals(sensor)) {
        continue;
      }
      known = true;
      boolean violated = rules.get(r).violatedBy(value);
      if (violated == queuedViolated[r]) {
        continue;
      }
      if (bSize == CAPACITY) {
        droppedBoundaries++; // thousands of unapplied boundaries: the data clock does not advance
        continue;
      }
      long at = Math.max(effectiveTimeNs, queuedTimeNs[r]);
      int i = (bHead + bSize) % CAPACITY;
      // Keep the ring in time order: a boundary earlier than the last queued one applies with it.
      if (bSize > 0) {
        at = Math.max(at, bTime[(bHead + bSize - 1) % CAPACITY]);
      }
      bTime[i] = at;
      bRule[i] = r;
      bViolated[i] = violated;
      bSize++;
      queuedViolated[r] = violated;
      queuedTimeNs[r] = at;
      changed = true;
    }
    if (!known) {
      unknownSensorReadings++;
    }
    return changed;
  }

  /** The data time of the next boundary to apply, or Long.MAX_VALUE. */
  long nextBoundaryNs() {
    return bSize == 0 ? Long.MAX_VALUE : bTime[bHead];
  }

  /** Applies the boundaries at or before {@code clockNs} (the stage's clock), from the clock. */
  void applyUpTo(long clockNs) {
    while (bSize > 0 && bTime[bHead] <= clockNs) {
      if (bTime[bHead] < clockNs) {
        lateReadings++;
      }
      int r = bRule[bHead];
      boolean violated = bViolated[bHead];
      bHead = (bHead + 1) % CAPACITY;
      bSize--;
      if (violated && !active[r]) {
        active[r] = true;
        sinceNs[r] = clockNs;
        activeCount++;
      } else if (!violated && active[r]) {
        active[r] = false;
        excludedNs[r] += clockNs - sinceNs[r];
        activeCount--;
      }
    }
  }

  /** Whether some rule excludes the data at the clock. */
  boolean excluding() {
    return activeCount > 0;
  }

  /** Publishes the excluded time per rule up to {@code clockNs} for readers; pipeline thread. */
  void publish(long clockNs) {
    Map<String, Double> m = new LinkedHashMap<>();
    for (int r = 0; r < ruleSensor.length; r++) {
      long ns = excludedNs[r] + (active[r] ? Math.max(0, clockNs - sinceNs[r]) : 0);
      m.merge(rules.get(r).label(), ns * 1e-9, Double::sum);
    }
    published = Collections.unmodifiableMap(m);
  }

  /**
   * Data time excluded by each rule up to the last published snapshot, s, keyed by the rule's label
   * ({@code "ln2Level < 20"}), in configuration order. Each rule counts its own time: where two rules
   * overlap, both count it (the live time loses it once). Any thread.
   */
  public Map<String, Double> excludedSecondsByRule() {
    return published;
  }

  /** Readings applied (pipeline thread). */
  public long readings() {
    return readings;
  }

  /** Readings of a sensor no rule watches. */
  public long unknownSensorReadings() {
    return unknownSensorReadings;
  }

  /** Boundaries whose data time had passed when the clock applied them (they apply from the clock). */
  public long lateReadings() {
    return lateReadings;
  }

  // --- checkpoints -----------------------------------------------------------------------------

  private static final int STATE_TAG = StateWriter.tag("SLOW");

  void saveState(StateWriter out) {
    out.section(STATE_TAG);
    out.putInt(ruleSensor.length);
    out.putInt(bSize);
    for (int k = 0; k < bSize; k++) {
      int i = (bHead + k) % CAPACITY;
      out.putLong(bTime[i]);
      out.putInt(bRule[i]);
      out.putBoolean(bViolated[i]);
    }
    out.putBooleans(queuedViolated);
    out.putLongs(queuedTimeNs);
    out.putBooleans(active);
    out.putLongs(sinceNs);
    out.putSumLongs(excludedNs);
    out.putSumLong(readings);
    out.putSumLong(unknownSensorReadings);
    out.putSumLong(lateReadings);
    out.putSumLong(droppedBoundaries);
  }

  void restoreState(StateReader in) {
    in.section(STATE_TAG, "slow control");
    in.expectInt("slowControl.rules", ruleSensor.length);
    bHead = 0;
    bSize = in.getCount("slowControl.boundaries", CAPACITY);
    for (int i = 0; i < bSize; i++) {
      bTime[i] = in.getLong();
      int at = in.offset();
      bRule[i] = in.getInt();
      if (bRule[i] < 0 || bRule[i] >= ruleSensor.length) {
        throw new StateFormatException("slowControl.boundary rule " + bRule[i] + " is not a rule index", at);
      }
      bViolated[i] = in.getBoolean();
    }
    in.getBooleans("slowControl.queuedViolated", queuedViolated);
    in.getLongs("slowControl.queuedTimeNs", queuedTimeNs);
    in.getBooleans("slowControl.active", active);
    in.getLongs("slowControl.sinceNs", sinceNs);
    in.getLongs("slowControl.excludedNs", excludedNs);
    activeCount = 0;
    for (boolean a : active) {
      activeCount += a ? 1 : 0;
    }
    readings = in.getLong();
    unknownSensorReadings = in.getLong();
    lateReadings = in.getLong();
    droppedBoundaries = in.getLong();
  }
}
