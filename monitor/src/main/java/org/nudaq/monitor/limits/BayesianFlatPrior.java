package org.nudaq.monitor.limits;

/**
 * Bayesian upper limit for a Gaussian measurement X̂ ± σ with a flat prior on X ≥ 0: the U with
 * ∫₀^U N(X̂; X, σ) dX = CL · ∫₀^∞ N(X̂; X, σ) dX.
 *
 * <p>Closed form: with z = X̂/σ the posterior mass above 0 is Φ(z), and the condition is
 * Φ((U − X̂)/σ) = 1 − (1 − CL)·Φ(z), i.e. U = X̂ − σ·Φ⁻¹((1 − CL)·Φ(z)) (written with the
 * lower tail so that a very negative X̂ keeps full precision). Below z = −37, where Φ(z)
 * underflows, the posterior is the exponential tail exp(−|X̂|X/σ²) and U = −ln(1 − CL)·σ²/|X̂|.
 *
 * <p>Immutable and thread-safe.
 */
public final class BayesianFlatPrior {

  private static final double Z_UNDERFLOW = -37.0;

  private final double confidenceLevel;

  /** @param confidenceLevel credibility level, 0 &lt; CL &lt; 1 */
  public BayesianFlatPrior(double confidenceLevel) {
    if (!(confidenceLevel > 0.0 && confidenceLevel < 1.0)) {
      throw new InvalidLimitInputException(
          "confidence level must be in (0,1): confidenceLevel=" + confidenceLevel);
    }
    this.confidenceLevel = confidenceLevel;
  }

  public double confidenceLevel() {
    return confidenceLevel;
  }

  /**
   * The upper limit on X in the units of xHat.
   *
   * @param xHat the estimate (may be negative)
   * @param sigma its standard deviation, &gt; 0
   */
  public double upperLimit(double xHat, double sigma) {
    if (!(sigma > 0.0) || Double.isInfinite(sigma) || !Double.isFinite(xHat)) {
      throw new InvalidLimitInputException(
          "Bayesian limit needs finite xHat and 0 < sigma < inf: xHat=" + xHat + " sigma=" + sigma);
    }
    double z = xHat / sigma;
    if (z < Z_UNDERFLOW) {
      return -Math.log(1.0 - confidenceLevel) * sigma * sigma / -xHat;
    }
    double tail = (1.0 - confidenceLevel) * StandardNormal.cdf(z);
    return Math.max(0.0, xHat - sigma * StandardNormal.inverseCdf(tail));
  }

  /** The limit as an interval [0, U]. */
  public ConfidenceInterval interval(double xHat, double sigma) {
    return new ConfidenceInterval(0.0, upperLimit(xHat, sigma));
  }
}
