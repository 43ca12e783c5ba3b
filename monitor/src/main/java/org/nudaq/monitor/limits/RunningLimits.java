package org.nudaq.monitor.limits;

import java.time.Instant;

/**
 * The running limit the daemon recomputes as the spectra grow.
 *
 * <p>Usage: the writer thread fills the preallocated arrays {@link #onCounts()},
 * {@link #offCounts()}, {@link #weakRatePerDay()}, {@link #unitSignalRatePerDay()} (units as in
 * {@link BinnedInput}) and calls {@link #recompute}; or it passes a {@link BinnedInput} to
 * {@link #update}, which copies into those arrays. Each computation picks the method (Gaussian
 * when every signal bin of the window has at least {@link LimitSettings#minCountsPerBinForGaussian}
 * ON and OFF counts; otherwise the few-count construction: the profile likelihood on bins merged by
 * {@link AdaptiveRebinning}), computes the estimate, the interval and the sensitivity — the
 * sensitivity on the same bins and by the same construction as the interval — and publishes an
 * immutable {@link LimitResult} naming the method and the line treatment of the settings. Bins
 * with a unit signal rate of 0 (masked lines) are left out of all of it.
 *
 * <p>Thread-safety: single writer — {@code recompute}/{@code update} and the arrays belong to one
 * thread. {@link #latest()} may be called from any thread: the result is published through a
 * volatile field. Time comes from the caller (no clock is read here), so replays are reproducible.
 * The Gaussian path does no allocation proportional to the number of bins.
 */
public final class RunningLimits extends PerBinArrays {

  private final LimitSettings settings;
  private final FeldmanCousinsGaussian feldmanCousins;
  private final BayesianFlatPrior bayesian;
  private final OnOffProfileLikelihood likelihood;
  private final AdaptiveRebinning rebinning;
  private final SensitivityCalculator sensitivity;

  private volatile LimitResult latest;

  /**
   * @param binCount number of energy bins of the spectra
   * @param settings confidence level and method choice
   */
  public RunningLimits(int binCount, LimitSettings settings) {
    super(checkedBinCount(binCount));
    this.settings = settings;
    this.feldmanCousins = new FeldmanCousinsGaussian(settings.confidenceLevel());
    this.bayesian = new BayesianFlatPrior(settings.confidenceLevel());
    this.likelihood = new OnOffProfileLikelihood(binCount);
    this.rebinning = new AdaptiveRebinning(binCount);
    this.sensitivity = new SensitivityCalculator(settings.confidenceLevel(), binCount);
  }

  public LimitSettings settings() {
    return settings;
  }

  private static int checkedBinCount(int binCount) {
    if (binCount <= 0) {
      throw new InvalidLimitInputException("running limits need bins > 0: binCount=" + binCount);
    }
    return binCount;
  }

  /** The last published result, or null before the first computation. Any thread. */
  public LimitResult latest() {
    return latest;
  }

  /** Copies {@code input} into the preallocated arrays and recomputes. Writer thread only. */
  public LimitResult update(BinnedInput input, Instant computedAt) {
    int n = onCounts.length;
    if (input.onCounts().length != n) {
      throw new InvalidLimitInputException(
          "input bins differ from running limits: inputBins=" + input.onCounts().length
              + " binCount=" + n);
    }
    System.arraycopy(input.onCounts(), 0, onCounts, 0, n);
    System.arraycopy(input.offCounts(), 0, offCounts, 0, n);
    System.arraycopy(input.weakRatePerDay(), 0, weakRatePerDay, 0, n);
    System.arraycopy(input.unitSignalRatePerDay(), 0, unitSignalRatePerDay, 0, n);
    return recompute(input.onLiveTimeDays(), input.offLiveTimeDays(), input.firstBin(),
        input.endBinExclusive(), computedAt);
  }

