package org.nudaq.monitor.limits;

import org.hipparchus.special.Erf;

/**
 * The standard normal distribution with full relative precision in both tails: the CDF goes
 * through {@link Erf#erfc(double)} (not {@code 1 - erf}), and the inverse is polished by Newton
 * steps on {@code ln Φ}, because Hipparchus' {@code erfInv} loses the relative precision of tiny
 * probabilities that the Bayesian limit at very negative X̂ needs.
 *
 * <p>Stateless; thread-safe.
 */
final class StandardNormal {

  private static final double SQRT2 = Math.sqrt(2.0);
  private static final double LN_SQRT_2PI = 0.5 * Math.log(2.0 * Math.PI);

  private StandardNormal() {}

  /** Φ(z). */
  static double cdf(double z) {
    return 0.5 * Erf.erfc(-z / SQRT2);
  }

  /** ln φ(z). */
  static double logDensity(double z) {
    return -0.5 * z * z - LN_SQRT_2PI;
  }

  /** z such that Φ(z) = p, for 0 < p < 1. */
  static double inverseCdf(double p) {
    if (!(p > 0.0 && p < 1.0)) {
      throw new IllegalArgumentException("inverse normal needs 0 < p < 1: p=" + p);
    }
    if (p > 0.5) {
      return -inverseCdf(1.0 - p);
    }
    // Lower half: start from erfInv (good to ~1e-15 absolute) or the tail asymptote, then Newton
    // on f(z) = ln Φ(z) − ln p, whose derivative is φ(z)/Φ(z); converges in a few steps.
    double z = p > 1e-300 ? SQRT2 * Erf.erfInv(2.0 * p - 1.0) : Double.NEGATIVE_INFINITY;
    if (!Double.isFinite(z) || p < 1e-10) {
      double t = Math.sqrt(-2.0 * Math.log(p));
      z = -(t - Math.log(t * t * 2.0 * Math.PI) / (2.0 * t));
    }
    double lnP = Math.log(p);
    for (int iteration = 0; iteration < 50; iteration++) {
      double phiOverCdf = Math.exp(logDensity(z) - Math.log(cdf(z)));
      double step = (Math.log(cdf(z)) - lnP) / phiOverCdf;
      z -= step;
      if (Math.abs(step) <= 1e-14 * Math.max(1.0, Math.abs(z))) {
        break;
      }
    }
    return z;
  }
}
