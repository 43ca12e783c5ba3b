package org.nudaq.monitor.calibration;

import java.util.List;
import org.nudaq.monitor.physics.DetectorResponse;

/**
 * The resolution of an HPGe detector as {@code FWHM(E)² = noiseKeV2 + slopeKeV·E} (electronic noise plus
 * the Fano term, the form of {@link DetectorResponse}), fitted to the lines' widths. With lines spread
 * over at least 2 keV both terms are fitted (weighted least squares on FWHM², σ(FWHM²) = 2·FWHM·σ_FWHM);
 * otherwise the configured curve is scaled by the weighted mean ratio of fitted to configured FWHM.
 * Immutable.
 *
 * @param noiseKeV2  FWHM² at zero energy, keV²
 * @param slopeKeV   the energy term, keV (FWHM² per keV of energy)
 */
public record ResolutionCurve(double noiseKeV2, double slopeKeV) {

  /** The configured (nominal) curve of a detector. */
  public static ResolutionCurve of(DetectorResponse r) {
    double f0 = r.fwhmKeV(0);
    double f10 = r.fwhmKeV(10);
    return new ResolutionCurve(f0 * f0, (f10 * f10 - f0 * f0) / 10);
  }

  /** FWHM at an energy, keV. */
  public double fwhmKeV(double energyKeV) {
    return Math.sqrt(Math.max(1e-12, noiseKeV2 + slopeKeV * energyKeV));
  }

  /** Gaussian σ at an energy, keV. */
  public double sigmaKeV(double energyKeV) {
    return fwhmKeV(energyKeV) / 2.3548200450309493;
  }

  /**
   * The curve through fitted lines.
   *
   * @param lines         fitted lines
   * @param gainKeVPerAdc the energy scale's gain, to turn widths into keV
   * @param prior         the configured curve
   */
  public static ResolutionCurve fit(List<LineFit> lines, double gainKeVPerAdc, ResolutionCurve prior) {
    double lo = Double.MAX_VALUE;
    double hi = -Double.MAX_VALUE;
    for (LineFit l : lines) {
      lo = Math.min(lo, l.energyKeV());
      hi = Math.max(hi, l.energyKeV());
    }
    double k = 2.3548200450309493 * gainKeVPerAdc;
    if (lines.size() >= 2 && hi - lo >= 2) {
      double sw = 0, swe = 0, swy = 0, swee = 0, swey = 0;
      for (LineFit l : lines) {
        double f = k * l.sigmaAdc();
        double sf = k * l.sigmaErrAdc();
        double w = 1 / Math.pow(2 * f * sf, 2);
        double y = f * f;
        double e = l.energyKeV();
        sw += w;
        swe += w * e;
        swy += w * y;
        swee += w * e * e;
        swey += w * e * y;
      }
      double det = sw * swee - swe * swe;
      double a = (swee * swy - swe * swey) / det;
      double b = (sw * swey - swe * swy) / det;
      if (a > 0 && b >= 0) {
        return new ResolutionCurve(a, b);
      }
    }
    double sw = 0;
    double swr = 0;
    for (LineFit l : lines) {
      double r = k * l.sigmaAdc() / prior.fwhmKeV(l.energyKeV());
      double sr = k * l.sigmaErrAdc() / prior.fwhmKeV(l.energyKeV());
      sw += 1 / (sr * sr);
      swr += r / (sr * sr);
    }
    double s = sw > 0 ? swr / sw : 1;
    return new ResolutionCurve(prior.noiseKeV2 * s * s, prior.slopeKeV * s * s);
  }
}
