package org.nudaq.monitor.limits;

import java.time.Instant;

/**
 * One computation of the running limit, as published by {@link RunningLimits}.
 *
 * <p>X is the squared parameter in the caller's unit scale (e.g. μν² in (1e-11 μB)²); the
 * parameter limits are √X (e.g. μν in 1e-11 μB). {@code xHat ± xSigma} is always the seed
 * estimator ({@link GaussianEstimator}), whichever method set the limit. Immutable and
 * thread-safe.
 *
 * @param computedAt the caller's time of the computation
 * @param method the construction that produced the interval
 * @param confidenceLevel e.g. 0.90
 * @param xHat the estimate of X (may be negative)
 * @param xSigma its standard deviation
 * @param lowerLimitX lower end of the interval on X (0 for an upper limit)
 * @param upperLimitX the upper limit on X
 * @param sensitivity the expected sensitivity for this exposure, by the same method
 * @param onLiveTimeDays ON exposure (live time) used
 * @param offLiveTimeDays OFF exposure (live time) used
 * @param firstBin first bin of the analysis window
 * @param endBinExclusive end of the analysis window (exclusive)
 * @param binsUsed window bins with a signal rate &gt; 0 (masked bins excluded)
 * @param intervalBins bins the interval was computed on: {@code binsUsed}, or the merged bins of
 *     {@link Method#REBINNED_PROFILE_LIKELIHOOD}
 * @param lineTreatment how decaying X-ray lines were kept out of the window
 */
public record LimitResult(
    Instant computedAt,
    Method method,
    double confidenceLevel,
    double xHat,
    double xSigma,
    double lowerLimitX,
    double upperLimitX,
    Sensitivity sensitivity,
    double onLiveTimeDays,
    double offLiveTimeDays,
    int firstBin,
    int endBinExclusive,
    int binsUsed,
    int intervalBins,
    LineTreatment lineTreatment) {

  /** A result without merged bins or line treatment (the form before both existed). */
  public LimitResult(Instant computedAt, Method method, double confidenceLevel, double xHat,
      double xSigma, double lowerLimitX, double upperLimitX, Sensitivity sensitivity,
      double onLiveTimeDays, double offLiveTimeDays, int firstBin, int endBinExclusive,
      int binsUsed) {
    this(computedAt, method, confidenceLevel, xHat, xSigma, lowerLimitX, upperLimitX, sensitivity,
        onLiveTimeDays, offLiveTimeDays, firstBin, endBinExclusive, binsUsed, binsUsed,
        LineTreatment.NONE);
  }

  /** The upper limit on the parameter itself, √upperLimitX (e.g. μν in units of 1e-11 μB). */
  public double upperLimitParameter() {
    return Math.sqrt(upperLimitX);
  }

  /** √lowerLimitX: 0 unless the interval is two-sided. */
  public double lowerLimitParameter() {
    return Math.sqrt(lowerLimitX);
  }
}
