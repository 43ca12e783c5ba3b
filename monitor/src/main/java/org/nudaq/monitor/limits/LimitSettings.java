package org.nudaq.monitor.limits;

/**
 * How limits are computed.
 *
 * <p>Method choice (applied per update by {@link RunningLimits}): the Gaussian approximation is
 * used when every bin of the window that has a signal ({@code unitSignalRatePerDay > 0}) holds at
 * least {@code minCountsPerBinForGaussian} ON counts <em>and</em> as many OFF counts; otherwise the
 * few-count construction is used: with {@code minCountsPerMergedBin > 0} the bins are merged
 * ({@link AdaptiveRebinning}) and the Poisson profile likelihood is evaluated on the merged bins
 * ({@link Method#REBINNED_PROFILE_LIKELIHOOD}); with 0 the likelihood runs on the bins as they are
 * ({@link Method#PROFILE_LIKELIHOOD}, which under-covers when bins are nearly empty). With 20 (the
 * default of both thresholds) the Poisson fluctuations of each bin are Gaussian to ~10% in the
 * tails that matter. {@code minCountsPerBinForGaussian} 0 forces the Gaussian methods,
 * {@link Long#MAX_VALUE} forces the few-count construction.
 *
 * <p>Immutable and thread-safe.
 *
 * @param confidenceLevel confidence level of limits and sensitivity, 0 &lt; CL &lt; 1
 * @param gaussianMethod {@link Method#FELDMAN_COUSINS} or {@link Method#BAYESIAN_FLAT}
 * @param minCountsPerBinForGaussian the per-bin count threshold above, ≥ 0
 * @param minCountsPerMergedBin expected ON and OFF counts each merged bin must reach, ≥ 0
 * @param lineTreatment how decaying lines were kept out of the window (named in every result)
 */
public record LimitSettings(
    double confidenceLevel, Method gaussianMethod, long minCountsPerBinForGaussian,
    long minCountsPerMergedBin, LineTreatment lineTreatment) {

  /** 90% CL, the published convention. */
  public static final double DEFAULT_CONFIDENCE_LEVEL = 0.90;
  /** Default per-bin count threshold for the Gaussian approximation. */
  public static final long DEFAULT_MIN_COUNTS_PER_BIN_FOR_GAUSSIAN = 20;
  /** Default expected counts per merged bin of the few-count construction. */
  public static final long DEFAULT_MIN_COUNTS_PER_MERGED_BIN = 20;

  public LimitSettings {
    if (!(confidenceLevel > 0.0 && confidenceLevel < 1.0)) {
      throw new InvalidLimitInputException(
          "limits.confidenceLevel must be in (0,1): confidenceLevel=" + confidenceLevel);
    }
    if (gaussianMethod != Method.FELDMAN_COUSINS && gaussianMethod != Method.BAYESIAN_FLAT) {
      throw new InvalidLimitInputException(
          "limits.gaussianMethod must be FELDMAN_COUSINS or BAYESIAN_FLAT: gaussianMethod="
              + gaussianMethod);
    }
    if (minCountsPerBinForGaussian < 0) {
      throw new InvalidLimitInputException("limits.minCountsPerBinForGaussian must be >= 0: "
          + "minCountsPerBinForGaussian=" + minCountsPerBinForGaussian);
    }
    if (minCountsPerMergedBin < 0) {
      throw new InvalidLimitInputException("limits.minCountsPerMergedBin must be >= 0: "
          + "minCountsPerMergedBin=" + minCountsPerMergedBin);
    }
    if (lineTreatment == null) {
      throw new InvalidLimitInputException("limits.lineTreatment must not be null");
    }
  }

  /**
   * The settings before the few-count construction and line treatments existed: merged bins of
   * {@link #DEFAULT_MIN_COUNTS_PER_MERGED_BIN} counts, no line treatment.
   */
  public LimitSettings(
      double confidenceLevel, Method gaussianMethod, long minCountsPerBinForGaussian) {
    this(confidenceLevel, gaussianMethod, minCountsPerBinForGaussian,
        DEFAULT_MIN_COUNTS_PER_MERGED_BIN, LineTreatment.NONE);
  }

  /** 90% CL, Feldman–Cousins, 20 counts per bin, merged bins of 20, no line treatment. */
  public static LimitSettings defaults() {
    return new LimitSettings(
        DEFAULT_CONFIDENCE_LEVEL, Method.FELDMAN_COUSINS, DEFAULT_MIN_COUNTS_PER_BIN_FOR_GAUSSIAN);
  }

  /** These settings with another line treatment. */
  public LimitSettings withLineTreatment(LineTreatment treatment) {
    return new LimitSettings(confidenceLevel, gaussianMethod, minCountsPerBinForGaussian,
        minCountsPerMergedBin, treatment);
  }
}
