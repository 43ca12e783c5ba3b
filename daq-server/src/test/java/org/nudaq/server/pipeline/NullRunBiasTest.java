package org.nudaq.server.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nudaq.monitor.config.ConfigLoader;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.monitor.limits.LineTreatment;

/**
 * The short version of the null-run study ({@link NullRunStudy}, docs/analysis.md "Null runs"): simulated
 * years (330 days ON, 30 OFF) of config/gemma-1.yaml on its default configuration — the simulator's
 * cosmogenic lines on, the analysis's default line mask — through the simulator's generator, the
 * pipeline and the limits, with fixed seeds, so the numbers are reproducible. Background only, the
 * pulls of μ̂² and q̂² must scatter around 0 (without a line treatment the decaying lines gave +2.7σ
 * per year, issue 12); with an injected signal it must be recovered within 2σ.
 */
class NullRunBiasTest {
  private static final NudaqConfig GEMMA1 = new ConfigLoader().load(Path.of("../config/gemma-1.yaml"));

  @Test
  void aSimulatedYearWithLinesAndTheMaskGivesPullsAroundZeroAndWithoutTheMaskTheBias() {
    NullRunStudy.Settings s = new NullRunStudy.Settings(GEMMA1, 360, true, 0, 0);
    assertThat(s.lineTreatment()).as("gemma-1.yaml's default line treatment").isEqualTo(LineTreatment.MASK);
    List<NullRunStudy.Pulls> masked = new ArrayList<>();
    List<NullRunStudy.Pulls> unmasked = new ArrayList<>();
    for (long seed = 5; seed <= 8; seed++) {
      // One simulated year each, the limits evaluated with and without the mask on the same spectra.
      Map<LineTreatment, NullRunStudy.Pulls> p = NullRunStudy.run(s, seed, List.of(LineTreatment.MASK, LineTreatment.NONE));
      assertThat(p.get(LineTreatment.MASK).onDays()).isGreaterThan(320);
      assertThat(p.get(LineTreatment.MASK).offDays()).isGreaterThan(29);
      masked.add(p.get(LineTreatment.MASK));
      unmasked.add(p.get(LineTreatment.NONE));
    }
    double[] m = NullRunStudy.summary(masked);
    // 4 seeds: the mean of unbiased unit pulls scatters by ±0.5, so ±1 is a 2σ band. These seeds of the
    // 20-seed study (docs/analysis.md) give +0.07 (mu) and +0.35 (q) with the mask.
    assertThat(m[0]).as("mean pull of mu^2 with the mask " + masked).isBetween(-1.0, 1.0);
    assertThat(m[1]).as("mean pull of q^2 with the mask " + masked).isBetween(-1.0, 1.0);
    // The same years without a line treatment show the bias of issue 12 (these seeds: +2.55 and +2.11;
    // seeds 1-20: +2.70 and +2.21): if this fails, the simulated lines no longer reach the window and the
    // first check proves nothing about the mask.
    double[] n = NullRunStudy.summary(unmasked);
    assertThat(n[0]).as("mean pull of mu^2 without a line treatment " + unmasked).isGreaterThan(1.5);
    assertThat(n[1]).as("mean pull of q^2 without a line treatment " + unmasked).isGreaterThan(1.5);
  }

  @Test
  void anInjectedMagneticMomentAndMillichargeAreRecoveredWithTheMask() {
    // The first seeds of the closure studies in docs/analysis.md (lines on, mask).
    NullRunStudy.Pulls mu = NullRunStudy.run(new NullRunStudy.Settings(GEMMA1, 360, true, 1.5e-10, 0), 101);
    assertThat(Math.abs(mu.muPull())).as(mu.toString()).isLessThan(2);
    // 1.5e-10 μB in one year of GEMMA-I with the mask is X = 2.25e-20 μB² against σ ≈ 6.5e-21: 3.5σ
    // expected (seed 101: 3.07σ; seeds 101-120: 2.1σ to 5.4σ). More than 2σ: the signal is seen.
    assertThat(mu.muHat2() / mu.muSigma2()).as(mu.toString()).isGreaterThan(2);

    // 1e-11 e0, the closure value: X = 1e-22 e0² against σ ≈ 9.2e-23 with the mask, i.e. only
    // ~1.1σ in one year (seeds 201-220: 0.94σ on average, seed 201: 0.11σ). The mask removes
    // 3.69-11.66 keV, where much of the 1/T² signal is (without the mask σ ≈ 2.9e-23, ~3.4σ). So no
    // significance can be asserted here; recovery within 2σ is what one year shows (seed 201: pull -0.97).
    NullRunStudy.Pulls q = NullRunStudy.run(new NullRunStudy.Settings(GEMMA1, 360, true, 0, 1e-11), 201);
    assertThat(Math.abs(q.qPull())).as(q.toString()).isLessThan(2);
    // That the millicharge signal is seen at all is checked with 3e-11 e0: X = 9e-22 e0², ~9.7σ expected
    // (seeds 301-320 of the study: 7.4σ to 10.3σ, mean pull -0.29, none beyond 2σ; seed 301: 9.0σ,
    // pull -0.12); more than 5σ and recovered within 2σ.
    NullRunStudy.Pulls q3 = NullRunStudy.run(new NullRunStudy.Settings(GEMMA1, 360, true, 0, 3e-11), 301);
    assertThat(Math.abs(q3.qPull())).as(q3.toString()).isLessThan(2);
    assertThat(q3.qHat2() / q3.qSigma2()).as(q3.toString()).isGreaterThan(5);
  }
}
