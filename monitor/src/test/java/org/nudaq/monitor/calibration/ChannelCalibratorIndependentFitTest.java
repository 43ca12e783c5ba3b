package org.nudaq.monitor.calibration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.hipparchus.linear.Array2DRowRealMatrix;
import org.hipparchus.linear.ArrayRealVector;
import org.hipparchus.linear.DiagonalMatrix;
import org.hipparchus.linear.RealMatrix;
import org.hipparchus.linear.RealVector;
import org.hipparchus.optim.nonlinear.vector.leastsquares.LeastSquaresBuilder;
import org.hipparchus.optim.nonlinear.vector.leastsquares.LeastSquaresOptimizer;
import org.hipparchus.optim.nonlinear.vector.leastsquares.LevenbergMarquardtOptimizer;
import org.hipparchus.util.Pair;
import org.junit.jupiter.api.Test;
import org.nudaq.monitor.config.CalibrationConfig;

/**
 * Issue 17's third acceptance point at the level the daemon reports it: the Ga K 10.37 keV line as the channel
 * calibration fits and reports it (position, width, the FWHM in keV of the calibration report and metrics),
 * against an independent fit of the same raw spectrum written here from its formula, not from PeakFitter's
 * choices: Hipparchus' Levenberg–Marquardt least squares over a fixed 5.5–12.5 keV window in bins of 10 ADC
 * channels (PeakFitter: its own window, bins of σ/4), Neyman weights 1/max(y, 1) (PeakFitter: Poisson
 * likelihood), the four K lines Ga 10.37, Zn 9.66, Cu 8.98 and Fe 7.11 keV as Gaussians of one width at
 * positions E_i/10.37 × the Ga K position (the gain-only scale the calibration fits), on a straight line.
 * GEMMA-I's resolution (FWHM 1 keV), the gain 0.4 % off the configured one.
 */
class ChannelCalibratorIndependentFitTest {
  private static final long DAY_NS = 86_400_000_000_000L;
  private static final double GAIN = 0.005;
  private static final double SIGMA_KEV = 0.4247;
  private static final double FWHM_PER_SIGMA = 2.3548200450309493;
  private static final double[] ENERGIES = {10.37, 9.66, 8.98, 7.11};
  private static final ResolutionCurve GEMMA_I = new ResolutionCurve(1.0, 0.0);
  private static final CalibrationConfig CONFIG = new CalibrationConfig(true, ENERGIES, 0,
      CalibrationConfig.Terms.GAIN, 24, 10, 50, 1, 3, 3, 5, 0.1, 0.05, 0.25);