  /**
   * Recomputes from the current contents of the arrays and publishes the result. Writer thread
   * only.
   *
   * @param onLiveTimeDays ON live time, &gt; 0
   * @param offLiveTimeDays OFF live time, &gt; 0
   * @param firstBin first bin of the analysis window
   * @param endBinExclusive end of the window (exclusive)
   * @param computedAt the caller's clock reading, stored in the result
   */
  public LimitResult recompute(double onLiveTimeDays, double offLiveTimeDays, int firstBin,
      int endBinExclusive, Instant computedAt) {
    if (computedAt == null) {
      throw new InvalidLimitInputException("computedAt must not be null");
    }
    Estimate estimate = GaussianEstimator.estimate(onCounts, offCounts, onLiveTimeDays,
        offLiveTimeDays, weakRatePerDay, unitSignalRatePerDay, firstBin, endBinExclusive);
    Method method = chooseMethod(firstBin, endBinExclusive);
    ConfidenceInterval interval;
    Sensitivity expected;
    int intervalBins = estimate.binsUsed();
    if (method == Method.REBINNED_PROFILE_LIKELIHOOD) {
      intervalBins = rebinning.merge(onCounts, offCounts, onLiveTimeDays, offLiveTimeDays,
          weakRatePerDay, unitSignalRatePerDay, firstBin, endBinExclusive,
          settings.minCountsPerMergedBin());
      likelihood.load(rebinning.onCounts(), rebinning.offCounts(), onLiveTimeDays,
          offLiveTimeDays, rebinning.weakRatePerDay(), rebinning.unitSignalRatePerDay(), 0,
          intervalBins);
      interval = likelihood.interval(feldmanCousins);
      expected = sensitivity.expectedFromOffCounts(rebinning.offCounts(), onLiveTimeDays,
          offLiveTimeDays, rebinning.weakRatePerDay(), rebinning.unitSignalRatePerDay(), 0,
          intervalBins, method);
    } else {
      if (method == Method.PROFILE_LIKELIHOOD) {
        likelihood.load(onCounts, offCounts, onLiveTimeDays, offLiveTimeDays, weakRatePerDay,
            unitSignalRatePerDay, firstBin, endBinExclusive);
        interval = likelihood.interval(feldmanCousins);
      } else if (method == Method.BAYESIAN_FLAT) {
        interval = bayesian.interval(estimate.xHat(), estimate.sigma());
      } else {
        interval = feldmanCousins.interval(estimate.xHat(), estimate.sigma());
      }
      expected = sensitivity.expectedFromOffCounts(offCounts, onLiveTimeDays, offLiveTimeDays,
          weakRatePerDay, unitSignalRatePerDay, firstBin, endBinExclusive, method);
    }
    LimitResult result = new LimitResult(computedAt, method, settings.confidenceLevel(),
        estimate.xHat(), estimate.sigma(), interval.lower(), interval.upper(), expected,
        onLiveTimeDays, offLiveTimeDays, firstBin, endBinExclusive, estimate.binsUsed(),
        intervalBins, settings.lineTreatment());
    latest = result;
    return result;
  }

  /**
   * Recomputes with live times per bin (days) — several detectors, each with its own ON and OFF
   * live time after its own gates — and publishes the result with the expected sensitivity the
   * caller computed for this exposure (the experiment's {@code expected}, the same computation as
   * {@code nudaq sensitivity}). Writer thread only.
   *
   * @param onLiveTimeDaysPerBin  ON live time of each bin, &gt; 0 in the window
   * @param offLiveTimeDaysPerBin OFF live time of each bin, &gt; 0 in the window
   * @param onLiveTimeDays        the ON live time stored in the result (e.g. the first detector's)
   * @param offLiveTimeDays       the OFF live time stored in the result
   * @param expected              the expected sensitivity stored in the result
   */
  public LimitResult recompute(double[] onLiveTimeDaysPerBin, double[] offLiveTimeDaysPerBin,
      double onLiveTimeDays, double offLiveTimeDays, int firstBin, int endBinExclusive,
      Sensitivity expected, Instant computedAt) {
    if (computedAt == null || expected == null) {
      throw new InvalidLimitInputException("computedAt and expected must not be null");
    }
    Estimate estimate = GaussianEstimator.estimate(onCounts, offCounts, onLiveTimeDaysPerBin,
        offLiveTimeDaysPerBin, weakRatePerDay, unitSignalRatePerDay, firstBin, endBinExclusive);
    Method method = chooseMethod(firstBin, endBinExclusive);
    ConfidenceInterval interval;
    int intervalBins = estimate.binsUsed();
    if (method == Method.REBINNED_PROFILE_LIKELIHOOD) {
      intervalBins = rebinning.merge(onCounts, offCounts, onLiveTimeDaysPerBin, offLiveTimeDaysPerBin,
          weakRatePerDay, unitSignalRatePerDay, firstBin, endBinExclusive,
          settings.minCountsPerMergedBin());
      likelihood.load(rebinning.onCounts(), rebinning.offCounts(), rebinning.onLiveTimeDays(),
          rebinning.offLiveTimeDays(), rebinning.weakRatePerDay(), rebinning.unitSignalRatePerDay(), 0,
          intervalBins);
      interval = likelihood.interval(feldmanCousins);
    } else if (method == Method.PROFILE_LIKELIHOOD) {
      likelihood.load(onCounts, offCounts, onLiveTimeDaysPerBin, offLiveTimeDaysPerBin,
          weakRatePerDay, unitSignalRatePerDay, firstBin, endBinExclusive);
      interval = likelihood.interval(feldmanCousins);
    } else if (method == Method.BAYESIAN_FLAT) {
      interval = bayesian.interval(estimate.xHat(), estimate.sigma());
    } else {
      interval = feldmanCousins.interval(estimate.xHat(), estimate.sigma());
    }
    LimitResult result = new LimitResult(computedAt, method, settings.confidenceLevel(),
        estimate.xHat(), estimate.sigma(), interval.lower(), interval.upper(), expected,
        onLiveTimeDays, offLiveTimeDays, firstBin, endBinExclusive, estimate.binsUsed(),
        intervalBins, settings.lineTreatment());
    latest = result;
    return result;
  }

  /** The documented criterion of {@link LimitSettings}. */
  private Method chooseMethod(int firstBin, int endBinExclusive) {
    long threshold = settings.minCountsPerBinForGaussian();
    for (int i = firstBin; i < endBinExclusive; i++) {
      if (unitSignalRatePerDay[i] > 0.0 && (onCounts[i] < threshold || offCounts[i] < threshold)) {
        return settings.minCountsPerMergedBin() > 0
            ? Method.REBINNED_PROFILE_LIKELIHOOD : Method.PROFILE_LIKELIHOOD;
      }
    }
    return settings.gaussianMethod();
  }
}
