package org.nudaq.monitor.limits;

/**
 * Merges adjacent bins of a window until each merged bin expects enough counts for the asymptotic
 * likelihood interval to hold: the few-count construction of {@link RunningLimits}.
 *
 * <p><b>Why.</b> In the first days a 0.1 keV bin holds a fraction of a count. The profile
 * likelihood then has one nuisance background per nearly empty bin and its asymptotic critical
 * values fail badly (toy coverage of a 90% interval: 70% after 6/3 days ON/OFF on the GEMMA-I
 * window, 0% after 2/1). Summing bins is exact for the model — a sum of independent Poisson counts
 * with means t(b_i + w_i + X s_i) is Poisson with mean t(Σb + Σw + X Σs), because all bins share
 * the ON and OFF live times — and with ≥ 20 counts per merged bin the interval covers (the table in
 * docs/analysis.md). What is lost is only shape information inside a merged bin, which matters
 * little for the smooth 1/T and 1/T² signal shapes and vanishes as the exposure grows (the merged
 * bins shrink back to single bins).
 *
 * <p><b>Rule.</b> Walking the window in bin order and skipping bins with s_i = 0 (masked or
 * without signal), bins are added to the current group until its OFF count m reaches
 * {@code minCounts} and its expected ON background count m·t_on/t_off does too; the group is then
 * closed. A last group that falls short is added to the previous one (or, if there is none, is the
 * only group). The groups depend on the OFF counts only, which carry no signal, so the binning is
 * the same for every true X. With one ON and one OFF live time for the whole window, groups may
 * span the boundary between two detectors' windows (the arrays are concatenated; the rates are
 * already scaled to common live times). With live times per bin, a group never mixes bins of
 * different live times, since only then is the merged bin exactly Poisson with one ON/OFF ratio.
 *
 * <p>The merged bins are bins {@code [0, bins())} of the arrays ({@link #onCounts()}, ... as
 * {@link PerBinArrays}). Preallocated to a capacity; no allocation per call. Not thread-safe (one
 * owner thread).
 */
public final class AdaptiveRebinning extends PerBinArrays {

  private final double[] onLiveTimeDays;
  private final double[] offLiveTimeDays;
  private int bins;

  /** @param capacity the largest number of bins a window will have */
  public AdaptiveRebinning(int capacity) {
    super(checkedCapacity(capacity));
    onLiveTimeDays = new double[capacity];
    offLiveTimeDays = new double[capacity];
  }

  /**
   * Merges the window {@code [firstBin, endBinExclusive)} of the arrays (units as in
   * {@link BinnedInput}) into the arrays of this object, bins {@code [0, bins())}.
   *
   * @param minCounts the expected ON and OFF counts a merged bin must reach, ≥ 1
   * @return the number of merged bins
   */
  public int merge(long[] on, long[] off, double onLiveTimeDays, double offLiveTimeDays,
      double[] weak, double[] signal, int firstBin, int endBinExclusive, long minCounts) {
    BinnedInput.checkWindowAndLiveTimes(
        on.length, onLiveTimeDays, offLiveTimeDays, firstBin, endBinExclusive);
    return mergeWindow(on, off, null, null, onLiveTimeDays, offLiveTimeDays, weak, signal, firstBin,
        endBinExclusive, minCounts);
  }

  /**
   * As {@link #merge(long[], long[], double, double, double[], double[], int, int, long)} with live
   * times per bin (several detectors, each with its own ON and OFF live time). A group only holds
   * bins of equal live times (one detector's), so every merged bin is exact for the model; a
   * detector whose whole window falls short of {@code minCounts} keeps one merged bin. The merged
   * bins' live times are in {@link #onLiveTimeDays()} and {@link #offLiveTimeDays()}.
   */
  public int merge(long[] on, long[] off, double[] onLiveTimeDaysPerBin, double[] offLiveTimeDaysPerBin,
      double[] weak, double[] signal, int firstBin, int endBinExclusive, long minCounts) {
    GaussianEstimator.checkPerBinWindow(on.length, onLiveTimeDaysPerBin, offLiveTimeDaysPerBin,
        firstBin, endBinExclusive);
    return mergeWindow(on, off, onLiveTimeDaysPerBin, offLiveTimeDaysPerBin, Double.NaN, Double.NaN,
        weak, signal, firstBin, endBinExclusive, minCounts);
  }

