package org.nudaq.monitor.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/**
 * {@link JointFit} and {@link ContourCriticalValue} against numbers worked out by hand (with numpy,
 * the formulas written out below), not against the code itself.
 */
class JointFitTest {
  // Three bins: V = diag(1, 2, 4), s = (1, 2, 3), c = (2, 1, 0.5), d = (3, 4, 5).
  private static final double[] V = {1, 2, 4};
  private static final double[] S = {1, 2, 3};
  private static final double[] C = {2, 1, 0.5};
  private static final double[] D = {3, 4, 5};

  private static JointFit load(double[] g0) {
    int k = g0 == null ? 0 : 1;
    JointFit fit = new JointFit(k, 0.90);
    double[][] z = new double[k][3];
    fit.load(D, V, S, C, g0 == null ? z : new double[][] {g0}, z, z, 0, 3);
    return fit;
  }

  /**
   * No nuisance: the weighted least squares F = TᵀV⁻¹T, x̂ = F⁻¹TᵀV⁻¹d with T = [s c]:
   * F = [[5.25, 3.375], [3.375, 4.5625]], TᵀV⁻¹d = (10.75, 8.625) → x̂ = (1.58706, 0.71642),
   * σ = (0.60265, 0.64646), ρ = −0.68959, χ²min = 0.0099502; a alone: 10.75/5.25 = 2.04762 ± 5.25^−½ = 0.43644.
   */
  @Test
  void withoutNuisancesTheFitIsWeightedLeastSquares() {
    JointFit fit = load(null);
    JointFit.Fit f = fit.fit(fit.none(), Double.NaN, Double.NaN);
    assertThat(f.a()).isCloseTo(1.58706468, within(1e-7));
    assertThat(f.c()).isCloseTo(0.71641791, within(1e-7));
    assertThat(Math.sqrt(f.varA())).isCloseTo(0.60264756, within(1e-7));
    assertThat(Math.sqrt(f.varC())).isCloseTo(0.64645994, within(1e-7));
    assertThat(f.covAc() / Math.sqrt(f.varA() * f.varC())).isCloseTo(-0.68959275, within(1e-7));
    assertThat(f.chi2()).isCloseTo(0.00995025, within(1e-7));
    JointFit.OneParameter a = fit.oneAtATime(fit.none(), true);
    assertThat(a.hat()).isCloseTo(2.04761905, within(1e-7));
    assertThat(a.sigma()).isCloseTo(0.43643578, within(1e-7));
    assertThat(a.significance()).isCloseTo(2.04761905 / 0.43643578, within(1e-6));
  }

  /**
   * A nuisance of template g = (0.5, 0.5, 0.5) with a unit Gaussian constraint, profiled, is the same
   * as the covariance V + ggᵀ (the standard equivalence): x̂ = (1.58670, 0.71597), σ = (0.62025, 0.67080),
   * ρ = −0.58257, χ²min = 0.0099441; a alone 1.97238 ± 0.50413.
   */
  @Test
  void aProfiledNuisanceEqualsItsCovariance() {
    JointFit fit = load(new double[] {0.5, 0.5, 0.5});
    JointFit.Fit f = fit.fit(fit.all(), Double.NaN, Double.NaN);
    assertThat(f.a()).isCloseTo(1.58669981, within(1e-7));
    assertThat(f.c()).isCloseTo(0.71597265, within(1e-7));
    assertThat(Math.sqrt(f.varA())).isCloseTo(0.62025076, within(1e-7));
    assertThat(Math.sqrt(f.varC())).isCloseTo(0.67079723, within(1e-7));
    assertThat(f.covAc() / Math.sqrt(f.varA() * f.varC())).isCloseTo(-0.58257253, within(1e-7));
    assertThat(f.chi2()).isCloseTo(0.00994406, within(1e-7));
    JointFit.OneParameter a = fit.oneAtATime(fit.all(), true);
    assertThat(a.hat()).isCloseTo(1.97237569, within(1e-7));
    assertThat(a.sigma()).isCloseTo(0.50412662, within(1e-7));
    // Switched off, the same load gives the statistics-only numbers.
    assertThat(fit.oneAtATime(fit.none(), true).sigma()).isCloseTo(0.43643578, within(1e-7));
  }

  /** A nuisance scaling the signals (gs = 0.1 s, gc = 0.1 c): the fit is a true minimum of the profile χ². */
  @Test
  void aSignalScaleNuisanceFitIsAMinimum() {
    JointFit fit = new JointFit(1, 0.9);
    double[][] z = new double[1][3];
    fit.load(D, V, S, C, z, new double[][] {{0.1, 0.2, 0.3}}, new double[][] {{0.2, 0.1, 0.05}}, 0, 3);
    JointFit.Fit f = fit.fit(fit.all(), Double.NaN, Double.NaN);
    double at = fit.profileChi2(fit.all(), f.a(), f.c());
    assertThat(at).isCloseTo(f.chi2(), within(1e-9));
    for (double da : new double[] {-0.01, 0.01}) {
      assertThat(fit.profileChi2(fit.all(), f.a() + da, f.c())).isGreaterThan(at);
      assertThat(fit.profileChi2(fit.all(), f.a(), f.c() + da)).isGreaterThan(at);
    }
  }

