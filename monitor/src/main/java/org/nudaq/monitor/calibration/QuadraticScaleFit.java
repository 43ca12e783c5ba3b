package org.nudaq.monitor.calibration;

import java.util.List;
import org.hipparchus.linear.DecompositionSolver;
import org.hipparchus.linear.LUDecomposition;
import org.hipparchus.linear.MatrixUtils;
import org.hipparchus.linear.RealMatrix;

/**
 * The energy scale of polynomial order 2 ({@code calibration.terms: quadratic}) through fitted lines:
 * {@code E = c0 + c1·adc + c2·adc²} by weighted least squares on the line energies, each point's error the
 * position's error carried to energy through the linear scale's gain, σ_E,i = g·σ_adc,i (effective variance;
 * the model is linear in c0, c1, c2, so the normal equations solve it exactly: with three lines the
 * polynomial goes through them, χ² = 0, ndf = 0). Solved in t = adc / adc_max (the powers of adc span 8 orders
 * of magnitude: the normal matrix is conditioned in t), then c1 = d1/adc_max, c2 = d2/adc_max². Errors from the
 * inverse of the normal matrix, scaled likewise. A
 * nonlinearity only shows over a span of energies: fewer than {@link #MIN_LINES} lines, or lines spanning less
 * than {@link #MIN_SPAN_KEV}, give no quadratic scale (null) and the linear one stays. Stateless, thread-safe.
 */
public final class QuadraticScaleFit {
  /** Lines (fitted on disjoint data, at different energies) a quadratic scale needs. */
  public static final int MIN_LINES = 3;
  /** The lowest and highest of them at least this far apart, keV (as for the resolution curve's slope). */
  public static final double MIN_SPAN_KEV = 2;

  private QuadraticScaleFit() {}

  /** Whether the lines can give a quadratic scale ({@link #MIN_LINES} spanning {@link #MIN_SPAN_KEV}). */
  public static boolean enough(List<LineFit> lines) {
    if (lines.size() < MIN_LINES) {
      return false;
    }
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    long distinct = lines.stream().mapToDouble(LineFit::energyKeV).distinct().count();
    for (LineFit l : lines) {
      lo = Math.min(lo, l.energyKeV());
      hi = Math.max(hi, l.energyKeV());
    }
    return distinct >= MIN_LINES && hi - lo >= MIN_SPAN_KEV;
  }

  /**
   * @param lines          fitted lines ({@link #enough})
   * @param gainKeVPerAdc  the linear scale's gain, to carry the positions' errors to energy
   * @return the scale, or null when the lines are not {@link #enough} or the normal equations are singular
   */
  public static EnergyScale fit(List<LineFit> lines, double gainKeVPerAdc) {
    if (!enough(lines)) {
      return null;
    }
    double scale = 0;
    for (LineFit l : lines) {
      scale = Math.max(scale, Math.abs(l.positionAdc()));
    }
    double[][] normal = new double[3][3];
    double[] rhs = new double[3];
    for (LineFit l : lines) {
      double sigmaE = gainKeVPerAdc * l.positionErrAdc();
      double w = 1 / (sigmaE * sigmaE);
      double t = l.positionAdc() / scale;
      double[] x = {1, t, t * t};
      for (int r = 0; r < 3; r++) {
        rhs[r] += w * x[r] * l.energyKeV();
        for (int q = 0; q < 3; q++) {
          normal[r][q] += w * x[r] * x[q];
        }
      }
    }
    DecompositionSolver solver = new LUDecomposition(MatrixUtils.createRealMatrix(normal)).getSolver();
    if (!solver.isNonSingular()) {
      return null;
    }
    double[] d = solver.solve(MatrixUtils.createRealVector(rhs)).toArray();
    double[] c = {d[0], d[1] / scale, d[2] / (scale * scale)};
    RealMatrix inv = solver.getInverse();
    double[] f = {1, 1 / scale, 1 / (scale * scale)};
    RealMatrix cov = MatrixUtils.createRealMatrix(3, 3);
    for (int r = 0; r < 3; r++) {
      for (int q = 0; q < 3; q++) {
        cov.setEntry(r, q, inv.getEntry(r, q) * f[r] * f[q]);
      }
    }
    double chi2 = 0;
    for (LineFit l : lines) {
      double a = l.positionAdc();
      double r = (l.energyKeV() - c[0] - c[1] * a - c[2] * a * a) / (gainKeVPerAdc * l.positionErrAdc());
      chi2 += r * r;
    }
    return new EnergyScale(c[0], c[1], Math.sqrt(Math.max(0, cov.getEntry(0, 0))), Math.sqrt(Math.max(0, cov.getEntry(1, 1))),
        cov.getEntry(0, 1), chi2, lines.size() - 3, c[2], Math.sqrt(Math.max(0, cov.getEntry(2, 2))));
  }
}
