package org.nudaq.monitor.analysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.hipparchus.random.RandomDataGenerator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nudaq.monitor.config.ConfigLoader;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.monitor.config.SystematicsConfig.Source;
import org.nudaq.monitor.physics.BinningSpec;
import org.nudaq.monitor.spectrum.Binning;
import org.nudaq.monitor.spectrum.SpectrumLabels;
import org.nudaq.monitor.spectrum.SpectrumSnapshot;

/**
 * The systematic fit on the real GEMMA-I window (config/gemma-1.yaml, lines masked, the default
 * nuisances) at the nominal exposure (499.25/119.75 days ON/OFF): coverage of the one-at-a-time
 * intervals and of the joint region with the nuisances drawn from their constraints, 88–95% at X = 0,
 * 1σ, 3σ (issue 16); closure of the joint fit with μν alone, qν alone and both injected; and the
 * nuisance effects against hand calculations. 600 toys per point (binomial σ 1.2%), seeds fixed; the
 * full study is {@code ./nudaq systematics-study} (tables in docs/analysis.md).
 */
class SystematicsGemmaOneTest {
  private static final int TOYS = 600;
  private static final double ON = 11982 / 24.0;
  private static final double OFF = 2874 / 24.0;
  private static NudaqConfig gemma1;
  private static ExperimentLimits limits;
  private static SystematicsStudy study;

  @BeforeAll
  static void load() {
    gemma1 = new ConfigLoader().load(Path.of("../config/gemma-1.yaml"));
    limits = ExperimentLimits.forConfig(gemma1);
    study = new SystematicsStudy(limits);
  }

  @ParameterizedTest(name = "μν² = {0}σ₀: one-at-a-time and joint coverage with nuisances drawn")
  @CsvSource({"0, 11", "1, 12", "3, 13"})
  void muIntervalsAndTheJointRegionCover(double xInSigma, long seed) {
    SystematicsStudy.Point p = study.run(ON, OFF, xInSigma, 0, TOYS, seed, true, 1.0);
    assertThat(p.muCovered()).isBetween(0.88, 0.95);
    assertThat(p.jointCovered()).isBetween(0.88, 0.95);
  }

  @ParameterizedTest(name = "qν² = {0}σ₀: one-at-a-time and joint coverage with nuisances drawn")
  @CsvSource({"1, 22", "3, 23"})
  void qIntervalsAndTheJointRegionCover(double xInSigma, long seed) {
    SystematicsStudy.Point p = study.run(ON, OFF, 0, xInSigma, TOYS, seed, true, 1.0);
    assertThat(p.qCovered()).isBetween(0.88, 0.95);
    assertThat(p.jointCovered()).isBetween(0.88, 0.95);
  }

  /**
   * Closure: μν alone, qν alone and both (3σ₀ each) are recovered by the joint fit within 2σ in at least
   * 93% of toys (95.4% expected), without bias (mean pull within ±0.15, 4σ of a 600-toy mean), and the
   * joint region holds the truth at its stated rate; the one-at-a-time μν² fit is biased by an injected
   * qν (the correlation the issue measured), which the joint fit removes.
   */
  @ParameterizedTest(name = "closure: (μν², qν²) = ({0}, {1})σ₀")
  @CsvSource({"3, 0, 31", "0, 3, 32", "3, 3, 33"})
  void theJointFitRecoversEachInjection(double mu, double q, long seed) {
    SystematicsStudy.Point p = study.run(ON, OFF, mu, q, TOYS, seed, true, 1.0);
    assertThat(p.muWithin2()).isGreaterThanOrEqualTo(0.93);
    assertThat(p.qWithin2()).isGreaterThanOrEqualTo(0.93);
    assertThat(p.muPull()).isBetween(-0.15, 0.15);
    assertThat(p.qPull()).isBetween(-0.15, 0.15);
    assertThat(p.jointCovered()).isBetween(0.88, 0.95);
    if (q > 0) {
      assertThat(p.muStatPull()).isGreaterThan(1.5); // μ̂² alone picks up the qν signal
    }
  }

