package org.nudaq.monitor.calibration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.nudaq.monitor.config.CalibrationConfig;
import org.junit.jupiter.api.Test;

/**
 * A channel's calibration over days: follows a gain, keeps the last good calibration (and says so) when the
 * lines starve, and starts a new epoch at a sudden step instead of averaging across it.
 */
class ChannelCalibratorTest {
  private static final long DAY_NS = 86_400_000_000_000L;
  private static final double GAIN = 0.005;
  private static final ResolutionCurve GEMMA_I = new ResolutionCurve(1.0, 0.0);  // FWHM 1 keV flat, σ = 0.4247 keV
  private static final CalibrationConfig CONFIG = new CalibrationConfig(true, new double[] {10.37, 9.66, 8.98}, 0,
      CalibrationConfig.Terms.GAIN, 24, 10, 50, 1, 3, 3, 5, 0.1, 0.05, 0.25);

  private static ChannelCalibrator calibrator() {
    double[] lines = ChannelCalibrator.usableLines(CONFIG, 2.8, GEMMA_I);
    EnergyScale nominal = new EnergyScale(0, GAIN, 0, 0, 0, 0, 0);
    return new ChannelCalibrator(CONFIG, lines, nominal, GEMMA_I, ChannelCalibrator.adcLength(lines, nominal, GEMMA_I,
        CONFIG, 65535));
  }

  /** One day of data recorded with relative gain g: lines 10.37 (n), 9.66 (n/10), 8.98 (n/7), flat background. */
  private static long[] day(int seed, double g, int n) {
    double recordGain = GAIN / g; // E recorded as E·g, so adc = E·g/GAIN
    return new SyntheticSpectrum(2600, seed).line(10.37, 0.4247, n, 0, recordGain).line(9.66, 0.4247, n / 10, 0, recordGain)
        .line(8.98, 0.4247, n / 7, 0, recordGain).flat(0.3).counts;
  }

  @Test
  void followsTheGainAndStartsANewEpochAtAStep() {
    ChannelCalibrator c = calibrator();
    Calibration last = null;
    EnergyScale before = c.scale();
    for (int d = 0; d < 10; d++) {
      last = c.onInterval(d * DAY_NS, (d + 1) * DAY_NS, day(d, 1.002, 3000));
      // maxShiftKeV is how far the new scale moves the lines against the one before, at the lines' energies:
      // gain only, so E·(g_before/g_new) − E, largest at 10.37 keV (from the scales, not from a line's position).
      if (last.status().applied()) {
        double hand = 10.37 * (before.gainKeVPerAdc() / last.scale().gainKeVPerAdc()) - 10.37;
        assertThat(last.maxShiftKeV()).as("day %d", d).isCloseTo(hand, within(1e-9));
        assertThat(last.message()).contains(String.format(java.util.Locale.ROOT, "moves the lines by up to %+.3f keV", hand));
        before = last.scale();
      }
    }
    assertThat(last.status()).isEqualTo(CalibrationStatus.CALIBRATED);
    // Recorded E·1.002 → the fitted gain is GAIN/1.002 within 3 of its standard errors.
    assertThat(last.scale().gainKeVPerAdc()).isCloseTo(GAIN / 1.002, within(3 * last.scale().gainErrKeVPerAdc()));
    // FWHM of the line at 10.37 keV: 1 keV within 10 %.
    assertThat(last.resolution().fwhmKeV(10.37)).isCloseTo(1.0, within(0.1));
    // A 1 % step (a power cut): detected once stepDays = 3 of data follow it, as a STEP, and the window restarts.
    // (3000 counts a day: a day's gain to ±0.15 %; the step test fits it on top of a free linear drift.)
    Calibration step = null;
    int detectedAfter = -1;
    EnergyScale beforeStep = null;
    for (int d = 10; d < 16 && step == null; d++) {
      EnergyScale inForce = c.scale();
      Calibration r = c.onInterval(d * DAY_NS, (d + 1) * DAY_NS, day(100 + d, 1.012, 3000));
      if (r.status() == CalibrationStatus.STEP) {
        step = r;
        beforeStep = inForce;
        detectedAfter = d - 9;
      }
    }
    assertThat(step).as("step detected").isNotNull();
    assertThat(detectedAfter).isLessThanOrEqualTo(3);
    // The new epoch is backdated to the day the step happened (the change-point scan over the daily fits).
    assertThat(step.windowStartNs()).isEqualTo(10 * DAY_NS);
    // The step's scale against the one in force before it (the windows since day 10 had partly followed it).
    assertThat(step.maxShiftKeV()).isPositive().isCloseTo(
        10.37 * (beforeStep.gainKeVPerAdc() / step.scale().gainKeVPerAdc()) - 10.37, within(1e-9));
    // The new epoch's gain comes from post-step data only (a window across the step would sit between).
    Calibration after = c.onInterval(16 * DAY_NS, 17 * DAY_NS, day(200, 1.012, 3000));
    assertThat(after.scale().gainKeVPerAdc()).isCloseTo(GAIN / 1.012, within(3 * after.scale().gainErrKeVPerAdc()));
  }

