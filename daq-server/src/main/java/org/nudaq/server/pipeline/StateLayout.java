package org.nudaq.server.pipeline;

import java.util.Arrays;

/**
 * Which bytes of a saved pipeline state ({@link StateWriter}) are sums and which are positions only,
 * so that a segmented replay (issue 19, {@link SegmentJoin}) can compare two states "up to the sums"
 * and add one segment's sums onto another's. Everything not marked is state proper: two pipelines
 * whose unmarked bytes are equal behave the same on the same further input.
 *
 * <ul>
 *   <li>{@link Kind#LONG_SUM}: little-endian longs that only accumulate (counts, spectrum bins, time
 *       totals in ns): a segment's contribution is end − start, and contributions add exactly.
 *   <li>{@link Kind#DOUBLE_SUM}: doubles that only accumulate; a floating-point sum depends on the order
 *       of its terms, so a segment's terms are replayed one by one ({@link LiveTimeAccounting}'s term log).
 *   <li>{@link Kind#POSITION}: ring heads, sequence numbers and history no longer needed ahead: where,
 *       not what; not compared (what they point at is compared, or {@link SegmentJoin} compares it itself).
 *   <li>{@link Kind#PENDING}: sums whose destination a later decision sets (the open data-quality slices'
 *       times, counts and held candidates): not compared, kept from the segment's end, and corrected by
 *       {@link QualitySlices} once the decision is known.
 * </ul>
 *
 * <p>Single-threaded, like the writer that fills it.
 */
public final class StateLayout {
  /** What a marked range holds. */
  public enum Kind { LONG_SUM, DOUBLE_SUM, POSITION, PENDING }

  private static final Kind[] KINDS = Kind.values();
  private int[] ranges = new int[3 * 64];
  private int count;

  void clear() {
    count = 0;
  }

  void add(Kind kind, int from, int to) {
    if (3 * count + 3 > ranges.length) {
      ranges = Arrays.copyOf(ranges, 2 * ranges.length);
    }
    ranges[3 * count] = kind.ordinal();
    ranges[3 * count + 1] = from;
    ranges[3 * count + 2] = to;
    count++;
  }

  /** Ranges marked, in byte order. */
  public int size() {
    return count;
  }

  public Kind kind(int i) {
    return KINDS[ranges[3 * i]];
  }

  /** First byte of range {@code i}. */
  public int from(int i) {
    return ranges[3 * i + 1];
  }

  /** One past its last byte. */
  public int to(int i) {
    return ranges[3 * i + 2];
  }

  /** An independent copy (the writer's layout is reused for the next state). */
  public StateLayout copy() {
    StateLayout c = new StateLayout();
    c.ranges = Arrays.copyOf(ranges, Math.max(3, 3 * count));
    c.count = count;
    return c;
  }
}
