package org.nudaq.monitor.limits;

/**
 * Expected sensitivity from the background-only Asimov data set n_i = t_on(b_i + w_i),
 * m_i = t_off·b_i, with b_i either a given background model or the OFF estimate m_i/t_off.
 *
 * <p>The Asimov data give the σ the experiment will have; the median limit and the ±1σ band are
 * then the limits for an observation at 0 and ±1σ: for Feldman–Cousins σ·UL_FC(x) at x = 0, −1,
 * +1 (1.645σ, …), for the Bayesian flat prior the Bayesian limit at X̂ = 0, ∓σ, and for the
 * profile likelihood (plain or on merged bins: the caller passes the merged bins) the FC values
 * scaled by the likelihood's own Asimov σ (the X where −2 ln L(X)/L(0) = 1 on the Asimov data).
 * Bins with a unit signal rate of 0 (masked lines) are left out, as in the limits, so expected and
 * observed limits always use the same bins.
 *
 * <p>The unit-σ limits are computed once here. Not thread-safe when used for
 * {@link Method#PROFILE_LIKELIHOOD} (it owns a likelihood scratch object); the Gaussian methods
 * are thread-safe.
 */
public final class SensitivityCalculator {

  private final double confidenceLevel;
  private final double[] feldmanCousinsUnit = new double[3];
  private final double[] bayesianUnit = new double[3];
  private final OnOffProfileLikelihood likelihood;

  /**
   * @param confidenceLevel 0 &lt; CL &lt; 1
   * @param capacity largest window size (bins) for the profile-likelihood sensitivity
   */
  public SensitivityCalculator(double confidenceLevel, int capacity) {
    FeldmanCousinsGaussian feldmanCousins = new FeldmanCousinsGaussian(confidenceLevel);
    BayesianFlatPrior bayesian = new BayesianFlatPrior(confidenceLevel);
    this.confidenceLevel = confidenceLevel;
    for (int k = 0; k < 3; k++) {
      double x = k - 1.0; // −1σ, 0, +1σ
      feldmanCousinsUnit[k] = feldmanCousins.interval(x).upper();
      bayesianUnit[k] = bayesian.upperLimit(x, 1.0);
    }
    this.likelihood = new OnOffProfileLikelihood(capacity);
  }

  public double confidenceLevel() {
    return confidenceLevel;
  }

  /**
   * The sensitivity of a Gaussian method for a given Asimov σ.
   *
   * @param method {@link Method#FELDMAN_COUSINS} or {@link Method#BAYESIAN_FLAT}; for
   *     {@link Method#PROFILE_LIKELIHOOD} pass the likelihood's Asimov σ (FC values are used)
   */
  public Sensitivity fromSigma(double asimovSigma, Method method) {
    double[] unit = method == Method.BAYESIAN_FLAT ? bayesianUnit : feldmanCousinsUnit;
    return new Sensitivity(
        unit[1] * asimovSigma, unit[0] * asimovSigma, unit[2] * asimovSigma, method);
  }

  /** Sensitivity with the background taken from the OFF counts of {@code input}. */
  public Sensitivity expected(BinnedInput input, Method method) {
    return expectedFromOffCounts(input.offCounts(), input.onLiveTimeDays(),
        input.offLiveTimeDays(), input.weakRatePerDay(), input.unitSignalRatePerDay(),
        input.firstBin(), input.endBinExclusive(), method);
  }

  /** Sensitivity with b_i = m_i/t_off (units as in {@link BinnedInput}); allocation-light. */
  public Sensitivity expectedFromOffCounts(long[] offCounts, double onLiveTimeDays,
      double offLiveTimeDays, double[] weakRatePerDay, double[] unitSignalRatePerDay,
      int firstBin, int endBinExclusive, Method method) {
    if (isLikelihood(method)) {
      likelihood.loadAsimovFromOffCounts(offCounts, onLiveTimeDays, offLiveTimeDays,
          weakRatePerDay, unitSignalRatePerDay, firstBin, endBinExclusive);
      return fromSigma(likelihood.asimovSigma(), method);
    }
    BinnedInput.checkWindowAndLiveTimes(
        offCounts.length, onLiveTimeDays, offLiveTimeDays, firstBin, endBinExclusive);
    double information = 0.0;
    for (int i = firstBin; i < endBinExclusive; i++) {
      double s = unitSignalRatePerDay[i];
      BinnedInput.checkBin(i, 0, offCounts[i], weakRatePerDay[i], s);
      if (s > 0.0) {
        double b = offCounts[i] / offLiveTimeDays;
        information += 1.0 / GaussianEstimator.binVariance(onLiveTimeDays * (b + weakRatePerDay[i]),
            offCounts[i], onLiveTimeDays, offLiveTimeDays, weakRatePerDay[i], s);
      }
    }
    return fromSigma(sigmaOf(information, firstBin, endBinExclusive), method);
  }

