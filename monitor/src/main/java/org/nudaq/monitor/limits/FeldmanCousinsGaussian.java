package org.nudaq.monitor.limits;

import org.hipparchus.analysis.UnivariateFunction;
import org.hipparchus.analysis.solvers.BrentSolver;

/**
 * Feldman–Cousins unified intervals (PRD 57 (1998) 3873, section IV.B) for a Gaussian
 * measurement x of unit σ whose mean μ is bounded, μ ≥ 0. Computed exactly by root finding, no
 * tables.
 *
 * <p>The ordering ratio is R(x|μ) = exp(−(x−μ)²/2) / exp(−(x−μ_best)²/2) with μ_best = max(0, x),
 * so −2 ln R = (x−μ)² for x ≥ 0 and −2 ln R = μ² − 2μx for x &lt; 0. The acceptance region of μ,
 * {x : −2 ln R ≤ d²}, is the interval [x1, x2] with x2 = μ + d and
 * <pre>
 *   x1 = μ − d              if d ≤ μ   (the left end lies where x ≥ 0: the quadratic branch)
 *   x1 = μ/2 − d²/(2μ)      if d &gt; μ   (the left end lies where x &lt; 0: the linear branch)
 * </pre>
 * so R(x1) = R(x2) by construction, and the half-width d(μ) is the root of
 * Φ(d) − Φ(x1 − μ) = CL, bracketed by [Φ⁻¹(CL), Φ⁻¹((1+CL)/2)] (the one-sided and the central
 * widths). At μ = 0 the region is (−∞, Φ⁻¹(CL)].
 *
 * <p>For an observed x the interval is {μ : x ∈ [x1(μ), x2(μ)]}; both ends are monotone in μ, so
 * the upper limit is the root of x1(μ) = x and, when x &gt; x2(0) = Φ⁻¹(CL), the lower limit is
 * the root of x2(μ) = x. A negative x gives a small but positive upper limit (x1 → −∞ as μ → 0);
 * a large x gives the two-sided interval tending to x ± Φ⁻¹((1+CL)/2).
 *
 * <p>Immutable and thread-safe: each call creates its own (small) solver.
 */
public final class FeldmanCousinsGaussian {

  /** Smallest μ tried: x1(μ) ≈ −d²/(2μ) is then below any x we accept. */
  private static final double MU_FLOOR = 1e-15;
  /** Observed values below this are clamped (the limit there is ~ 1e-10 already). */
  private static final double X_FLOOR = -1e9;

  private static final int MAX_EVALUATIONS = 500;

  private final double confidenceLevel;
  private final double oneSidedWidth;
  private final double centralWidth;

  /**
   * @param confidenceLevel the confidence level, 0 &lt; CL &lt; 1 (0.90 for the published limits)
   */
  public FeldmanCousinsGaussian(double confidenceLevel) {
    if (!(confidenceLevel > 0.0 && confidenceLevel < 1.0)) {
      throw new InvalidLimitInputException(
          "confidence level must be in (0,1): confidenceLevel=" + confidenceLevel);
    }
    this.confidenceLevel = confidenceLevel;
    this.oneSidedWidth = StandardNormal.inverseCdf(confidenceLevel);
    this.centralWidth = StandardNormal.inverseCdf(0.5 * (1.0 + confidenceLevel));
  }

  public double confidenceLevel() {
    return confidenceLevel;
  }

  /**
   * The FC half-width d(μ) (in units of σ): x is accepted at μ iff −2 ln R(x|μ) ≤ d(μ)². This is
   * also the critical value √c of the bounded likelihood-ratio statistic t̃ at true mean μ/σ in
   * the asymptotic regime, which {@link OnOffProfileLikelihood} uses.
   *
   * @param mu true mean in units of σ, ≥ 0
   */
  public double acceptanceHalfWidth(double mu) {
    if (!(mu >= 0.0)) {
      throw new InvalidLimitInputException("FC acceptance needs mu >= 0: mu=" + mu);
    }
    if (mu == 0.0) {
      return oneSidedWidth;
    }
    if (mu == Double.POSITIVE_INFINITY) {
      return centralWidth;
    }
    // Once the central interval's left end μ − d is ≥ 0 the region is the central one.
    if (mu >= centralWidth) {
      return centralWidth;
    }
    UnivariateFunction coverageMinusCl =
        d -> StandardNormal.cdf(d) - StandardNormal.cdf(leftEnd(mu, d) - mu) - confidenceLevel;
    double low = coverageMinusCl.value(oneSidedWidth);
    if (low >= 0.0) {
      return oneSidedWidth;
    }
    return new BrentSolver(1e-15, 1e-14)
        .solve(MAX_EVALUATIONS, coverageMinusCl, oneSidedWidth, centralWidth);
  }

  /** x1(μ): the left end of the acceptance region of μ (units of σ); −∞ at μ = 0. */
  public double acceptanceLower(double mu) {
    if (mu == 0.0) {
      return Double.NEGATIVE_INFINITY;
    }
    return leftEnd(mu, acceptanceHalfWidth(mu));
  }

  /** x2(μ) = μ + d(μ): the right end of the acceptance region of μ (units of σ). */
  public double acceptanceUpper(double mu) {
    return mu + acceptanceHalfWidth(mu);
  }

  /**
   * The FC interval on μ for an observed x, both in units of σ.
   *
   * @param x observed value / σ; any finite value (negative allowed)
   */
  public ConfidenceInterval interval(double x) {
    if (Double.isNaN(x) || x == Double.POSITIVE_INFINITY) {
      throw new InvalidLimitInputException("FC interval needs a finite observation: x=" + x);
    }
    double xc = Math.max(x, X_FLOOR);
    BrentSolver solver = new BrentSolver(1e-13, 1e-15);

    // Upper limit: x1(μ) = x. x1(μ) ≥ μ − d(μ) ≥ μ − centralWidth, so μ = x + centralWidth + 1
    // lies above; x1(MU_FLOOR) ~ −1e15 lies below.
    double muHigh = Math.max(xc, 0.0) + centralWidth + 1.0;
    UnivariateFunction lowerEndMinusX = mu -> acceptanceLower(mu) - xc;
    double upper = lowerEndMinusX.value(MU_FLOOR) >= 0.0
        ? MU_FLOOR
        : solver.solve(MAX_EVALUATIONS, lowerEndMinusX, MU_FLOOR, muHigh);

    // Lower limit: x2(μ) = x when x is beyond the acceptance of μ = 0.
    double lower = 0.0;
    if (xc > oneSidedWidth) {
      UnivariateFunction upperEndMinusX = mu -> acceptanceUpper(mu) - xc;
      lower = solver.solve(MAX_EVALUATIONS, upperEndMinusX, 0.0, xc);
    }
    return new ConfidenceInterval(lower, Math.max(upper, lower));
  }

  /**
   * The FC interval on the true value for an estimate {@code xHat ± sigma}, in the units of xHat.
   *
   * @param xHat the estimate (may be negative)
   * @param sigma its standard deviation, &gt; 0
   */
  public ConfidenceInterval interval(double xHat, double sigma) {
    if (!(sigma > 0.0) || Double.isInfinite(sigma)) {
      throw new InvalidLimitInputException("FC interval needs 0 < sigma < inf: sigma=" + sigma);
    }
    return interval(xHat / sigma).scaled(sigma);
  }

  private static double leftEnd(double mu, double d) {
    return d <= mu ? mu - d : 0.5 * mu - d * d / (2.0 * mu);
  }
}
