package org.nudaq.monitor.calibration;

/**
 * An energy scale {@code E = offsetKeV + gainKeVPerAdc · adc + quadraticKeVPerAdc2 · adc²} with its uncertainties,
 * as fitted from lines: linear ({@link EnergyScaleFit}; the quadratic term 0) or of order 2
 * ({@link QuadraticScaleFit}, {@code calibration.terms: quadratic}). Immutable.
 *
 * @param offsetKeV         offset, keV
 * @param gainKeVPerAdc     gain, keV per ADC channel
 * @param offsetErrKeV      standard error of the offset, keV (0 when it was not fitted)
 * @param gainErrKeVPerAdc  standard error of the gain, keV per ADC channel
 * @param covariance        covariance of offset and gain, keV²/ADC
 * @param chi2              χ² of the line positions against the scale
 * @param ndf               its degrees of freedom
 * @param quadraticKeVPerAdc2     the quadratic term, keV per ADC² (0: a linear scale)
 * @param quadraticErrKeVPerAdc2  its standard error (0 when not fitted)
 */
public record EnergyScale(double offsetKeV, double gainKeVPerAdc, double offsetErrKeV, double gainErrKeVPerAdc,
    double covariance, double chi2, int ndf, double quadraticKeVPerAdc2, double quadraticErrKeVPerAdc2) {

  /** A linear scale (no quadratic term). */
  public EnergyScale(double offsetKeV, double gainKeVPerAdc, double offsetErrKeV, double gainErrKeVPerAdc,
      double covariance, double chi2, int ndf) {
    this(offsetKeV, gainKeVPerAdc, offsetErrKeV, gainErrKeVPerAdc, covariance, chi2, ndf, 0, 0);
  }

  /** Whether it has a quadratic term. */
  public boolean quadratic() {
    return quadraticKeVPerAdc2 != 0;
  }

  /** Energy of an ADC value, keV. */
  public double energyKeV(double adc) {
    return offsetKeV + gainKeVPerAdc * adc + quadraticKeVPerAdc2 * adc * adc;
  }

  /**
   * The ADC value of an energy (with a quadratic term the root on the scale's rising branch, written
   * 2(E − o) / (g + √(g² + 4q(E − o))) so that it stays exact as q → 0).
   */
  public double adc(double energyKeV) {
    double d = energyKeV - offsetKeV;
    if (quadraticKeVPerAdc2 == 0) {
      return d / gainKeVPerAdc;
    }
    return 2 * d / (gainKeVPerAdc + Math.sqrt(gainKeVPerAdc * gainKeVPerAdc + 4 * quadraticKeVPerAdc2 * d));
  }

  /**
   * Standard error of the energy this scale gives an ADC value, keV: offset, gain and their covariance, plus the
   * quadratic term's own error (its covariances with the others are not kept).
   */
  public double energyErrKeV(double adc) {
    double v = offsetErrKeV * offsetErrKeV + adc * adc * gainErrKeVPerAdc * gainErrKeVPerAdc + 2 * adc * covariance
        + Math.pow(adc, 4) * quadraticErrKeVPerAdc2 * quadraticErrKeVPerAdc2;
    return Math.sqrt(Math.max(0, v));
  }

  /** The coefficients as the channel configuration writes them: {offset, gain}, or {offset, gain, quadratic}. */
  public double[] coefficients() {
    return quadraticKeVPerAdc2 == 0 ? new double[] {offsetKeV, gainKeVPerAdc}
        : new double[] {offsetKeV, gainKeVPerAdc, quadraticKeVPerAdc2};
  }
}
