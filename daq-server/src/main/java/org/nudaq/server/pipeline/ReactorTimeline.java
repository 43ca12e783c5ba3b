package org.nudaq.server.pipeline;

/**
 * The reactor-state changes in data time: (timeNs, state index) pairs appended in time order, from
 * status frames (gates.reactorStateSource = digitizer) or from the control API (control). Only real
 * changes are stored; a report older than the newest change is ignored and counted (boards report
 * the same truth, so an older report carries no news). Keeps the last {@code capacity} changes.
 *
 * <p>Single-threaded (the pipeline thread); allocation-free.
 */
final class ReactorTimeline {
  private final long[] timeNs;
  private final int[] state;
  private final int capacity;
  private final int mask;
  private long count;
  private int lastState = ReactorState.UNKNOWN.ordinal();
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
  }

  /** Records that the state is {@code stateIndex} from {@code t} on; false if it is no change or too old. */
  boolean append(long t, int stateIndex) {
    if (stateIndex == lastState) {
      return false;
    }
    if (t < lastTimeNs) {
      ignoredOutOfOrder++;
      return false;
    }
    int i = (int) count & mask;
    timeNs[i] = t;
    state[i] = stateIndex;
    count++;
    lastState = stateIndex;
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

  /** Adds to {@code outNs[state]} the part of [fromNs, toNs) spent in each state. */
  void split(long fromNs, long toNs, long[] outNs) {
    long a = fromNs;
    int s = stateAtTime(fromNs);
    for (long q = oldest(); q < count && a < toNs; q++) {
      long t = timeAt(q);
      if (t <= a) {
        continue;
      }
      long end = Math.min(t, toNs);
      outNs[s] += end - a;
      a = end;
      s = stateAt(q);
    }
    if (a < toNs) {
      outNs[s] += toNs - a;
    }
  }

  // --- state snapshots -----------------------------------------------------------------------------

  private static final int STATE_TAG = StateWriter.tag("TLNE");

  /** Writes the changes still held (at most {@code capacity}, oldest first) and the bookkeeping. */
  void saveState(StateWriter out) {
    out.section(STATE_TAG);
    out.putInt(capacity);
    out.putLong(count);
    out.putInt(lastState);
    out.putLong(lastTimeNs);
    out.putLong(ignoredOutOfOrder);
    for (long q = oldest(); q < count; q++) {
      out.putLong(timeAt(q));
      out.putInt(stateAt(q));
    }
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
    lastTimeNs = in.getLong();
    ignoredOutOfOrder = in.getLong();
    // Same ring positions as when saved (sequence & mask): readers index by sequence number.
    for (long q = oldest(); q < count; q++) {
      int i = (int) q & mask;
      timeNs[i] = in.getLong();
      state[i] = in.getInt();
    }
  }
}
