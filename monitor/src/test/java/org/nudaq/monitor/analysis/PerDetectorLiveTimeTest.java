package org.nudaq.monitor.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.hipparchus.random.RandomDataGenerator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nudaq.monitor.config.ConfigLoader;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.monitor.spectrum.Binning;
import org.nudaq.monitor.spectrum.SpectrumLabels;
import org.nudaq.monitor.spectrum.SpectrumSnapshot;

/**
 * Two detectors (GEMMA-II) whose data-quality gates removed different time: each detector's ON and
 * OFF counts must be normalised by its own live times, or the background of one detector leaks into
 * X̂ (with 5% less OFF time, ON − OFF of that detector is 5% of its background per bin: hundreds of σ).
 * Background-only toys drawn with each detector's own live times; the pull X̂/σ must average 0.
 */
class PerDetectorLiveTimeTest {
  private static final int SEEDS = 20;
  private static NudaqConfig gemma2;
  private static ExperimentLimits limits;

  @BeforeAll
  static void load() {
    gemma2 = new ConfigLoader().load(Path.of("../config/gemma-2.yaml"));
    limits = ExperimentLimits.forConfig(gemma2);
  }

  /** Spectra [ON, OFF] of both detectors, background + weak only, detector d with live times on[d], off[d]. */
  private static List<List<SpectrumSnapshot>> draw(RandomDataGenerator rng, double[] onDays, double[] offDays,
      double[] offLabelDays) {
    AnalysisTemplates t = limits.templates();
    int bins = gemma2.analysis().binCount();
    long[][] on = new long[2][bins];
    long[][] off = new long[2][bins];
    double[] b = t.backgroundPerDay();
    double[] w = t.weakPerDay();
    for (int k = 0; k < t.binCount(); k++) {
      int d = t.detectorOf(k);
      int bin = t.spectrumBinOf(k);
      on[d][bin] = rng.nextPoisson(onDays[d] * (b[k] + w[k]));
      off[d][bin] = rng.nextPoisson(offDays[d] * b[k]);
    }
    Binning binning = new Binning(0, 0.1, bins);
    Instant at = Instant.parse("2026-01-01T00:00:00Z");
    SpectrumSnapshot[] onS = new SpectrumSnapshot[2];
    SpectrumSnapshot[] offS = new SpectrumSnapshot[2];
    for (int d = 0; d < 2; d++) {
      String name = t.detectors().get(d);
      onS[d] = new SpectrumSnapshot(new SpectrumLabels(name + "-on", name, "on", "after-gates"), binning, 3.0,
          onDays[d] * 86400, 0, 0, 0, on[d], at);
      offS[d] = new SpectrumSnapshot(new SpectrumLabels(name + "-off", name, "off", "after-gates"), binning, 3.0,
          offLabelDays[d] * 86400, 0, 0, 0, off[d], at);
    }
    return List.of(List.of(onS), List.of(offS));
  }

  /** Mean pull of μ̂² and q̂² over the seeds; also checks each pull is a plausible Gaussian draw. */
  private static double[] meanPulls(double[] onDays, double[] offDays, double[] offLabelDays, long seed) {
    RandomDataGenerator rng = new RandomDataGenerator(seed);
    double mu = 0;
    double q = 0;
    for (int i = 0; i < SEEDS; i++) {
      List<List<SpectrumSnapshot>> s = draw(rng, onDays, offDays, offLabelDays);
      ExperimentResult r = limits.update(s.get(0), s.get(1), Instant.EPOCH);
      mu += r.muHat2() / r.muSigma2() / SEEDS;
      q += r.qHat2() / r.qSigma2() / SEEDS;
    }
    return new double[] {mu, q};
  }

  @Test
  void fivePercentMoreGatedOffTimeInOneDetectorLeavesXHatUnbiased() {
    // Two years ON, half a year OFF (Gaussian regime); detector 2 lost 5% of its OFF time to its gates.
    double[] onDays = {730, 730};
    double[] offDays = {182.5, 182.5 * 0.95};
    double[] pulls = meanPulls(onDays, offDays, offDays, 21);
    // 20 seeds: the mean of unit-variance pulls scatters by 0.22.
    assertThat(pulls[0]).isCloseTo(0, within(0.5));
    assertThat(pulls[1]).isCloseTo(0, within(0.5));
  }

  @Test
  void fivePercentMoreGatedOnTimeInOneDetectorLeavesXHatUnbiased() {
    double[] onDays = {730, 730 * 0.95};
    double[] offDays = {182.5, 182.5};
    double[] pulls = meanPulls(onDays, offDays, offDays, 22);
    assertThat(pulls[0]).isCloseTo(0, within(0.5));
    assertThat(pulls[1]).isCloseTo(0, within(0.5));
  }

  @Test
  void inTheFirstWeeksThePoissonPathUsesEachDetectorsLiveTimesToo() {
    // 20 days ON, 5 OFF: bins of a few counts, the few-count path (merged bins within each detector).
    double[] onDays = {20, 20};
    double[] offDays = {5, 5 * 0.95};
    RandomDataGenerator rng = new RandomDataGenerator(23);
    List<List<SpectrumSnapshot>> s = draw(rng, onDays, offDays, offDays);
    ExperimentResult r = limits.update(s.get(0), s.get(1), Instant.EPOCH);
    assertThat(r.method()).isEqualTo(org.nudaq.monitor.limits.Method.REBINNED_PROFILE_LIKELIHOOD);
    double[] pulls = meanPulls(onDays, offDays, offDays, 24);
    assertThat(pulls[0]).isCloseTo(0, within(0.5));
    assertThat(pulls[1]).isCloseTo(0, within(0.5));
  }

  @Test
  void normalisingTheSecondDetectorsOffCountsByTheFirstDetectorsLiveTimeIsBiased() {
    // The defect this guards against: detector 2's OFF counts taken with detector 1's OFF live time.
    double[] onDays = {730, 730};
    double[] offDays = {182.5, 182.5 * 0.95};
    double[] wrongLabel = {182.5, 182.5};
    double[] pulls = meanPulls(onDays, offDays, wrongLabel, 25);
    // Measured +2.9 (20 seeds, scatter of the mean 0.22): far outside the ±0.5 the tests above allow.
    assertThat(pulls[0]).isGreaterThan(2);
  }

  @Test
  void theExpectedSensitivityOfEqualLiveTimesIsTheCommandsAndLessLiveTimeInOneDetectorCostsSensitivity() {
    ExpectedLimits same = limits.expected(730, 182.5);
    ExpectedLimits perDetector = limits.expected(new double[] {730, 730}, new double[] {182.5, 182.5});
    assertThat(perDetector.muLimit()).isEqualTo(same.muLimit());
    assertThat(perDetector.qLimit()).isEqualTo(same.qLimit());
    ExpectedLimits less = limits.expected(new double[] {730, 730}, new double[] {182.5, 182.5 * 0.95});
    assertThat(less.muLimit()).isGreaterThan(same.muLimit());
  }
}
