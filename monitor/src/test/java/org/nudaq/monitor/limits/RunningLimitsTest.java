package org.nudaq.monitor.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class RunningLimitsTest {

  private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

  /** Fills a RunningLimits' arrays with 10 bins: ON/OFF counts as given, w = 0.1, s = 1.0. */
  private static void fill(RunningLimits limits, long on, long off) {
    for (int i = 0; i < 10; i++) {
      limits.onCounts()[i] = on;
      limits.offCounts()[i] = off;
      limits.weakRatePerDay()[i] = 0.1;
      limits.unitSignalRatePerDay()[i] = 1.0;
    }
  }

  @Test
  void usesMergedBinLikelihoodWhileBinsHoldFewCountsThenFeldmanCousins() {
    RunningLimits limits = new RunningLimits(10, LimitSettings.defaults());
    fill(limits, 5, 5);
    LimitResult early = limits.recompute(1.0, 1.0, 0, 10, T0);
    assertThat(early.method()).isEqualTo(Method.REBINNED_PROFILE_LIKELIHOOD);
    assertThat(early.sensitivity().method()).isEqualTo(Method.REBINNED_PROFILE_LIKELIHOOD);
    // 5 OFF counts per bin, 20 per merged bin: bins 0-3 and 4-7 close two groups, the short
    // remainder 8-9 (10 counts) joins the second.
    assertThat(early.binsUsed()).isEqualTo(10);
    assertThat(early.intervalBins()).isEqualTo(2);
    assertThat(early.lineTreatment()).isEqualTo(LineTreatment.NONE);

    fill(limits, 500, 500);
    LimitResult later = limits.recompute(100.0, 100.0, 0, 10, T0.plusSeconds(60));
    assertThat(later.method()).isEqualTo(Method.FELDMAN_COUSINS);
    // The Gaussian path is FC applied to the seed estimator.
    Estimate estimate = GaussianEstimator.estimate(limits.onCounts(), limits.offCounts(), 100.0,
        100.0, limits.weakRatePerDay(), limits.unitSignalRatePerDay(), 0, 10);
    ConfidenceInterval fc =
        new FeldmanCousinsGaussian(0.90).interval(estimate.xHat(), estimate.sigma());
    assertThat(later.upperLimitX()).isEqualTo(fc.upper());
    assertThat(later.xHat()).isEqualTo(estimate.xHat());
    assertThat(later.xSigma()).isEqualTo(estimate.sigma());
  }

  @Test
  void oneThinBinInTheWindowSwitchesToTheLikelihood() {
    RunningLimits limits = new RunningLimits(10, LimitSettings.defaults());
    fill(limits, 500, 500);
    limits.offCounts()[7] = 19; // below the default 20 counts per bin
    assertThat(limits.recompute(100.0, 100.0, 0, 10, T0).method())
        .isEqualTo(Method.REBINNED_PROFILE_LIKELIHOOD);
    // Without merging (minCountsPerMergedBin 0) the plain likelihood of before issue 12.
    RunningLimits unmerged = new RunningLimits(10, new LimitSettings(0.9, Method.FELDMAN_COUSINS, 20, 0,
        LineTreatment.MASK));
    fill(unmerged, 500, 500);
    unmerged.offCounts()[7] = 19;
    LimitResult plain = unmerged.recompute(100.0, 100.0, 0, 10, T0);
    assertThat(plain.method()).isEqualTo(Method.PROFILE_LIKELIHOOD);
    assertThat(plain.lineTreatment()).isEqualTo(LineTreatment.MASK);
    // Outside the window it does not matter.
    assertThat(limits.recompute(100.0, 100.0, 0, 7, T0).method())
        .isEqualTo(Method.FELDMAN_COUSINS);
  }

  @Test
  void publishesResultWithCallerTimeExposureAndParameterLimit() {
    RunningLimits limits = new RunningLimits(10, LimitSettings.defaults());
    assertThat(limits.latest()).isNull();
    fill(limits, 400, 300);
    LimitResult result = limits.recompute(80.0, 60.0, 2, 9, T0);

    assertThat(limits.latest()).isSameAs(result);
    assertThat(result.computedAt()).isEqualTo(T0);
    assertThat(result.onLiveTimeDays()).isEqualTo(80.0);
    assertThat(result.offLiveTimeDays()).isEqualTo(60.0);
    assertThat(result.firstBin()).isEqualTo(2);
    assertThat(result.endBinExclusive()).isEqualTo(9);
    assertThat(result.binsUsed()).isEqualTo(7);
    assertThat(result.confidenceLevel()).isEqualTo(0.90);
    // Per bin: X_i = (400/80 − 300/60 − 0.1)/1 = −0.1, so X̂ = −0.1 and the FC limit shrinks
    // below the median sensitivity but stays positive.
    assertThat(result.xHat()).isCloseTo(-0.1, within(1e-12));
    assertThat(result.upperLimitX()).isPositive().isLessThan(result.sensitivity().median());
    assertThat(result.lowerLimitX()).isZero();
    assertThat(result.upperLimitParameter()).isEqualTo(Math.sqrt(result.upperLimitX()));
  }

  @Test
  void bayesianSettingIsUsedInTheGaussianRegime() {
    RunningLimits limits = new RunningLimits(10,
        new LimitSettings(0.90, Method.BAYESIAN_FLAT, LimitSettings.DEFAULT_MIN_COUNTS_PER_BIN_FOR_GAUSSIAN));
    fill(limits, 500, 500);
    LimitResult result = limits.recompute(100.0, 100.0, 0, 10, T0);
    assertThat(result.method()).isEqualTo(Method.BAYESIAN_FLAT);
    assertThat(result.upperLimitX()).isEqualTo(
        new BayesianFlatPrior(0.90).upperLimit(result.xHat(), result.xSigma()));
  }

  @Test
  void updateCopiesTheInputAndAgreesWithRecompute() {
    ToyExperiment toy = ToyExperiment.manyCountsTwentyBins(5L);
    toy.draw(0.5);
    RunningLimits viaUpdate = new RunningLimits(20, LimitSettings.defaults());
    LimitResult updated = viaUpdate.update(toy.input(), T0);

    RunningLimits viaArrays = new RunningLimits(20, LimitSettings.defaults());
    System.arraycopy(toy.onCounts, 0, viaArrays.onCounts(), 0, 20);
    System.arraycopy(toy.offCounts, 0, viaArrays.offCounts(), 0, 20);
    System.arraycopy(toy.weakRatePerDay, 0, viaArrays.weakRatePerDay(), 0, 20);
    System.arraycopy(toy.unitSignalRatePerDay, 0, viaArrays.unitSignalRatePerDay(), 0, 20);
    LimitResult recomputed = viaArrays.recompute(100.0, 50.0, 0, 20, T0);

    assertThat(updated).isEqualTo(recomputed);
    toy.onCounts[0] = 0; // the caller's array changes after the update ...
    assertThat(viaUpdate.onCounts()[0]).isNotZero(); // ... the copy does not
  }

  @Test
  void rejectsWindowOutsideTheBinsWithContext() {
    RunningLimits limits = new RunningLimits(10, LimitSettings.defaults());
    fill(limits, 500, 500);
    assertThatThrownBy(() -> limits.recompute(1.0, 1.0, 5, 11, T0))
        .isInstanceOf(InvalidLimitInputException.class)
        .hasMessageContaining("endBinExclusive=11").hasMessageContaining("bins=10");
    assertThatThrownBy(() -> limits.recompute(0.0, 1.0, 0, 10, T0))
        .isInstanceOf(InvalidLimitInputException.class)
        .hasMessageContaining("onLiveTimeDays=0.0");
  }
}