  /** The closed-form profile χ² (Cholesky on the Gram matrix) equals the iterative minimisation. */
  @Test
  void closedFormProfileEqualsTheIterativeFit() {
    JointFit fit = new JointFit(2, 0.9);
    fit.load(D, V, S, C, new double[][] {{0.5, 0.5, 0.5}, {0.1, 0, 0.3}}, new double[][] {{0.1, 0.2, 0.3}, {0, 0, 0}},
        new double[][] {{0.2, 0.1, 0.05}, {0.1, 0, 0}}, 0, 3);
    for (double[] p : new double[][] {{0, 0}, {1.5, 0.7}, {3, -1}, {0.2, 2}}) {
      assertThat(fit.profileChi2(fit.all(), p[0], p[1])).isCloseTo(fit.fit(fit.all(), p[0], p[1]).chi2(), within(1e-9));
      assertThat(fit.profileChi2(fit.only(1), p[0], p[1])).isCloseTo(fit.fit(fit.only(1), p[0], p[1]).chi2(),
          within(1e-9));
    }
  }

  /**
   * An estimate far below the boundary (d = −10 s: â ≈ −10 with σ ≈ 0.6) leaves a thin region along a = 0;
   * the grid is redrawn over it, so that at least five columns of the 41 hold points of the region, and
   * every point it reports is accepted.
   */
  @Test
  void theContourGridFollowsAThinRegion() {
    JointFit fit = new JointFit(0, 0.90);
    double[][] z = new double[0][3];
    double[] d = {-10 * S[0], -10 * S[1], -10 * S[2]};
    fit.load(d, V, S, C, z, z, z, 0, 3);
    JointResult r = fit.result(fit.none(), 41);
    int columns = 0;
    for (int i = 0; i < 41; i++) {
      if (!Double.isNaN(r.contourCLow()[i])) {
        columns++;
        assertThat(fit.contains(fit.none(), r.contourA()[i], r.contourCHigh()[i])).isTrue();
      }
    }
    assertThat(columns).isGreaterThanOrEqualTo(5);
    assertThat(r.aHat()).isLessThan(-5);
  }

  /**
   * The joint significance: p = ½P(χ²₁ > t) + w₂P(χ²₂ > t), w₂ = ¼ + arcsin ρ/(2π). ρ = 0, t = 4:
   * p = ½·0.045500 + ¼·e⁻² = 0.056584, Z = 1.58411.
   */
  @Test
  void jointSignificanceIsTheChiBarSquareTail() {
    assertThat(JointFit.jointSignificance(4.0, 0.0)).isCloseTo(1.58411344, within(1e-6));
    assertThat(JointFit.jointSignificance(0.0, -0.86)).isEqualTo(0.0);
    // Large t: stays finite and grows.
    assertThat(JointFit.jointSignificance(400, 0.3)).isGreaterThan(19.5);
  }

  /**
   * At the origin the ordering statistic is the chi-bar-square mixture, so the Monte Carlo critical
   * value must equal the root of ½P(χ²₁ > k) + w₂P(χ²₂ > k) = 0.10: k = 2.9524 at ρ = 0 and 2.1562 at
   * ρ = −0.86 (w₂ = 0.085232); far from both boundaries k = −2 ln 0.1 = 4.6052.
   */
  @Test
  void criticalValuesMatchTheChiBarSquareAtTheOriginAndChiSquareFarAway() {
    ContourCriticalValue k = new ContourCriticalValue(0.90);
    assertThat(k.value(0, 0, 0.0)).isCloseTo(2.9524, within(0.12));
    assertThat(k.value(0, 0, -0.86)).isCloseTo(2.1562, within(0.12));
    assertThat(k.value(10, 10, -0.86)).isCloseTo(4.60517, within(1e-5));
    assertThat(k.originValue(0.0)).isCloseTo(2.95242, within(1e-4));
    assertThat(k.originValue(-0.86)).isCloseTo(2.15615, within(1e-4));
    // On one boundary, far from the other, with ρ = 0: t = e₂² + e₁²·[e₁ > 0], so
    // ½P(χ²₁ > k) + ½P(χ²₂ > k) = 0.10 gives k = 3.8078.
    assertThat(k.value(0, 10, 0.0)).isCloseTo(3.8078, within(0.12));
  }
}