  /** The rule of the class comment; live times from the arrays when given, else the scalars. */
  private int mergeWindow(long[] on, long[] off, double[] onPerBin, double[] offPerBin,
      double onScalar, double offScalar, double[] weak, double[] signal, int firstBin,
      int endBinExclusive, long minCounts) {
    if (endBinExclusive - firstBin > onCounts.length) {
      throw new InvalidLimitInputException("window larger than rebinning capacity: windowBins="
          + (endBinExclusive - firstBin) + " capacity=" + onCounts.length);
    }
    if (minCounts < 1) {
      throw new InvalidLimitInputException("minCounts must be >= 1: minCounts=" + minCounts);
    }
    bins = 0;
    int groupStart = 0; // first merged bin of the current live-time segment
    boolean open = false;
    for (int i = firstBin; i < endBinExclusive; i++) {
      BinnedInput.checkBin(i, on[i], off[i], weak[i], signal[i]);
      if (signal[i] == 0.0) {
        continue;
      }
      double tOn = onPerBin == null ? onScalar : onPerBin[i];
      double tOff = offPerBin == null ? offScalar : offPerBin[i];
      boolean newSegment = bins + (open ? 1 : 0) == 0
          || tOn != onLiveTimeDays[open ? bins : bins - 1] || tOff != offLiveTimeDays[open ? bins : bins - 1];
      if (newSegment) {
        if (open) {
          closeShortGroup(groupStart);
          open = false;
        }
        groupStart = bins;
      }
      if (!open) {
        onCounts[bins] = 0;
        offCounts[bins] = 0;
        weakRatePerDay[bins] = 0.0;
        unitSignalRatePerDay[bins] = 0.0;
        onLiveTimeDays[bins] = tOn;
        offLiveTimeDays[bins] = tOff;
        open = true;
      }
      onCounts[bins] += on[i];
      offCounts[bins] += off[i];
      weakRatePerDay[bins] += weak[i];
      unitSignalRatePerDay[bins] += signal[i];
      if (offCounts[bins] * Math.min(1.0, tOn / tOff) >= minCounts) {
        bins++;
        open = false;
      }
    }
    if (open) {
      closeShortGroup(groupStart);
    }
    if (bins == 0) {
      throw new InvalidLimitInputException("no bin with unitSignalRatePerDay > 0 in window: "
          + "firstBin=" + firstBin + " endBinExclusive=" + endBinExclusive);
    }
    return bins;
  }

  /**
   * The open group at index {@code bins} falls short: add it to the previous group of its segment
   * (same live times), or keep it as the segment's only group.
   */
  private void closeShortGroup(int segmentStart) {
    if (bins > segmentStart) {
      int last = bins - 1;
      onCounts[last] += onCounts[bins];
      offCounts[last] += offCounts[bins];
      weakRatePerDay[last] += weakRatePerDay[bins];
      unitSignalRatePerDay[last] += unitSignalRatePerDay[bins];
    } else {
      bins++;
    }
  }

  private static int checkedCapacity(int capacity) {
    if (capacity <= 0) {
      throw new InvalidLimitInputException("rebinning capacity must be > 0: capacity=" + capacity);
    }
    return capacity;
  }

  /** Merged bins of the last {@link #merge}. */
  public int bins() {
    return bins;
  }

  /** Live times of the merged bins, days: the ON live time shared by each group's bins. */
  public double[] onLiveTimeDays() {
    return onLiveTimeDays;
  }

  /** OFF live times of the merged bins, days. */
  public double[] offLiveTimeDays() {
    return offLiveTimeDays;
  }
}
