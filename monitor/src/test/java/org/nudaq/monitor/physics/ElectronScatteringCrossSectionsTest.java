package org.nudaq.monitor.physics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.data.Percentage.withPercentage;

import org.junit.jupiter.api.Test;

/**
 * Cross sections against hand calculations. Constants are written out here (physics.md values), not
 * taken from {@link PhysicalConstants}, so the test is independent of the code under test.
 */
class ElectronScatteringCrossSectionsTest {

  // physics.md constants, written out.
  private static final double ALPHA = 1.0 / 137.035999;
  private static final double ME_KEV = 510.99895;
  private static final double GF_PER_MEV2 = 1.1663788e-5 * 1e-6; // GeV⁻² → MeV⁻²
  private static final double HBARC2_MEV2_CM2 = 3.893794e-22;

  /** G_F² m_e/(2π) in cm²/keV: (MeV⁻⁴·MeV²cm²·MeV = cm²/MeV) / 1000. */
  private static final double WEAK_SCALE =
      GF_PER_MEV2 * GF_PER_MEV2 * HBARC2_MEV2_CM2 * (ME_KEV / 1000.0) / (2.0 * Math.PI) / 1000.0;

  /** πα²/m_e² in cm² (m_e in MeV). */
  private static final double MAGNETIC_SCALE =
      Math.PI * ALPHA * ALPHA / Math.pow(ME_KEV / 1000.0, 2) * HBARC2_MEV2_CM2;

  private final ElectronScatteringCrossSections xs = new ElectronScatteringCrossSections(0.2386);

  @Test
  void derivedScalesMatchPhysicsMdValues() {
    assertThat(WEAK_SCALE).isCloseTo(4.308e-48, withPercentage(0.01));
    assertThat(MAGNETIC_SCALE).isCloseTo(2.4947e-25, withPercentage(0.01));
    assertThat(PhysicalConstants.WEAK_SCALE_CM2_PER_KEV).isCloseTo(WEAK_SCALE, withPercentage(1e-9));
    assertThat(PhysicalConstants.MAGNETIC_SCALE_CM2).isCloseTo(MAGNETIC_SCALE, withPercentage(1e-9));
    assertThat(PhysicalConstants.GERMANIUM_ELECTRONS_PER_KG)
        .isCloseTo(6.02214076e23 * 32 / 72.630 * 1000, withPercentage(1e-12))
        .isCloseTo(2.6533e26, withPercentage(0.01));
  }

  @Test
  void weakCrossSectionAtOneMevAndTenKevMatchesHandCalculation() {
    // g_V = 2·0.2386 + 0.5 = 0.9772, g_A = −0.5
    // (g_V+g_A)² = 0.4772² = 0.22771984 ; (g_V−g_A)² = 1.4772² = 2.18211984
    // (1 − T/E)² = 0.99² = 0.9801 ; (g_A² − g_V²)·m_e·T/E² = −0.70491984·510.99895·10/1000²
    double bracket = 0.22771984 + 2.18211984 * 0.9801 - 0.70491984 * 510.99895 * 10.0 / 1.0e6;
    assertThat(bracket).isCloseTo(2.3628134, within(1e-6));
    assertThat(xs.weakCm2PerKeV(1000.0, 10.0))
        .isCloseTo(WEAK_SCALE * bracket, withPercentage(1e-8))
        .isCloseTo(1.0179e-47, withPercentage(0.02));
  }

  @Test
  void weakCrossSectionTendsToFlatLimitForRecoilFarBelowNeutrinoEnergy() {
    double gv = 2 * 0.2386 + 0.5;
    double limit = WEAK_SCALE * 2 * (gv * gv + 0.25);
    assertThat(limit).isCloseTo(1.03816e-47, withPercentage(0.01));
    // T/E = 1e-7: corrections of order 2T/E and m_e T/E² are below 1e-6.
    assertThat(xs.weakCm2PerKeV(10_000.0, 0.001)).isCloseTo(limit, withPercentage(1e-4));
  }

  @Test
  void magneticCrossSectionAtOneMevAndTenKevMatchesHandCalculation() {
    // πα²/m_e²·(1/T − 1/E) = 2.4947e-25·(0.1 − 0.001) cm²/keV
    assertThat(xs.magneticCm2PerKeVPerMuB2(1000.0, 10.0))
        .isCloseTo(MAGNETIC_SCALE * (0.1 - 0.001), withPercentage(1e-8))
        .isCloseTo(2.4697e-26, withPercentage(0.01));
  }

