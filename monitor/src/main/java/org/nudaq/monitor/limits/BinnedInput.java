package org.nudaq.monitor.limits;

/**
 * The binned ON/OFF data and model over which a limit is computed, as plain arrays indexed by
 * energy bin (the energy ↔ bin mapping is the caller's business).
 *
 * <p>Units: live times in days; the rates are expected counts per day <em>in the bin</em> (already
 * multiplied by detector mass and bin width). Any other time unit works if live times and rates
 * use it consistently. {@code unitSignalRatePerDay[i]} is the rate for X = 1, where X is the
 * squared parameter in the caller's unit scale (e.g. μν² in (1e-11 μB)² or qν² in (1e-12 e0)²).
 *
 * <p>The window is the bin range {@code [firstBin, endBinExclusive)}. Bins inside it whose unit
 * signal rate is 0 carry no information on X and are ignored by every method.
 *
 * <p>The arrays are not copied (so a record built over preallocated arrays costs nothing);
 * {@code equals} compares them by identity. The caller must not modify them while a computation
 * that uses this input runs; the record is then safe to share between threads.
 *
 * @param onCounts ON counts n_i ≥ 0
 * @param offCounts OFF counts m_i ≥ 0
 * @param onLiveTimeDays ON live time t_on &gt; 0
 * @param offLiveTimeDays OFF live time t_off &gt; 0
 * @param weakRatePerDay expected weak (Standard Model) rate w_i ≥ 0 per bin, counts/day
 * @param unitSignalRatePerDay expected signal rate s_i ≥ 0 per bin for X = 1, counts/day
 * @param firstBin first bin of the analysis window (inclusive)
 * @param endBinExclusive end of the analysis window (exclusive)
 */
public record BinnedInput(
    long[] onCounts,
    long[] offCounts,
    double onLiveTimeDays,
    double offLiveTimeDays,
    double[] weakRatePerDay,
    double[] unitSignalRatePerDay,
    int firstBin,
    int endBinExclusive) {

  /** Checks shapes, window and live times; element values are checked where they are used. */
  public BinnedInput {
    if (onCounts == null || offCounts == null || weakRatePerDay == null
        || unitSignalRatePerDay == null) {
      throw new InvalidLimitInputException("binned input arrays must not be null");
    }
    int n = onCounts.length;
    if (offCounts.length != n || weakRatePerDay.length != n || unitSignalRatePerDay.length != n) {
      throw new InvalidLimitInputException("binned input arrays differ in length: onCounts=" + n
          + " offCounts=" + offCounts.length + " weakRatePerDay=" + weakRatePerDay.length
          + " unitSignalRatePerDay=" + unitSignalRatePerDay.length);
    }
    checkWindowAndLiveTimes(n, onLiveTimeDays, offLiveTimeDays, firstBin, endBinExclusive);
  }

  /** Number of bins in the window. */
  public int windowBins() {
    return endBinExclusive - firstBin;
  }

  static void checkWindowAndLiveTimes(
      int bins, double onLiveTimeDays, double offLiveTimeDays, int firstBin, int endBinExclusive) {
    if (firstBin < 0 || endBinExclusive > bins || firstBin >= endBinExclusive) {
      throw new InvalidLimitInputException("analysis window outside the bins: firstBin=" + firstBin
          + " endBinExclusive=" + endBinExclusive + " bins=" + bins);
    }
    if (!(onLiveTimeDays > 0.0) || !(offLiveTimeDays > 0.0)
        || Double.isInfinite(onLiveTimeDays) || Double.isInfinite(offLiveTimeDays)) {
      throw new InvalidLimitInputException("live times must be finite and > 0: onLiveTimeDays="
          + onLiveTimeDays + " offLiveTimeDays=" + offLiveTimeDays);
    }
  }

  static void checkBin(int bin, long n, long m, double w, double s) {
    if (n < 0 || m < 0 || !(w >= 0.0) || !(s >= 0.0) || Double.isInfinite(w)
        || Double.isInfinite(s)) {
      throw new InvalidLimitInputException("bad bin content: bin=" + bin + " onCounts=" + n
          + " offCounts=" + m + " weakRatePerDay=" + w + " unitSignalRatePerDay=" + s);
    }
  }
}
