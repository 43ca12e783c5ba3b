package org.nudaq.monitor.limits;

/**
 * How limits are computed.
 *
 * <p>Method choice (applied per update by {@link RunningLimits}): the Gaussian approximation is
 * used when every bin of the window that has a signal ({@code unitSignalRatePerDay > 0}) holds at
 * least {@code minCountsPerBinForGaussian} ON counts <em>and</em> as many OFF counts; otherwise the
 * Poisson profile likelihood is used. With 20 (the default) the Poisson fluctuations of each bin
 * are Gaussian to ~10% in the tails that matter for the variance-weighted mean. 0 forces the
 * Gaussian methods, {@link Long#MAX_VALUE} forces the likelihood.
 *
 * <p>Immutable and thread-safe.
 *
 * @param confidenceLevel confidence level of limits and sensitivity, 0 &lt; CL &lt; 1
 * @param gaussianMethod {@link Method#FELDMAN_COUSINS} or {@link Method#BAYESIAN_FLAT}
 * @param minCountsPerBinForGaussian the per-bin count threshold above, ≥ 0
 */
public record LimitSettings(
    double confidenceLevel, Method gaussianMethod, long minCountsPerBinForGaussian) {

  /** 90% CL, the published convention. */
  public static final double DEFAULT_CONFIDENCE_LEVEL = 0.90;
  /** Default per-bin count threshold for the Gaussian approximation. */
  public static final long DEFAULT_MIN_COUNTS_PER_BIN_FOR_GAUSSIAN = 20;

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
  }

  /** 90% CL, Feldman–Cousins, 20 counts per bin. */
  public static LimitSettings defaults() {
    return new LimitSettings(
        DEFAULT_CONFIDENCE_LEVEL, Method.FELDMAN_COUSINS, DEFAULT_MIN_COUNTS_PER_BIN_FOR_GAUSSIAN);
  }
}
