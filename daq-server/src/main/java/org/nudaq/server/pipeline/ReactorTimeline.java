package org.nudaq.server.pipeline;

/**
 * The reactor-state changes in data time: (timeNs, state index, thermal power as a fraction of
 * nominal) appended in time order, from status frames (gates.reactorStateSource = digitizer), from
 * the control API or a reactor timeline file (control). Only real changes are stored (another state,
 * or the same state at another power); a report older than the newest change is ignored and counted
 * (boards report the same truth, so an older report carries no news). Keeps the last
 * {@code capacity} changes.
 *
 * <p>Single-threaded (the pipeline thread); allocation-free.
 */
final class ReactorTimeline {
  private final long[] timeNs;
  private final int[] state;
  private final double[] power;
  private final int capacity;
  private final int mask;
  private long count;
  private int lastState = ReactorState.UNKNOWN.ordinal();
  private double lastPower = 0;
  private long lastTimeNs = Long.MIN_VALUE;
  private long ignoredOutOfOrder;

  /** @param capacity changes kept, a power of two (ring indices are masks, not long divisions) */
  ReactorTimeline(int capacity) {
    if (Integer.bitCount(capacity) != 1) {
      throw new IllegalArgumentException("pipeline: reactor timeline capacity must be a power of two, got capacity=" + capacity);
    }
    this.capacity = capacity;
    this.mask = capacity - 1;
    timeNs = new long[capacity];
    state = new int[capacity];
    power = new double[capacity];
  }

  /**
   * The power fraction a state has when its source gives none: nominal (1) when ON, 0 otherwise
   * (an OFF reactor makes no antineutrinos; an UNKNOWN interval is never analysed).
   */
  static double defaultPower(int stateIndex) {
    return stateIndex == ReactorState.ON.ordinal() ? 1.0 : 0.0;
  }

  /** Records that the state is {@code stateIndex} (at its default power) from {@code t} on. */
  boolean append(long t, int stateIndex) {
    return append(t, stateIndex, defaultPower(stateIndex));
  }

  /**
   * Records that the state is {@code stateIndex} at {@code powerFraction} of nominal thermal power
   * from {@code t} on; false if it is no change or too old.
   */
  boolean append(long t, int stateIndex, double powerFraction) {
    if (stateIndex == lastState && powerFraction == lastPower) {
      return false;
    }
    if (t < lastTimeNs) {
      ignoredOutOfOrder++;
      return false;
    }
    int i = (int) count & mask;
    timeNs[i] = t;
    state[i] = stateIndex;
    power[i] = powerFraction;
    count++;
    lastState = stateIndex;
    lastPower = powerFraction;
    lastTimeNs = t;
    return true;
  }

  /** Number of changes ever appended (the sequence number of the next one). */
  long count() {
    return count;
  }

  /** Oldest sequence number still held. */
  long oldest() {
    return Math.max(0, count - capacity);
  }

  long timeAt(long seq) {
    return timeNs[(int) seq & mask];
  }

  int stateAt(long seq) {
    return state[(int) seq & mask];
  }

  double powerAt(long seq) {
    return power[(int) seq & mask];
  }

  /** The time of the newest change, ns (Long.MIN_VALUE before any): reports older than it are ignored. */
  long lastTimeNs() {
    return lastTimeNs;
  }

  long ignoredOutOfOrder() {
    return ignoredOutOfOrder;
  }

  /** The state at time {@code t} (the newest change at or before t), UNKNOWN before any. */
  int stateAtTime(long t) {
    for (long q = count - 1; q >= oldest(); q--) {
      if (timeAt(q) <= t) {
        return stateAt(q);
      }
    }
    return ReactorState.UNKNOWN.ordinal();
  }

  /** The newest change at or before {@code t}, or -1 before any. */
  long seqAtTime(long t) {
    for (long q = count - 1; q >= oldest(); q--) {
      if (timeAt(q) <= t) {
        return q;
      }
    }
    return -1;
  }

  /**
   * Adds to {@code outNs[state]} the part of [fromNs, toNs) spent in each state, and to
   * {@code outPowerNs[state]} the same parts weighted by the power fraction then (ns × fraction).
   */
  void split(long fromNs, long toNs, long[] outNs, double[] outPowerNs) {
    long a = fromNs;
    long q0 = seqAtTime(fromNs);
    int s = q0 < 0 ? ReactorState.UNKNOWN.ordinal() : stateAt(q0);
    double p = q0 < 0 ? 0 : powerAt(q0);
    for (long q = oldest(); q < count && a < toNs; q++) {
      long t = timeAt(q);
      if (t <= a) {
        continue;
      }
      long end = Math.min(t, toNs);
      outNs[s] += end - a;
      outPowerNs[s] += (end - a) * p;
      a = end;
      s = stateAt(q);
      p = powerAt(q);
    }
    if (a < toNs) {
      outNs[s] += toNs - a;
      outPowerNs[s] += (toNs - a) * p;
    }
  }

  // --- checkpoints -----------------------------------------------------------------------------

  private static final int STATE_TAG = StateWriter.tag("TLNE");

  /** Writes the changes still held (at most {@code capacity}, oldest first) and the bookkeeping. */
  void saveState(StateWriter out) {
    out.section(STATE_TAG);
    out.putInt(capacity);
    out.putPositionLong(count);
    out.putInt(lastState);
    out.putDouble(lastPower);
    out.putPositionLong(lastTimeNs); // what it means ahead: EventPipeline.saveAhead
    out.putSumLong(ignoredOutOfOrder);
    int history = out.beginHistory(); // the changes still ahead are compared by SegmentJoin itself
    for (long q = oldest(); q < count; q++) {
      out.putLong(timeAt(q));
      out.putInt(stateAt(q));
      out.putDouble(powerAt(q));
    }
    out.endHistory(history);
  }

  void restoreState(StateReader in) {
    in.section(STATE_TAG, "reactor timeline");
    in.expectInt("timeline.capacity", capacity);
    int at = in.offset();
    count = in.getLong();
    if (count < 0) {
      throw new StateFormatException("timeline.count=" + count + " is negative", at);
    }
    lastState = in.getInt();
    lastPower = in.getDouble();
    lastTimeNs = in.getLong();
    ignoredOutOfOrder = in.getLong();
    // Same ring positions as when saved (sequence & mask): readers index by sequence number.
    for (long q = oldest(); q < count; q++) {
      int i = (int) q & mask;
      timeNs[i] = in.getLong();
      state[i] = in.getInt();
      power[i] = in.getDouble();
    }
  }
}
