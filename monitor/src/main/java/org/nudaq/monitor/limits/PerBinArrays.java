package org.nudaq.monitor.limits;

/**
 * The four per-bin arrays every limit construction reads: ON and OFF counts, the expected weak rate
 * and the signal rate for X = 1 (units as in {@link BinnedInput}), preallocated to a capacity and
 * exposed to be filled or read in place. What {@link RunningLimits} (its input bins) and
 * {@link AdaptiveRebinning} (its merged bins) both hold; which bins hold values and who fills them is
 * said by each of them.
 *
 * <p>Not thread-safe: the arrays belong to the owner thread of the subclass.
 */
abstract class PerBinArrays {
  protected final long[] onCounts;
  protected final long[] offCounts;
  protected final double[] weakRatePerDay;
  protected final double[] unitSignalRatePerDay;

  /** @param capacity the number of bins, &gt; 0 (checked by the subclass, whose message names it) */
  protected PerBinArrays(int capacity) {
    onCounts = new long[capacity];
    offCounts = new long[capacity];
    weakRatePerDay = new double[capacity];
    unitSignalRatePerDay = new double[capacity];
  }

  /** ON counts per bin; owned by this object. */
  public final long[] onCounts() {
    return onCounts;
  }

  /** OFF counts per bin; owned by this object. */
  public final long[] offCounts() {
    return offCounts;
  }

  /** Expected weak rate per bin, counts/day. */
  public final double[] weakRatePerDay() {
    return weakRatePerDay;
  }

  /** Expected signal rate per bin for X = 1, counts/day. */
  public final double[] unitSignalRatePerDay() {
    return unitSignalRatePerDay;
  }
}
