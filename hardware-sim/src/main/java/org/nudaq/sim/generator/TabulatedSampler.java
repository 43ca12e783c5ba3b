package org.nudaq.sim.generator;

import java.util.function.DoubleUnaryOperator;

/**
 * Draws values from a density given on a grid, by inverting its cumulative distribution
 * (piecewise-linear density, so the CDF is piecewise quadratic; we invert linearly within a cell,
 * which is exact for a flat cell and accurate to the grid spacing otherwise).
 *
 * <p>Immutable after construction; {@link #sample(double)} allocates nothing and is thread-safe.
 */
public final class TabulatedSampler {
  private final double[] x;
  private final double[] cdf;
  private final double integral;

  /**
   * @param x       strictly increasing grid
   * @param density non-negative density at each grid point (any normalisation)
   */
  public TabulatedSampler(double[] x, double[] density) {
    if (x.length < 2 || x.length != density.length) {
      throw new IllegalArgumentException("need a grid of >= 2 points and one density per point, got " + x.length + " and " + density.length);
    }
    this.x = x.clone();
    this.cdf = new double[x.length];
    double sum = 0;
    for (int i = 1; i < x.length; i++) {
      if (!(x[i] > x[i - 1])) {
        throw new IllegalArgumentException("grid must increase strictly: x[" + i + "]=" + x[i] + " after " + x[i - 1]);
      }
      if (density[i] < 0 || density[i - 1] < 0 || !Double.isFinite(density[i])) {
        throw new IllegalArgumentException("density must be finite and >= 0 at x=" + x[i]);
      }
      sum += 0.5 * (density[i] + density[i - 1]) * (x[i] - x[i - 1]);
      cdf[i] = sum;
    }
    if (!(sum > 0)) {
      throw new IllegalArgumentException("density integrates to zero");
    }
    for (int i = 0; i < cdf.length; i++) {
      cdf[i] /= sum;
    }
    this.integral = sum;
  }

  /** A sampler of {@code density} on {@code n} points spaced evenly in [low, high]. */
  public static TabulatedSampler of(DoubleUnaryOperator density, double low, double high, int n) {
    double[] xs = new double[n];
    double[] ds = new double[n];
    for (int i = 0; i < n; i++) {
      xs[i] = low + (high - low) * i / (n - 1);
      ds[i] = density.applyAsDouble(xs[i]);
    }
    return new TabulatedSampler(xs, ds);
  }

  /** The integral of the density as given (trapezoid rule on the grid). */
  public double integral() {
    return integral;
  }

  /** A value for the uniform deviate {@code u} in [0, 1). */
  public double sample(double u) {
    int lo = 0;
    int hi = cdf.length - 1;
    while (hi - lo > 1) {
      int mid = (lo + hi) >>> 1;
      if (cdf[mid] <= u) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    double span = cdf[hi] - cdf[lo];
    double f = span > 0 ? (u - cdf[lo]) / span : 0;
    return x[lo] + f * (x[hi] - x[lo]);
  }
}
