package org.nudaq.monitor.calibration;

import java.util.List;
import org.nudaq.monitor.config.CalibrationConfig;

/**
 * The energy scale from fitted lines: a weighted least-squares straight line through the points
 * (E_i, adc_i) with the line positions' errors as weights, {@code adc = a + b·E} (errors are on the ADC
 * side, where they were measured), then {@code gain = 1/b} and {@code offset = −a/b} with the errors
 * propagated to first order. With {@link CalibrationConfig.Terms#GAIN} the offset is held at the given
 * value and only b is fitted: {@code b = Σ w (E−o) adc / Σ w (E−o)²}, {@code σ_b = 1/√(Σ w (E−o)²)}.
 * Stateless, thread-safe.
 */
public final class EnergyScaleFit {
  private EnergyScaleFit() {}

  /**
   * @param lines       fitted lines (at least 1 for GAIN, 2 at different energies for GAIN_OFFSET)
   * @param terms       what to fit
   * @param offsetKeV   the offset to keep with {@code GAIN}, keV
   */
  public static EnergyScale fit(List<LineFit> lines, CalibrationConfig.Terms terms, double offsetKeV) {
    if (terms == CalibrationConfig.Terms.GAIN) {
      double swee = 0;
      double swep = 0;
      for (LineFit l : lines) {
        double w = 1 / (l.positionErrAdc() * l.positionErrAdc());
        double e = l.energyKeV() - offsetKeV;
        swee += w * e * e;
        swep += w * e * l.positionAdc();
      }
      double b = swep / swee;
      double sb = 1 / Math.sqrt(swee);
      double chi2 = 0;
      for (LineFit l : lines) {
        double r = (l.positionAdc() - b * (l.energyKeV() - offsetKeV)) / l.positionErrAdc();
        chi2 += r * r;
      }
      return new EnergyScale(offsetKeV, 1 / b, 0, sb / (b * b), 0, chi2, lines.size() - 1);
    }
    double sw = 0;
    double swe = 0;
    double swp = 0;
    double swee = 0;
    double swep = 0;
    for (LineFit l : lines) {
      double w = 1 / (l.positionErrAdc() * l.positionErrAdc());
      sw += w;
      swe += w * l.energyKeV();
      swp += w * l.positionAdc();
      swee += w * l.energyKeV() * l.energyKeV();
      swep += w * l.energyKeV() * l.positionAdc();
    }
    double det = sw * swee - swe * swe;
    double a = (swee * swp - swe * swep) / det;
    double b = (sw * swep - swe * swp) / det;
    double va = swee / det;
    double vb = sw / det;
    double cab = -swe / det;
    double chi2 = 0;
    for (LineFit l : lines) {
      double r = (l.positionAdc() - a - b * l.energyKeV()) / l.positionErrAdc();
      chi2 += r * r;
    }
    // gain g = 1/b, offset o = −a/b: Jacobian rows (∂/∂a, ∂/∂b): g → (0, −1/b²), o → (−1/b, a/b²).
    double vg = vb / Math.pow(b, 4);
    double vo = va / (b * b) + a * a * vb / Math.pow(b, 4) - 2 * a * cab / Math.pow(b, 3);
    double cog = (-1 / b) * (-1 / (b * b)) * cab + (a / (b * b)) * (-1 / (b * b)) * vb;
    return new EnergyScale(-a / b, 1 / b, Math.sqrt(Math.max(0, vo)), Math.sqrt(vg), cog, chi2, lines.size() - 2);
  }
}
