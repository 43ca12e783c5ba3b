package org.nudaq.monitor.calibration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The order-2 energy scale against hand calculations. */
class QuadraticScaleFitTest {
  private static LineFit line(double energyKeV, double positionAdc, double positionErrAdc) {
    return new LineFit(energyKeV, positionAdc, positionErrAdc, 20, 1, 1000, 30, 30, 30);
  }

  /**
   * E = 0.1 + 0.005·adc + 1e-8·adc², by hand at adc = 1000, 2000, 12000: 0.1 + 5 + 0.01 = 5.11 keV,
   * 0.1 + 10 + 0.04 = 10.14 keV, 0.1 + 60 + 1.44 = 61.54 keV. Three lines, three coefficients: the fit goes
   * through them (χ² = 0, ndf = 0) and gives the coefficients back.
   */
  @Test
  void threeLinesOnAnExactQuadraticGiveItsCoefficientsBack() {
    List<LineFit> lines = List.of(line(5.11, 1000, 2), line(10.14, 2000, 2), line(61.54, 12000, 2));
    EnergyScale s = QuadraticScaleFit.fit(lines, 0.005);
    assertThat(s).isNotNull();
    assertThat(s.offsetKeV()).isCloseTo(0.1, within(1e-9));
    assertThat(s.gainKeVPerAdc()).isCloseTo(0.005, within(1e-13));
    assertThat(s.quadraticKeVPerAdc2()).isCloseTo(1e-8, within(1e-16));
    assertThat(s.chi2()).isCloseTo(0, within(1e-12));
    assertThat(s.ndf()).isZero();
    assertThat(s.coefficients()).hasSize(3);
    // The scale maps the positions to the energies and back.
    assertThat(s.energyKeV(12000)).isCloseTo(61.54, within(1e-9));
    assertThat(s.adc(61.54)).isCloseTo(12000, within(1e-6));
    assertThat(s.adc(5.11)).isCloseTo(1000, within(1e-6));
  }

  /**
   * Errors by hand: with three points the coefficients are a linear map of the energies, c = V⁻¹ E (V the
   * Vandermonde matrix of the positions), so Var c2 = Σ_i (V⁻¹)_{2i}² σ_E,i². For adc = 0, 1000, 2000 the
   * second difference gives c2 = (E0 − 2E1 + E2) / (2·1000²): (V⁻¹)_{2·} = (1, −2, 1)/2e6, and with
   * σ_E = g·σ_adc = 0.005 · 2 = 0.01 keV each, σ_c2 = 0.01 · √6 / 2e6 = 1.2247e-8 keV/ADC².
   */
  @Test
  void theQuadraticTermsErrorIsTheHandPropagatedOne() {
    List<LineFit> lines = List.of(line(0.1, 0, 2), line(5.11, 1000, 2), line(10.14, 2000, 2));
    EnergyScale s = QuadraticScaleFit.fit(lines, 0.005);
    assertThat(s).isNotNull();
    assertThat(s.quadraticKeVPerAdc2()).isCloseTo(1e-8, within(1e-15));
    assertThat(s.quadraticErrKeVPerAdc2()).isCloseTo(0.01 * Math.sqrt(6) / 2e6, within(1e-13));
    // c0 is E0 itself: σ_c0 = σ_E = 0.01 keV.
    assertThat(s.offsetErrKeV()).isCloseTo(0.01, within(1e-9));
  }

  /** Two lines, or three within 2 keV, give no quadratic scale (the linear one stays). */
  @Test
  void tooFewLinesOrTooNarrowASpanGiveNone() {
    assertThat(QuadraticScaleFit.fit(List.of(line(5.11, 1000, 2), line(10.14, 2000, 2)), 0.005)).isNull();
    assertThat(QuadraticScaleFit.fit(List.of(line(10.37, 2074, 2), line(9.66, 1932, 2), line(8.98, 1796, 2)), 0.005))
        .isNull();
    assertThat(QuadraticScaleFit.enough(List.of(line(10.37, 2074, 2), line(9.66, 1932, 2), line(8.33, 1666, 2))))
        .isTrue();
  }
}
