package org.nudaq.server.metrics;

import java.util.ArrayList;
import java.util.List;
import org.nudaq.monitor.analysis.ExperimentResult;

/**
 * The last {@code capacity} limit results, oldest first, for the "limits over time" plot. A result
 * is added only when it is new (a later {@code computedAt} than the newest kept).
 *
 * <p>Thread-safety: synchronised; {@link #results()} returns a copy.
 */
public final class LimitsHistory {
  private final ExperimentResult[] ring;
  private int next;
  private int size;

  public LimitsHistory(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("limits history: capacity must be >= 1, got " + capacity);
    }
    ring = new ExperimentResult[capacity];
  }

  /** Adds the result unless it is null or not newer than the newest kept; true if added. */
  public synchronized boolean offer(ExperimentResult r) {
    if (r == null) {
      return false;
    }
    if (size > 0) {
      ExperimentResult newest = ring[(next - 1 + ring.length) % ring.length];
      if (!r.computedAt().isAfter(newest.computedAt())) {
        return false;
      }
    }
    ring[next] = r;
    next = (next + 1) % ring.length;
    size = Math.min(size + 1, ring.length);
    return true;
  }

  /** The kept results, oldest first. */
  public synchronized List<ExperimentResult> results() {
    List<ExperimentResult> out = new ArrayList<>(size);
    int start = (next - size + ring.length) % ring.length;
    for (int i = 0; i < size; i++) {
      out.add(ring[(start + i) % ring.length]);
    }
    return out;
  }

  public int capacity() {
    return ring.length;
  }
}