  @Test
  void magneticCrossSectionTendsToOneOverTForRecoilFarBelowNeutrinoEnergy() {
    assertThat(xs.magneticCm2PerKeVPerMuB2(10_000.0, 0.01))
        .isCloseTo(MAGNETIC_SCALE / 0.01, withPercentage(1e-3));
  }

  @Test
  void millichargeCrossSectionMatchesHandCalculation() {
    // T ≪ E: 2πα²/(m_e T²) = 2·(πα²/m_e²)·m_e/T² : at T = 10 keV, 2·2.4947e-25·510.99895/100 cm²/keV
    assertThat(xs.millichargeSmallRecoilCm2PerKeVPerE02(1000.0, 10.0))
        .isCloseTo(2 * MAGNETIC_SCALE * ME_KEV / 100.0, withPercentage(1e-8))
        .isCloseTo(2.5496e-24, withPercentage(0.01));
    // Exact (Giunti & Studenikin 2015): × [1 − T/E + T²/(2E²) − m_e T/(2E²)]; at E = 1 MeV, T = 10 keV:
    // 1 − 0.01 + 100/(2·10⁶) − 5109.9895/(2·10⁶) = 1 − 0.01 + 0.00005 − 0.00255499 = 0.98749501.
    assertThat(xs.millichargeCm2PerKeVPerE02(1000.0, 10.0))
        .isCloseTo(2 * MAGNETIC_SCALE * ME_KEV / 100.0 * 0.98749501, withPercentage(1e-6));
    // At the kinematic limit T_max = 2E²/(m_e + 2E) the bracket times 2E² is 2E² − T(2E + m_e) + T²
    // = T², so the bracket is T_max²/(2E²): E = 100 keV, T_max = 20000/710.99895 = 28.12943 keV,
    // bracket = 791.2648/20000 = 0.0395632; above T_max the cross section is 0.
    double tMax = 2 * 100.0 * 100.0 / (ME_KEV + 200.0);
    assertThat(xs.millichargeCm2PerKeVPerE02(100.0, tMax * (1 - 1e-12)))
        .isCloseTo(2 * MAGNETIC_SCALE * ME_KEV / (tMax * tMax) * 0.0395632, withPercentage(1e-3));
    assertThat(xs.millichargeCm2PerKeVPerE02(100.0, 30.0)).isZero();
  }

  @Test
  void crossSectionsVanishAboveKinematicLimit() {
    // T_max(1 MeV) = 2·1000²/(510.99895 + 2000) = 796.495 keV
    double tMax = 2.0 * 1000.0 * 1000.0 / (ME_KEV + 2000.0);
    assertThat(Kinematics.maxRecoilKeV(1000.0)).isCloseTo(tMax, within(1e-9));
    assertThat(xs.weakCm2PerKeV(1000.0, tMax * 0.999)).isPositive();
    assertThat(xs.weakCm2PerKeV(1000.0, tMax * 1.001)).isZero();
    assertThat(xs.magneticCm2PerKeVPerMuB2(1000.0, tMax * 1.001)).isZero();
    assertThat(xs.millichargeCm2PerKeVPerE02(1000.0, tMax * 1.001)).isZero();
  }

  @Test
  void minimumNeutrinoEnergyInvertsMaximumRecoil() {
    // E_min(T) = (T + sqrt(T² + 2 m_e T))/2 ; for T = 10 keV: (10 + sqrt(100 + 10219.979))/2 = 55.7936
    assertThat(Kinematics.minNeutrinoEnergyKeV(10.0))
        .isCloseTo((10 + Math.sqrt(100 + 2 * ME_KEV * 10)) / 2, within(1e-9))
        .isCloseTo(55.7936, within(1e-3));
    for (double e : new double[] {1.0, 55.0, 1000.0, 8000.0}) {
      assertThat(Kinematics.minNeutrinoEnergyKeV(Kinematics.maxRecoilKeV(e)))
          .isCloseTo(e, withPercentage(1e-9));
    }
  }

  @Test
  void weakMixingAngleIsAParameter() {
    ElectronScatteringCrossSections other = new ElectronScatteringCrossSections(0.23116);
    assertThat(other.vectorCoupling()).isCloseTo(2 * 0.23116 + 0.5, within(1e-15));
    assertThat(other.axialCoupling()).isEqualTo(-0.5);
    assertThat(other.weakCm2PerKeV(1000, 10)).isLessThan(xs.weakCm2PerKeV(1000, 10));
    assertThatThrownBy(() -> new ElectronScatteringCrossSections(1.2))
        .isInstanceOf(InvalidPhysicsParameterException.class)
        .hasMessageContaining("sin2ThetaW=1.2");
  }
}