  @Test
  void gaKAsTheCalibrationReportsItAgreesWithAnIndependentLeastSquaresFit() {
    double recordGain = GAIN / 1.004;
    SyntheticSpectrum s = new SyntheticSpectrum(4000, 23).line(10.37, SIGMA_KEV, 20_000, 0, recordGain)
        .line(9.66, SIGMA_KEV, 1_300, 0, recordGain).line(8.98, SIGMA_KEV, 2_000, 0, recordGain)
        .line(7.11, SIGMA_KEV, 700, 0, recordGain).flat(2);

    double[] lines = ChannelCalibrator.usableLines(CONFIG, 2.8, GEMMA_I);
    EnergyScale nominal = new EnergyScale(0, GAIN, 0, 0, 0, 0, 0);
    ChannelCalibrator c = new ChannelCalibrator(CONFIG, lines, nominal, GEMMA_I,
        ChannelCalibrator.adcLength(lines, nominal, GEMMA_I, CONFIG, 65535));
    Calibration r = c.onInterval(0, DAY_NS, s.counts);
    assertThat(r.status()).as(r.message()).isEqualTo(CalibrationStatus.CALIBRATED);
    LineFit ga = r.lines().stream().filter(l -> l.energyKeV() == 10.37).findFirst().orElseThrow();
    double gain = r.scale().gainKeVPerAdc();
    double fwhmKeV = FWHM_PER_SIGMA * ga.sigmaAdc() * gain; // as CalibrationHistory's report and the metrics give it
    double fwhmErrKeV = FWHM_PER_SIGMA * ga.sigmaErrAdc() * gain;

    double[] lm = leastSquares(s.counts, 10.37 / GAIN, SIGMA_KEV / GAIN);
    assertThat(ga.positionAdc()).as("Ga K position, ADC").isCloseTo(lm[0], within(ga.positionErrAdc()));
    assertThat(ga.sigmaAdc()).as("Ga K sigma, ADC").isCloseTo(lm[1], within(ga.sigmaErrAdc()));
    assertThat(fwhmKeV).as("FWHM, keV").isCloseTo(FWHM_PER_SIGMA * lm[1] * gain, within(fwhmErrKeV));
    // And both at the truth: Ga K at 10.37/recordGain ADC, FWHM 1.000 keV (σ 0.4247 keV), within 3 errors.
    assertThat(ga.positionAdc()).isCloseTo(10.37 / recordGain, within(3 * ga.positionErrAdc()));
    assertThat(fwhmKeV).isCloseTo(FWHM_PER_SIGMA * SIGMA_KEV, within(3 * fwhmErrKeV));
    assertThat(gain).isCloseTo(recordGain, within(3 * r.scale().gainErrKeVPerAdc()));
  }

  /** [Ga K position, σ] (ADC) of the least-squares fit described above, started at the configured scale. */
  private static double[] leastSquares(long[] counts, double centerAdc, double sigmaAdc) {
    int width = 10;
    int first = (int) Math.round(5.5 / GAIN);
    int bins = (int) Math.round((12.5 - 5.5) / GAIN) / width;
    double[] x = new double[bins];
    double[] y = new double[bins];
    double[] w = new double[bins];
    for (int k = 0; k < bins; k++) {
      for (int i = first + k * width; i < first + (k + 1) * width; i++) {
        y[k] += counts[i];
      }
      x[k] = first + k * width + 0.5 * (width - 1);
      w[k] = 1 / Math.max(y[k], 1);
    }
    int np = 2 + ENERGIES.length + 2; // position, σ, four contents, level, slope
    double[] start = new double[np];
    start[0] = centerAdc;
    start[1] = sigmaAdc;
    for (int j = 0; j < ENERGIES.length; j++) {
      start[2 + j] = 1000;
    }
    start[np - 2] = 2 * width;
    LeastSquaresOptimizer.Optimum o = new LevenbergMarquardtOptimizer().optimize(new LeastSquaresBuilder()
        .start(start).target(y).weight(new DiagonalMatrix(w)).maxEvaluations(10_000).maxIterations(10_000)
        .model(p -> {
          double[] v = new double[bins];
          double[][] jac = new double[bins][np];
          double s = p.getEntry(1);
          for (int k = 0; k < bins; k++) {
            v[k] = p.getEntry(np - 2) + p.getEntry(np - 1) * (x[k] - centerAdc);
            for (int j = 0; j < ENERGIES.length; j++) {
              double ratio = ENERGIES[j] / ENERGIES[0];
              double z = (x[k] - ratio * p.getEntry(0)) / s;
              double g = width * Math.exp(-0.5 * z * z) / (Math.sqrt(2 * Math.PI) * s);
              double a = p.getEntry(2 + j);
              v[k] += a * g;
              jac[k][0] += a * g * z / s * ratio;
              jac[k][1] += a * g * (z * z - 1) / s;
              jac[k][2 + j] = g;
            }
            jac[k][np - 2] = 1;
            jac[k][np - 1] = x[k] - centerAdc;
          }
          return new Pair<RealVector, RealMatrix>(new ArrayRealVector(v), new Array2DRowRealMatrix(jac));
        })
        .build());
    return o.getPoint().toArray();
  }
}
