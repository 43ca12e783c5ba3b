package org.nudaq.monitor.calibration;

/**
 * A linear energy scale {@code E = offsetKeV + gainKeVPerAdc · adc} with its uncertainties, as fitted
 * from lines ({@link EnergyScaleFit}). Immutable.
 *
 * @param offsetKeV         offset, keV
 * @param gainKeVPerAdc     gain, keV per ADC channel
 * @param offsetErrKeV      standard error of the offset, keV (0 when it was not fitted)
 * @param gainErrKeVPerAdc  standard error of the gain, keV per ADC channel
 * @param covariance        covariance of offset and gain, keV²/ADC
 * @param chi2              χ² of the line positions against the scale
 * @param ndf               its degrees of freedom
 */
public record EnergyScale(double offsetKeV, double gainKeVPerAdc, double offsetErrKeV, double gainErrKeVPerAdc,
    double covariance, double chi2, int ndf) {

  /** Energy of an ADC value, keV. */
  public double energyKeV(double adc) {
    return offsetKeV + gainKeVPerAdc * adc;
  }

  /** The ADC value of an energy. */
  public double adc(double energyKeV) {
    return (energyKeV - offsetKeV) / gainKeVPerAdc;
  }

  /** Standard error of the energy this scale gives an ADC value, keV. */
  public double energyErrKeV(double adc) {
    double v = offsetErrKeV * offsetErrKeV + adc * adc * gainErrKeVPerAdc * gainErrKeVPerAdc + 2 * adc * covariance;
    return Math.sqrt(Math.max(0, v));
  }

  /** The coefficients as the channel configuration writes them: {offset, gain}. */
  public double[] coefficients() {
    return new double[] {offsetKeV, gainKeVPerAdc};
  }
}