  @Test
  void tooFewCountsKeepsTheLastGoodCalibrationAndSaysSo() {
    CalibrationConfig shortWindow = new CalibrationConfig(true, new double[] {10.37, 9.66, 8.98}, 0,
        CalibrationConfig.Terms.GAIN, 24, 1, 50, 1, 3, 1, 5, 0.1, 0.05, 0.25);
    double[] lines = ChannelCalibrator.usableLines(shortWindow, 2.8, GEMMA_I);
    EnergyScale nominal = new EnergyScale(0, GAIN, 0, 0, 0, 0, 0);
    ChannelCalibrator c = new ChannelCalibrator(shortWindow, lines, nominal, GEMMA_I, 2600);
    Calibration good = c.onInterval(0, DAY_NS, day(1, 1.003, 2000));
    assertThat(good.status()).isEqualTo(CalibrationStatus.CALIBRATED);
    Calibration starved = c.onInterval(DAY_NS, 2 * DAY_NS, day(2, 1.003, 10));
    assertThat(starved.status()).isEqualTo(CalibrationStatus.TOO_FEW_COUNTS);
    assertThat(starved.message()).contains("too few counts").contains("last good calibration stays");
    assertThat(c.scale()).isEqualTo(good.scale());
    assertThat(starved.scale()).isEqualTo(good.scale());
  }

  @Test
  void linesBelowTheThresholdAreNotUsedAndThePulserIs() {
    CalibrationConfig withPulser = new CalibrationConfig(true, CalibrationConfig.DEFAULT_LINES_KEV, 60,
        CalibrationConfig.Terms.GAIN_OFFSET, 24, 10, 50, 2, 3, 3, 5, 0.1, 0.05, 0.25);
    // Threshold 2.8 keV, FWHM 1 keV: lines above 4.8 keV count; Ga L 1.30 and Zn L 1.10 do not.
    assertThat(ChannelCalibrator.usableLines(withPulser, 2.8, GEMMA_I))
        .containsExactly(60, 10.37, 9.66, 8.98, 8.33, 7.11, 6.54, 5.99, 5.47, 4.97);
  }

  /**
   * A pulser is widened by the electronic noise only: with FWHM² = 0.49 keV² + 0.0492 keV·E for the X-ray lines
   * (FWHM 1.0 keV at 10.37 keV) and a 60 keV pulser of FWHM 0.7 keV (the noise term alone; the curve at 60 keV
   * would say 1.86), the fitted curve gives 10.37 keV its 1.0 keV and E = 0 its 0.7 keV, each within 5 %
   * (10000 Ga K and 4000 pulser counts fit each width to about 1.5 %). Taken at 60 keV, the pulser made the
   * slope negative, the configured curve was scaled instead, and 10.37 keV got about 0.8 keV.
   */
  @Test
  void aPulserGivesTheNoiseTermOfTheResolution() {
    CalibrationConfig withPulser = new CalibrationConfig(true, new double[] {10.37, 9.66, 8.98}, 60,
        CalibrationConfig.Terms.GAIN, 24, 10, 50, 1, 3, 3, 5, 0.1, 0.05, 0.25);
    ResolutionCurve truth = new ResolutionCurve(0.49, (1.0 - 0.49) / 10.37);
    double[] lines = ChannelCalibrator.usableLines(withPulser, 2.8, GEMMA_I);
    EnergyScale nominal = new EnergyScale(0, GAIN, 0, 0, 0, 0, 0);
    ChannelCalibrator c = new ChannelCalibrator(withPulser, lines, nominal, GEMMA_I,
        ChannelCalibrator.adcLength(lines, nominal, GEMMA_I, withPulser, 65535));
    long[] counts = new SyntheticSpectrum(13000, 7).line(10.37, truth.sigmaKeV(10.37), 10000, 0, GAIN)
        .line(9.66, truth.sigmaKeV(9.66), 1000, 0, GAIN).line(8.98, truth.sigmaKeV(8.98), 1430, 0, GAIN)
        .line(60, 0.7 / 2.3548200450309493, 4000, 0, GAIN).flat(0.3).counts;
    Calibration r = c.onInterval(0, DAY_NS, counts);
    assertThat(r.status()).as(r.message()).isEqualTo(CalibrationStatus.CALIBRATED);
    assertThat(r.resolution().fwhmKeV(10.37)).as("FWHM at 10.37 keV; %s", r.lines()).isCloseTo(1.0, within(0.05));
    assertThat(r.resolution().fwhmKeV(0)).as("noise FWHM").isCloseTo(0.7, within(0.035));
  }

