package org.nudaq.server.ingest;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A fixed-bucket histogram of latencies in nanoseconds, HdrHistogram-like with 3 bits of precision:
 * each power of two is split into 8 equal buckets, so a value is known to within 12.5%. Recording
 * allocates nothing (one array index and one atomic increment); values up to 2^62 ns.
 *
 * <p>Single writer (the pipeline thread), any number of readers: a reader sees every bucket's count
 * as of some moment during its read (counts only grow, so percentiles of an ongoing run are
 * consistent to within the frames recorded while reading). {@link #copy()} and {@link #minus} give
 * interval histograms.
 */
public final class LatencyRecorder {
  private static final int SUB_BITS = 3;
  private static final int SUB = 1 << SUB_BITS;
  /** Values below 8 ns have their own bucket each; then 8 buckets per power of two up to 2^62. */
  static final int BUCKETS = (63 - SUB_BITS) * SUB + SUB;

  private final AtomicLongArray counts;

  public LatencyRecorder() {
    this(new AtomicLongArray(BUCKETS));
  }

  private LatencyRecorder(AtomicLongArray counts) {
    this.counts = counts;
  }

  /** Records one latency, ns (negative values count as 0). */
  public void record(long nanos) {
    counts.incrementAndGet(bucket(Math.max(0, nanos)));
  }

  static int bucket(long v) {
    if (v < SUB) {
      return (int) v;
    }
    int exponent = 63 - Long.numberOfLeadingZeros(v); // >= SUB_BITS
    int sub = (int) (v >>> (exponent - SUB_BITS)) & (SUB - 1);
    return (exponent - SUB_BITS + 1) * SUB + sub;
  }

  /** The largest value that falls in bucket {@code index}, ns. */
  static long upperBound(int index) {
    if (index < SUB) {
      return index;
    }
    int exponent = index / SUB - 1 + SUB_BITS;
    int sub = index % SUB;
    long lower = (1L << exponent) + ((long) sub << (exponent - SUB_BITS));
    return lower + (1L << (exponent - SUB_BITS)) - 1;
  }

  public long count() {
    long n = 0;
    for (int i = 0; i < BUCKETS; i++) {
      n += counts.get(i);
    }
    return n;
  }

  /**
   * The value at {@code quantile} (0..1): the upper edge of the bucket holding it, ns (so at most
   * 12.5% above the true value); 0 when empty.
   */
  public long valueAtQuantile(double quantile) {
    long total = count();
    if (total == 0) {
      return 0;
    }
    long rank = Math.max(1, (long) Math.ceil(quantile * total));
    long seen = 0;
    for (int i = 0; i < BUCKETS; i++) {
      seen += counts.get(i);
      if (seen >= rank) {
        return upperBound(i);
      }
    }
    return upperBound(BUCKETS - 1);
  }

  /** A copy of the counts now (allocates; for readers). */
  public LatencyRecorder copy() {
    AtomicLongArray c = new AtomicLongArray(BUCKETS);
    for (int i = 0; i < BUCKETS; i++) {
      c.set(i, counts.get(i));
    }
    return new LatencyRecorder(c);
  }

  /** This histogram minus an earlier copy of it: what was recorded in between (allocates). */
  public LatencyRecorder minus(LatencyRecorder earlier) {
    AtomicLongArray c = new AtomicLongArray(BUCKETS);
    for (int i = 0; i < BUCKETS; i++) {
      c.set(i, counts.get(i) - earlier.counts.get(i));
    }
    return new LatencyRecorder(c);
  }
}
