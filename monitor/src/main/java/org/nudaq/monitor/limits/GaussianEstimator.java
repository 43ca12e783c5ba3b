package org.nudaq.monitor.limits;

/**
 * The seed paper's estimator: per bin X_i = (S_on,i − S_off,i − S_weak,i) / S_th,i with S = counts
 * per live time, combined over the window by the Gaussian likelihood, i.e. the inverse-variance
 * weighted mean X̂ = Σ X_i/σ_i² / Σ 1/σ_i², σ = (Σ 1/σ_i²)^(−1/2).
 *
 * <p><b>Variance.</b> The textbook σ_i² = (n_i/t_on² + m_i/t_off²)/s_i² uses the observed counts.
 * We do not: a bin that fluctuates low gets a smaller variance and a larger weight, and over many
 * bins that bias adds up coherently (with 1000 bins of ~100 counts it is ~3σ of the combined
 * result). Instead σ_i² uses the counts <em>expected</em> under X = 0 with the background fitted to
 * both spectra (the Poisson maximum-likelihood background at X = 0):
 * <pre>
 *   b̂_i = max(0, (n_i + m_i − t_on·w_i) / (t_on + t_off))
 *   σ_i² = ( ν_on/t_on² + ν_off/t_off² ) / s_i²,  ν_on = max(1, t_on(b̂_i + w_i)), ν_off = max(1, t_off·b̂_i)
 * </pre>
 * which equals the profiled Fisher information of the ON/OFF Poisson likelihood for that bin (see
 * {@link OnOffProfileLikelihood}). The residual correlation between weight and X_i is of order
 * w_i/b_i (the weak rate over the background, ~0.3% at GEMMA). <b>Empty bins:</b> the expected
 * counts are floored at one count each, so an empty bin gets a finite, small weight rather than an
 * infinite one; such bins only occur in the early phase, where {@link RunningLimits} uses the
 * Poisson likelihood instead. Bins with s_i = 0 are skipped.
 *
 * <p>Stateless and allocation-free apart from the returned record; thread-safe.
 */
public final class GaussianEstimator {

  private GaussianEstimator() {}

  /** The estimate over {@code input}'s window. */
  public static Estimate estimate(BinnedInput input) {
    return estimate(input.onCounts(), input.offCounts(), input.onLiveTimeDays(),
        input.offLiveTimeDays(), input.weakRatePerDay(), input.unitSignalRatePerDay(),
        input.firstBin(), input.endBinExclusive());
  }

  /**
   * The estimate over the window {@code [firstBin, endBinExclusive)} of the arrays (units as in
   * {@link BinnedInput}).
   *
   * @throws InvalidLimitInputException if the window has no bin with a signal rate &gt; 0, or bad
   *     contents
   */
  public static Estimate estimate(long[] onCounts, long[] offCounts, double onLiveTimeDays,
      double offLiveTimeDays, double[] weakRatePerDay, double[] unitSignalRatePerDay,
      int firstBin, int endBinExclusive) {
    BinnedInput.checkWindowAndLiveTimes(
        onCounts.length, onLiveTimeDays, offLiveTimeDays, firstBin, endBinExclusive);
    return combine(onCounts, offCounts, null, null, onLiveTimeDays, offLiveTimeDays, weakRatePerDay,
        unitSignalRatePerDay, firstBin, endBinExclusive);
  }

  /**
   * As {@link #estimate(long[], long[], double, double, double[], double[], int, int)} with live
   * times per bin (days): bin i's X_i = (n_i/t_on,i − m_i/t_off,i − w_i)/s_i and its variance use that
   * bin's own ON and OFF live times. For several detectors with their own gates, each detector's bins
   * carry that detector's live times.
   */
  public static Estimate estimate(long[] onCounts, long[] offCounts, double[] onLiveTimeDaysPerBin,
      double[] offLiveTimeDaysPerBin, double[] weakRatePerDay, double[] unitSignalRatePerDay,
      int firstBin, int endBinExclusive) {
    checkPerBinWindow(onCounts.length, onLiveTimeDaysPerBin, offLiveTimeDaysPerBin, firstBin,
        endBinExclusive);
    return combine(onCounts, offCounts, onLiveTimeDaysPerBin, offLiveTimeDaysPerBin, Double.NaN,
        Double.NaN, weakRatePerDay, unitSignalRatePerDay, firstBin, endBinExclusive);
  }

