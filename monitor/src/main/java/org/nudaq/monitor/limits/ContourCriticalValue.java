package org.nudaq.monitor.limits;

import java.util.Random;

/**
 * The critical value k(a, c) of the joint confidence region of two parameters that cannot be
 * negative, for a Gaussian estimate: the Feldman–Cousins construction in two dimensions.
 *
 * <p>For an estimate (â, ĉ) ~ N((a, c), Σ) the ordering statistic is
 * t = (x̂ − x)ᵀΣ⁻¹(x̂ − x) − min_{y ≥ 0} (x̂ − y)ᵀΣ⁻¹(x̂ − y), the likelihood ratio to the best
 * physical point. Far from both boundaries t is χ² with two degrees of freedom and k = −2 ln(1 − CL)
 * (4.61 at 90%); near a boundary the minimum over the quadrant makes t smaller and so k smaller
 * (at the origin with ρ = 0, 2.95; with ρ = −0.86, 2.15). k depends only on the truth in units of
 * its σ, a/σ_a and c/σ_c, and on the correlation ρ. It is found as the CL quantile of t over
 * {@value #DRAWS} fixed normal pairs (a seeded generator: the same draws on every call, so k is a
 * smooth, reproducible function of its arguments); with more than {@value #FAR_SIGMAS} σ to both
 * boundaries it is the χ²₂ value.
 *
 * <p>Not thread-safe (scratch array); one instance per {@link JointFit}.
 */
public final class ContourCriticalValue {
  /** Normal pairs per critical value. */
  public static final int DRAWS = 4000;
  /** Beyond this distance (in σ) from both boundaries the χ²₂ value holds. */
  public static final double FAR_SIGMAS = 4.5;

  private final double confidenceLevel;
  private final double interior;
  private final double[] z1 = new double[DRAWS];
  private final double[] z2 = new double[DRAWS];
  private final double[] t = new double[DRAWS];
  private double lastRho = Double.NaN;
  private double lastOrigin;

  public ContourCriticalValue(double confidenceLevel) {
    if (!(confidenceLevel > 0 && confidenceLevel < 1)) {
      throw new InvalidLimitInputException("confidence level must be in (0,1): " + confidenceLevel);
    }
    this.confidenceLevel = confidenceLevel;
    this.interior = -2.0 * Math.log(1.0 - confidenceLevel);
    Random random = new Random(20261207L);
    for (int i = 0; i < DRAWS; i++) {
      z1[i] = random.nextGaussian();
      z2[i] = random.nextGaussian();
    }
  }

  /**
   * k at the vertex (0, 0), the smallest over the quadrant: the root of the chi-bar-square tail
   * ½P(χ²₁ &gt; k) + w₂P(χ²₂ &gt; k) = 1 − CL, w₂ = ¼ + arcsin ρ/(2π) (bisection; cached for the last ρ).
   */
  public double originValue(double rho) {
    if (rho == lastRho) {
      return lastOrigin;
    }
    double w2 = 0.25 + Math.asin(Math.max(-1, Math.min(1, rho))) / (2 * Math.PI);
    double lo = 0;
    double hi = interior;
    for (int i = 0; i < 60; i++) {
      double k = 0.5 * (lo + hi);
      double tail = (1.0 - StandardNormal.cdf(Math.sqrt(k))) + w2 * Math.exp(-0.5 * k);
      if (tail > 1 - confidenceLevel) {
        lo = k;
      } else {
        hi = k;
      }
    }
    lastRho = rho;
    lastOrigin = 0.5 * (lo + hi);
    return lastOrigin;
  }

  /** −2 ln(1 − CL): the χ²₂ quantile, the value away from the boundaries. */
  public double interiorValue() {
    return interior;
  }

  /**
   * k for the truth at (a/σ_a, c/σ_c) = (u, v), both ≥ 0, with correlation ρ of the estimates.
   */
  public double value(double u, double v, double rho) {
    if (u >= FAR_SIGMAS && v >= FAR_SIGMAS) {
      return interior;
    }
    double r = Math.max(-0.999999, Math.min(0.999999, rho));
    double s = Math.sqrt(1 - r * r);
    // Precision matrix of standardised estimates: P = [[1, −ρ], [−ρ, 1]] / (1 − ρ²).
    double det = 1 - r * r;
    for (int i = 0; i < DRAWS; i++) {
      double e1 = z1[i];
      double e2 = r * z1[i] + s * z2[i];
      double x1 = u + e1;
      double x2 = v + e2;
      double full = (e1 * e1 - 2 * r * e1 * e2 + e2 * e2) / det;
      t[i] = full - distanceToQuadrant(x1, x2, r, det);
    }
    return select(t, (int) Math.ceil(confidenceLevel * DRAWS) - 1);
  }

  /** min over y ≥ 0 of (x − y)ᵀP(x − y) for standardised x, P as above. */
  static double distanceToQuadrant(double x1, double x2, double r, double det) {
    if (x1 >= 0 && x2 >= 0) {
      return 0.0;
    }
    double best = (x1 * x1 - 2 * r * x1 * x2 + x2 * x2) / det; // the origin
    // On the edge y2 = 0: minimise over y1 ≥ 0; P11 = P22 = 1/det, P12 = −r/det: y1 = x1 − r x2.
    double y1 = x1 - r * x2;
    if (y1 > 0) {
      double d1 = x1 - y1;
      best = Math.min(best, (d1 * d1 - 2 * r * d1 * x2 + x2 * x2) / det);
    }
    double y2 = x2 - r * x1;
    if (y2 > 0) {
      double d2 = x2 - y2;
      best = Math.min(best, (x1 * x1 - 2 * r * x1 * d2 + d2 * d2) / det);
    }
    return best;
  }

  /** The k-th smallest value (0-based) of a (reordered in place): quickselect. */
  static double select(double[] a, int k) {
    int lo = 0;
    int hi = a.length - 1;
    while (lo < hi) {
      double pivot = a[(lo + hi) >>> 1];
      int i = lo;
      int j = hi;
      while (i <= j) {
        while (a[i] < pivot) {
          i++;
        }
        while (a[j] > pivot) {
          j--;
        }
        if (i <= j) {
          double tmp = a[i];
          a[i] = a[j];
          a[j] = tmp;
          i++;
          j--;
        }
      }
      if (k <= j) {
        hi = j;
      } else if (k >= i) {
        lo = i;
      } else {
        return a[k];
      }
    }
    return a[k];
  }
}