  /**
   * The normalisation effects are the templates times ln(1 + σ) (log-normal): flux 5% → 0.048790,
   * efficiency×mass 3% → 0.029559; the weak normalisation (Gaussian 3%) moves only the weak part.
   */
  @Test
  void normalisationEffectsAreTheTemplatesTimesTheirCoefficient() {
    SystematicTemplates s = limits.systematicFitter().templates();
    AnalysisTemplates t = limits.templates();
    int flux = s.sources().indexOf(Source.FLUX_NORMALISATION);
    int eff = s.sources().indexOf(Source.EFFICIENCY_MASS);
    int weak = s.sources().indexOf(Source.WEAK_NORMALISATION);
    int k = 5; // 3.3 keV, unmasked
    assertThat(t.masked(k)).isFalse();
    assertThat(s.gs()[flux][k]).isCloseTo(0.0487902 * t.muUnit(k), within(1e-6 * t.muUnit(k)));
    assertThat(s.gc()[eff][k]).isCloseTo(0.0295588 * t.qUnit(k), within(1e-6 * t.qUnit(k)));
    assertThat(s.g0()[weak][k]).isCloseTo(0.03 * t.weak(k), within(1e-9 * t.weak(k)));
    assertThat(s.gs()[weak][k]).isZero();
  }

  /**
   * Energy scale on a linear spectrum R(E) = 2 + 0.5 E: an offset o moves it by dR/do = −0.5 per keV, a
   * gain γ by dR/dγ = −R − E·0.5 (E' = (1 + γ)E + o, R'(E') = R((E' − o)/(1 + γ))/(1 + γ)).
   */
  @Test
  void energyScaleEffectsFollowTheDerivativeFormulas() {
    BinningSpec binning = new BinningSpec(0, 10, 0.1);
    double[] r = new double[100];
    for (int b = 0; b < 100; b++) {
      r[b] = 2 + 0.5 * (b + 0.5) * 0.1;
    }
    double[][] f = {r, r, r};
    double[][] offset = SystematicTemplates.energyScale(f, binning, false, 0.02);
    double[][] gain = SystematicTemplates.energyScale(f, binning, true, 0.005);
    assertThat(offset[1][40]).isCloseTo(-0.02 * 0.5, within(1e-12));
    double e = 4.05;
    assertThat(gain[2][40]).isCloseTo(0.005 * (-(2 + 0.5 * e) - e * 0.5), within(1e-12));
  }

  /**
   * The correlation of the joint fit without nuisances, from the direct sums over the unmasked window
   * bins with the background-only variances V_i = (b_i + w_i)/t_on + b_i/t_off:
   * ρ = −Σ s_i c_i/V_i / √(Σ s_i²/V_i · Σ c_i²/V_i) (the 2×2 inverse written out), against the fit's
   * inverse Hessian on the Asimov data set.
   */
  @Test
  void theStatisticalCorrelationIsTheHandFormula() {
    AnalysisTemplates t = limits.templates();
    double[] b = t.backgroundPerDay();
    double[] w = t.weakPerDay();
    double[] s = t.muUnitPerDay();
    double[] c = t.qUnitPerDay();
    double ss = 0;
    double sc = 0;
    double cc = 0;
    for (int i = 0; i < b.length; i++) {
      if (s[i] > 0) {
        double v = (b[i] + w[i]) / ON + b[i] / OFF;
        ss += s[i] * s[i] / v;
        sc += s[i] * c[i] / v;
        cc += c[i] * c[i] / v;
      }
    }
    double rho = -sc / Math.sqrt(ss * cc);
    limits.systematicFitter().loadAsimov(t, ON, OFF, true, 0.0);
    org.nudaq.monitor.limits.JointFit j = limits.systematicFitter().joint();
    org.nudaq.monitor.limits.JointFit.Fit f = j.fit(j.none(), Double.NaN, Double.NaN);
    assertThat(f.covAc() / Math.sqrt(f.varA() * f.varC())).isCloseTo(rho, within(1e-9));
    assertThat(Math.sqrt(f.varA())).isCloseTo(Math.sqrt(cc / (ss * cc - sc * sc)), within(1e-9 * Math.sqrt(f.varA())));
    // GEMMA-I at the nominal exposure with the mask: ρ = −0.806, σ(μ̂²) 40.5 jointly against 24.0 alone.
    assertThat(rho).isCloseTo(-0.806, within(0.005));
  }

