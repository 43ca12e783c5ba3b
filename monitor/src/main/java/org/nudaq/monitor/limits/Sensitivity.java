package org.nudaq.monitor.limits;

/**
 * Expected sensitivity: the median upper limit on X for background-only data and its ±1σ band,
 * from the Asimov data set (X in the caller's unit scale; see {@link SensitivityCalculator}).
 *
 * <p>Immutable and thread-safe.
 *
 * @param median median expected upper limit on X
 * @param minus1Sigma the limit for a −1σ downward fluctuation (lower edge of the band)
 * @param plus1Sigma the limit for a +1σ upward fluctuation (upper edge of the band)
 * @param method the construction the limits refer to
 */
public record Sensitivity(double median, double minus1Sigma, double plus1Sigma, Method method) {

  /** The median limit on the parameter itself, √median (e.g. μν in units of 1e-11 μB). */
  public double medianParameter() {
    return Math.sqrt(median);
  }

  /** √minus1Sigma. */
  public double minus1SigmaParameter() {
    return Math.sqrt(minus1Sigma);
  }

  /** √plus1Sigma. */
  public double plus1SigmaParameter() {
    return Math.sqrt(plus1Sigma);
  }
}
