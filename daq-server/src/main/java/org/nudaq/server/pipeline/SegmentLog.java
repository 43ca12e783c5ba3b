package org.nudaq.server.pipeline;

import java.util.Arrays;

/**
 * What a speculative segment of a segmented replay (issue 19, {@link SegmentJoin}) did after its
 * start that a plain end − start difference of its state cannot carry: the terms added to
 * floating-point sums, in order (rounding depends on the order), and the data-quality verdicts with
 * what they were judged on (the verdict depends on the mean of all good slices before, which a
 * segment started later does not know). A growable array of longs; allocates as it grows, so it is
 * only switched on in segmented replays, never in the daemon.
 *
 * <p>Single-threaded (the pipeline thread of the segment).
 */
final class SegmentLog {
  private long[] values = new long[1024];
  private int size;

  void add(long a, long b) {
    if (size + 2 > values.length) {
      values = Arrays.copyOf(values, 2 * values.length);
    }
    values[size++] = a;
    values[size++] = b;
  }

  void add(long a, long b, long c, long d) {
    add(a, b);
    add(c, d);
  }

  int size() {
    return size;
  }

  long get(int i) {
    return values[i];
  }
}