  /**
   * {@code terms: quadratic}: a detector whose scale is curved, E = 0.005·adc + 1e-8·adc² (10.37 keV at ADC 2058.0
   * instead of 2074 on the straight line), three narrow lines (σ = 0.1 keV, 3000 counts each, 0.5 background
   * counts per ADC) spread over 9 keV: the window's calibration is of order 2 with the curvature found within 3 of
   * its standard errors, and it says so; lines within 2 keV (10.37, 9.66, 8.98: two of them fitted on disjoint data)
   * leave it linear, saying why.
   */
  @Test
  void aQuadraticScaleIsFittedWhenConfiguredAndItsLinesSpreadElseItStaysLinearAndSaysSo() {
    Calibration r = curved(new double[] {10.37, 5.99, 1.30});
    assertThat(r.status()).as(r.message()).isEqualTo(CalibrationStatus.CALIBRATED);
    assertThat(r.message()).contains("quadratic through 3 lines");
    assertThat(r.scale().quadratic()).isTrue();
    assertThat(r.scale().quadraticKeVPerAdc2()).isCloseTo(1e-8, within(3 * r.scale().quadraticErrKeVPerAdc2()));
    assertThat(r.scale().quadraticErrKeVPerAdc2()).isLessThan(0.3e-8);
    assertThat(r.scale().coefficients()).hasSize(3);
    assertThat(r.scale().energyKeV(CURVED.adc(10.37))).isCloseTo(10.37, within(0.01));

    Calibration linear = curved(new double[] {10.37, 9.66, 8.98});
    assertThat(linear.status()).as(linear.message()).isEqualTo(CalibrationStatus.CALIBRATED);
    assertThat(linear.scale().quadratic()).isFalse();
    assertThat(linear.scale().coefficients()).hasSize(2);
    assertThat(linear.message()).contains("; linear: ").contains("lines fitted from disjoint data span 1.39 keV, a quadratic "
        + "scale needs 3 spanning 2 keV");
  }

  private static final EnergyScale CURVED = new EnergyScale(0, GAIN, 0, 0, 0, 0, 0, 1e-8, 0);

  /** One interval of the curved detector with these lines, calibrated with {@code terms: quadratic}. */
  private static Calibration curved(double[] energiesKeV) {
    ResolutionCurve narrow = new ResolutionCurve(0.0555, 0); // FWHM 0.2356 keV, σ = 0.1 keV
    CalibrationConfig quadratic = new CalibrationConfig(true, energiesKeV, 0, CalibrationConfig.Terms.QUADRATIC, 24, 10,
        50, 2, 3, 3, 5, 0.1, 0.05, 0.25);
    double[] lines = ChannelCalibrator.usableLines(quadratic, 0.5, narrow);
    assertThat(lines).hasSize(3);
    EnergyScale nominal = new EnergyScale(0, GAIN, 0, 0, 0, 0, 0);
    ChannelCalibrator c = new ChannelCalibrator(quadratic, lines, nominal, narrow,
        ChannelCalibrator.adcLength(lines, nominal, narrow, quadratic, 65535));
    java.util.SplittableRandom random = new java.util.SplittableRandom(7);
    long[] counts = new long[c.spectrumLength()];
    for (double e : lines) {
      for (int i = 0; i < 3000; i++) {
        counts[(int) Math.round(CURVED.adc(e + 0.1 * random.nextGaussian()))]++;
      }
    }
    for (int i = 0; i < counts.length; i++) {
      counts[i] += random.nextInt(2);
    }
    return c.onInterval(0, DAY_NS, counts);
  }

  /**
   * The lines are searched and judged with the detector's configured resolution, not with the curve the last
   * calibration fitted: a curve fitted too narrow (here FWHM 0.45 keV for a true 1.0, as one misidentified 6 h
   * fit gave 0.58 keV in CalibrationRestartTest's run) made the fit ranges too short and the true lines 2.2 × the
   * "expected" width, which the quality gates refused, so the curve was never refitted: no calibration again
   * (0–1 of 20 such days applied before; all now).
   */
  @Test
  void aResolutionCurveFittedTooNarrowDoesNotLockTheCalibrationOut() {
    for (int seed = 0; seed < 10; seed++) {
      ChannelCalibrator c = calibrator();
      c.restore(new ChannelCalibrator.State(java.util.List.of(), c.scale(), new ResolutionCurve(0.45 * 0.45, 0), true));
      Calibration r = c.onInterval(0, DAY_NS, day(300 + seed, 1, 3000));
      assertThat(r.status()).as("seed %d: %s", seed, r.message()).isEqualTo(CalibrationStatus.CALIBRATED);
      assertThat(r.resolution().fwhmKeV(10.37)).as("seed %d", seed).isCloseTo(1.0, within(0.1));
    }
  }
}