  /** A threshold moved up removes rate just above it and nothing far above it. */
  @Test
  void thresholdEffectsLiveAtTheThreshold() {
    SystematicTemplates s = limits.systematicFitter().templates();
    int pos = s.sources().indexOf(Source.THRESHOLD_POSITION);
    assertThat(s.gc()[pos][0]).isLessThan(0); // 2.8–2.9 keV: the threshold's 50% point
    assertThat(Math.abs(s.gc()[pos][400])).isLessThan(1e-9 * Math.abs(s.gc()[pos][0])); // 42.8 keV
  }

  /**
   * Through the daemon's {@code ExperimentLimits.update}: an Asimov-like data set with μν² = 3σ₀ gives a
   * systematic result whose joint best fit is the injection, with limits with nuisances weaker than
   * without and each nuisance's impact ≥ 0.
   */
  @Test
  void everyUpdateCarriesTheSystematicResult() {
    double a = 3 * study.sigmaAtZero(ON, OFF, true);
    AnalysisTemplates t = limits.templates();
    double[] b = t.backgroundPerDay();
    double[] w = t.weakPerDay();
    double[] s = t.muUnitPerDay();
    Binning binning = new Binning(gemma1.analysis().spectrumLowKeV(), gemma1.analysis().binWidthKeV(),
        gemma1.analysis().binCount());
    long[] on = new long[binning.binCount()];
    long[] off = new long[binning.binCount()];
    RandomDataGenerator random = new RandomDataGenerator(5);
    for (int k = 0; k < t.binCount(); k++) {
      int bin = t.spectrumBinOf(k);
      on[bin] = random.nextPoisson(ON * (b[k] + w[k] + a * s[k]));
      off[bin] = random.nextPoisson(OFF * b[k]);
    }
    ExperimentResult r = limits.update(List.of(snapshot(binning, on, ON, "on")),
        List.of(snapshot(binning, off, OFF, "off")), Instant.EPOCH);
    SystematicResult sys = r.systematics();
    assertThat(sys.sources()).hasSize(8);
    assertThat(sys.fewCounts()).isFalse();
    assertThat(Math.abs(sys.joint().aHat() - a)).isLessThan(3 * sys.joint().aSigma());
    assertThat(sys.joint().correlation()).isBetween(-0.95, -0.5);
    assertThat(sys.joint().mu().upper()).isGreaterThan(sys.statOnly().mu().upper());
    assertThat(sys.joint().aSigma()).isGreaterThan(sys.statOnly().aSigma());
    for (SystematicResult.Impact i : sys.impacts()) {
      assertThat(i.mu().sigma()).isGreaterThanOrEqualTo(sys.statOnly().mu().sigma() * (1 - 1e-9));
    }
    // The statistics-only one-at-a-time μν² is the seed estimator's (same bins, same variances).
    assertThat(sys.statOnly().mu().hat()).isCloseTo(r.mu().xHat(), within(1e-6 * r.mu().xSigma()));
    assertThat(sys.statOnly().mu().sigma()).isCloseTo(r.mu().xSigma(), within(1e-6 * r.mu().xSigma()));
    assertThat(sys.joint().contourA()).hasSize(SystematicFitter.CONTOUR_GRID);
    assertThat(sys.muCrossSection()).startsWith("stepping");
  }

  private static SpectrumSnapshot snapshot(Binning binning, long[] counts, double days, String state) {
    return new SpectrumSnapshot(new SpectrumLabels(state, "hpge-1", state, "after-gates"), binning, 1.5,
        days * 86400.0, 0, 0, 0, counts, Instant.EPOCH);
  }
}