  /**
   * Sensitivity for a background model b_i (counts/day in the bin), e.g. for planning an exposure
   * before any data exist.
   */
  public Sensitivity expected(double[] backgroundRatePerDay, double onLiveTimeDays,
      double offLiveTimeDays, double[] weakRatePerDay, double[] unitSignalRatePerDay,
      int firstBin, int endBinExclusive, Method method) {
    if (isLikelihood(method)) {
      likelihood.loadAsimov(backgroundRatePerDay, onLiveTimeDays, offLiveTimeDays,
          weakRatePerDay, unitSignalRatePerDay, firstBin, endBinExclusive);
      return fromSigma(likelihood.asimovSigma(), method);
    }
    BinnedInput.checkWindowAndLiveTimes(
        backgroundRatePerDay.length, onLiveTimeDays, offLiveTimeDays, firstBin, endBinExclusive);
    return fromModel(backgroundRatePerDay, null, null, onLiveTimeDays, offLiveTimeDays, weakRatePerDay,
        unitSignalRatePerDay, firstBin, endBinExclusive, method);
  }

  /**
   * As {@link #expected(double[], double, double, double[], double[], int, int, Method)} with live
   * times per bin (days): each detector's bins with that detector's ON and OFF live times. With
   * equal live times in every bin it gives the same number.
   */
  public Sensitivity expected(double[] backgroundRatePerDay, double[] onLiveTimeDaysPerBin,
      double[] offLiveTimeDaysPerBin, double[] weakRatePerDay, double[] unitSignalRatePerDay,
      int firstBin, int endBinExclusive, Method method) {
    if (isLikelihood(method)) {
      likelihood.loadAsimov(backgroundRatePerDay, onLiveTimeDaysPerBin, offLiveTimeDaysPerBin,
          weakRatePerDay, unitSignalRatePerDay, firstBin, endBinExclusive);
      return fromSigma(likelihood.asimovSigma(), method);
    }
    GaussianEstimator.checkPerBinWindow(backgroundRatePerDay.length, onLiveTimeDaysPerBin,
        offLiveTimeDaysPerBin, firstBin, endBinExclusive);
    return fromModel(backgroundRatePerDay, onLiveTimeDaysPerBin, offLiveTimeDaysPerBin, Double.NaN,
        Double.NaN, weakRatePerDay, unitSignalRatePerDay, firstBin, endBinExclusive, method);
  }

  /** The Gaussian Asimov σ for a background model; live times from the arrays when given, else the scalars. */
  private Sensitivity fromModel(double[] backgroundRatePerDay, double[] onPerBin, double[] offPerBin,
      double onScalar, double offScalar, double[] weakRatePerDay, double[] unitSignalRatePerDay,
      int firstBin, int endBinExclusive, Method method) {
    double information = 0.0;
    for (int i = firstBin; i < endBinExclusive; i++) {
      double s = unitSignalRatePerDay[i];
      double b = backgroundRatePerDay[i];
      BinnedInput.checkBin(i, 0, 0, weakRatePerDay[i], s);
      if (!(b >= 0.0) || Double.isInfinite(b)) {
        throw new InvalidLimitInputException(
            "background rate must be finite and >= 0: bin=" + i + " backgroundRatePerDay=" + b);
      }
      if (s > 0.0) {
        double tOn = onPerBin == null ? onScalar : onPerBin[i];
        double tOff = offPerBin == null ? offScalar : offPerBin[i];
        information += 1.0 / GaussianEstimator.binVariance(tOn * (b + weakRatePerDay[i]),
            tOff * b, tOn, tOff, weakRatePerDay[i], s);
      }
    }
    return fromSigma(sigmaOf(information, firstBin, endBinExclusive), method);
  }

  private static boolean isLikelihood(Method method) {
    return method == Method.PROFILE_LIKELIHOOD || method == Method.REBINNED_PROFILE_LIKELIHOOD;
  }

  private static double sigmaOf(double information, int firstBin, int endBinExclusive) {
    if (!(information > 0.0)) {
      throw new InvalidLimitInputException("no bin with unitSignalRatePerDay > 0 in window: "
          + "firstBin=" + firstBin + " endBinExclusive=" + endBinExclusive);
    }
    return 1.0 / Math.sqrt(information);
  }
}