  /** The weighted mean of the class comment; live times from the arrays when given, else the scalars. */
  private static Estimate combine(long[] onCounts, long[] offCounts, double[] onPerBin,
      double[] offPerBin, double onScalar, double offScalar, double[] weakRatePerDay,
      double[] unitSignalRatePerDay, int firstBin, int endBinExclusive) {
    double sumWeight = 0.0;
    double sumWeightedX = 0.0;
    int used = 0;
    for (int i = firstBin; i < endBinExclusive; i++) {
      long n = onCounts[i];
      long m = offCounts[i];
      double w = weakRatePerDay[i];
      double s = unitSignalRatePerDay[i];
      BinnedInput.checkBin(i, n, m, w, s);
      if (s == 0.0) {
        continue;
      }
      double tOn = onPerBin == null ? onScalar : onPerBin[i];
      double tOff = offPerBin == null ? offScalar : offPerBin[i];
      double xi = (n / tOn - m / tOff - w) / s;
      double weight = 1.0 / binVariance(n, m, tOn, tOff, w, s);
      sumWeight += weight;
      sumWeightedX += weight * xi;
      used++;
    }
    if (used == 0) {
      throw new InvalidLimitInputException("no bin with unitSignalRatePerDay > 0 in window: "
          + "firstBin=" + firstBin + " endBinExclusive=" + endBinExclusive);
    }
    return new Estimate(sumWeightedX / sumWeight, 1.0 / Math.sqrt(sumWeight), used);
  }

  /** The window lies inside the arrays and every bin of it has finite live times &gt; 0. */
  static void checkPerBinWindow(int bins, double[] onLiveTimeDaysPerBin,
      double[] offLiveTimeDaysPerBin, int firstBin, int endBinExclusive) {
    BinnedInput.checkWindowAndLiveTimes(
        Math.min(bins, Math.min(onLiveTimeDaysPerBin.length, offLiveTimeDaysPerBin.length)),
        1.0, 1.0, firstBin, endBinExclusive);
    for (int i = firstBin; i < endBinExclusive; i++) {
      BinnedInput.checkWindowAndLiveTimes(bins, onLiveTimeDaysPerBin[i], offLiveTimeDaysPerBin[i],
          firstBin, endBinExclusive);
    }
  }

  /**
   * The variance of one bin's rate difference n/t_on − m/t_off, (counts/day)², from the counts
   * expected at X = 0 (the formula of the class comment without the 1/s_i²): what the joint fit
   * ({@link JointFit}) weights its bins with.
   */
  public static double rateVariance(double onCounts, double offCounts, double onLiveTimeDays,
      double offLiveTimeDays, double weakRatePerDay) {
    return binVariance(onCounts, offCounts, onLiveTimeDays, offLiveTimeDays, weakRatePerDay, 1.0);
  }

  /** The background rate b̂_i fitted to both spectra at X = 0 (class comment), counts/day. */
  public static double fittedBackgroundPerDay(double onCounts, double offCounts, double onLiveTimeDays,
      double offLiveTimeDays, double weakRatePerDay) {
    return Math.max(0.0, (onCounts + offCounts - onLiveTimeDays * weakRatePerDay)
        / (onLiveTimeDays + offLiveTimeDays));
  }

  /**
   * σ_i² of one bin's X_i from the expected counts (formula in the class comment). Counts are
   * doubles so that Asimov (expected, non-integer) data can use the same formula.
   */
  static double binVariance(double onCounts, double offCounts, double onLiveTimeDays,
      double offLiveTimeDays, double weakRatePerDay, double unitSignalRatePerDay) {
    double background = Math.max(0.0,
        (onCounts + offCounts - onLiveTimeDays * weakRatePerDay)
            / (onLiveTimeDays + offLiveTimeDays));
    double expectedOn = Math.max(1.0, onLiveTimeDays * (background + weakRatePerDay));
    double expectedOff = Math.max(1.0, offLiveTimeDays * background);
    double rateVariance = expectedOn / (onLiveTimeDays * onLiveTimeDays)
        + expectedOff / (offLiveTimeDays * offLiveTimeDays);
    return rateVariance / (unitSignalRatePerDay * unitSignalRatePerDay);
  }
}
