package org.nudaq.monitor.limits;

/**
 * The joint fit of (a, c) = (μν², qν²) in the templates' unit scales ((1e-11 μB)², (1e-12 e0)²),
 * with the nuisances that were active, as {@link JointFit#result} computes it. Immutable apart from
 * the arrays, which the producer never touches again (treat them as read-only).
 *
 * @param aHat             unconstrained best fit of a (may be negative)
 * @param aSigma           its σ (nuisances profiled)
 * @param cHat             unconstrained best fit of c
 * @param cSigma           its σ
 * @param correlation      correlation of â and ĉ
 * @param covariance       covariance of â and ĉ
 * @param aPhysical        best fit of a inside a, c ≥ 0
 * @param cPhysical        best fit of c inside a, c ≥ 0
 * @param chi2Min          χ² at the physical best fit (constraint terms included)
 * @param bins             bins in the fit
 * @param t0               t(0, 0): the likelihood-ratio statistic of no signal at all
 * @param significance     Z of a non-zero (a, c) from t0 (chi-bar-square, see {@link JointFit#jointSignificance})
 * @param pulls            the nuisances at the free best fit, in σ of their constraints
 * @param mu               a alone (c fixed at 0), nuisances profiled
 * @param q                c alone (a fixed at 0), nuisances profiled
 * @param contourA         grid values of a for the contour (from 0)
 * @param contourCLow      per contourA value, the lowest c inside the region (NaN: none)
 * @param contourCHigh     per contourA value, the highest c inside the region (NaN: none)
 * @param confidenceLevel  of the region and the intervals
 */
public record JointResult(
    double aHat,
    double aSigma,
    double cHat,
    double cSigma,
    double correlation,
    double covariance,
    double aPhysical,
    double cPhysical,
    double chi2Min,
    int bins,
    double t0,
    double significance,
    double[] pulls,
    JointFit.OneParameter mu,
    JointFit.OneParameter q,
    double[] contourA,
    double[] contourCLow,
    double[] contourCHigh,
    double confidenceLevel) {

  /** Largest a inside the region (NaN if the grid holds none). */
  public double contourMaxA() {
    double m = Double.NaN;
    for (int i = 0; i < contourA.length; i++) {
      if (!Double.isNaN(contourCLow[i])) {
        m = contourA[i];
      }
    }
    return m;
  }

  /** Largest c inside the region (NaN if none). */
  public double contourMaxC() {
    double m = Double.NaN;
    for (double c : contourCHigh) {
      if (!Double.isNaN(c) && !(c <= m)) {
        m = c;
      }
    }
    return m;
  }
}
