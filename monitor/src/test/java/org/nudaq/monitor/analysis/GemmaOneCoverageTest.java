package org.nudaq.monitor.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nudaq.monitor.config.ConfigLoader;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.monitor.limits.LimitSettings;
import org.nudaq.monitor.limits.Method;

/**
 * Coverage of the published 90% CL intervals by toys on the real GEMMA-I window and templates
 * (config/gemma-1.yaml, lines masked), through the same {@code RunningLimits} the daemon runs: the
 * acceptance of issue 12 (88–95% at ON/OFF 1/0.5, 2/1, 4/2, 7/3, 30/10 days and the nominal
 * exposure, at X = 0, 1σ, 3σ). 1000 toys per point (binomial σ ≈ 0.95%), fixed seeds; the full
 * study with 4000 toys is {@code ./nudaq coverage} (table in docs/analysis.md).
 */
class GemmaOneCoverageTest {
  private static final int TOYS = 1000;
  private static NudaqConfig gemma1;
  private static ExperimentLimits limits;

  @BeforeAll
  static void load() {
    gemma1 = new ConfigLoader().load(Path.of("../config/gemma-1.yaml"));
    limits = ExperimentLimits.forConfig(gemma1);
  }

  static Stream<Arguments> points() {
    double[][] exposures = {{1, 0.5}, {2, 1}, {4, 2}, {7, 3}, {30, 10}, {11982 / 24.0, 2874 / 24.0}};
    Stream.Builder<Arguments> b = Stream.builder();
    long seed = 1;
    for (double[] e : exposures) {
      for (double k : new double[] {0, 1, 3}) {
        b.add(Arguments.of(e[0], e[1], k, seed++));
      }
    }
    return b.build();
  }

  @ParameterizedTest(name = "μν², {0}/{1} days ON/OFF, X = {2}σ")
  @MethodSource("points")
  void publishedMuLimitsCoverAtEveryExposure(double onDays, double offDays, double xInSigma, long seed) {
    CoverageStudy study = new CoverageStudy(limits.templates(),
        ExperimentLimits.settings(gemma1.analysis()), CoverageStudy.Parameter.MU);
    CoverageStudy.Point p = study.run(onDays, offDays, xInSigma, TOYS, seed);
    assertThat(p.coverage()).isBetween(0.88, 0.95);
    if (onDays < 100) {
      assertThat(p.mainMethod()).isEqualTo(Method.REBINNED_PROFILE_LIKELIHOOD);
    }
  }

  @Test
  void millichargeLimitsCoverInTheFirstDays() {
    CoverageStudy study = new CoverageStudy(limits.templates(),
        ExperimentLimits.settings(gemma1.analysis()), CoverageStudy.Parameter.Q);
    for (double k : new double[] {0, 1, 3}) {
      assertThat(study.run(2, 1, k, TOYS, 100 + (long) k).coverage()).isBetween(0.88, 0.95);
    }
  }

  @Test
  void unmergedLikelihoodUnderCoversWhichIsWhyBinsAreMerged() {
    // The construction before issue 12: the profile likelihood on the nearly empty 0.1 keV bins.
    LimitSettings unmerged = new LimitSettings(0.90, Method.FELDMAN_COUSINS,
        LimitSettings.DEFAULT_MIN_COUNTS_PER_BIN_FOR_GAUSSIAN, 0, limits.templates().lineTreatment());
    CoverageStudy study = new CoverageStudy(limits.templates(), unmerged, CoverageStudy.Parameter.MU);
    CoverageStudy.Point p = study.run(2, 1, 1, 300, 7);
    assertThat(p.mainMethod()).isEqualTo(Method.PROFILE_LIKELIHOOD);
    assertThat(p.coverage()).isLessThan(0.5);
  }
}
