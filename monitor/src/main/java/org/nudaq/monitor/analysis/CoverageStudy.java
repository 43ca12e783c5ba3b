package org.nudaq.monitor.analysis;

import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import org.hipparchus.random.RandomDataGenerator;
import org.nudaq.monitor.limits.LimitResult;
import org.nudaq.monitor.limits.LimitSettings;
import org.nudaq.monitor.limits.Method;
import org.nudaq.monitor.limits.RunningLimits;

/**
 * Frequentist coverage of the published limits, by toy experiments on an experiment's own analysis
 * window and templates: does the 90% CL interval that {@link RunningLimits} publishes contain the
 * true X in 90% of repeated experiments, at every exposure and signal strength?
 *
 * <p>Each toy draws n_i ~ Poisson(t_on(b_i + w_i + X s_i)) and m_i ~ Poisson(t_off b_i) for every
 * window bin (b_i the configured flat background times the efficiency, w_i the weak rate, s_i the
 * unit signal of μν² or qν², all counts/day in the bin, from {@link AnalysisTemplates}; masked bins
 * are drawn too and ignored by the analysis, as in real data) and runs the same
 * {@link RunningLimits#recompute} the daemon runs, with the configuration's limit settings. The true
 * X is given in units of σ₀, the Gaussian σ of X̂ for the expected background-only counts,
 * σ₀⁻² = Σ s_i² / ((b_i + w_i)/t_on + b_i/t_off). Seeded: the same arguments give the same numbers.
 *
 * <p>Not thread-safe (one study per thread); allocation per point, not per toy, apart from the
 * published results.
 */
public final class CoverageStudy {

  /** Which parameter's templates the toys use. */
  public enum Parameter {
    /** X = μν² in (1e-11 μB)². */
    MU,
    /** X = qν² in (1e-12 e0)². */
    Q
  }

  /**
   * One point of the study.
   *
   * @param onLiveTimeDays   ON exposure, days
   * @param offLiveTimeDays  OFF exposure, days
   * @param trueXInSigma     the true X in units of σ₀
   * @param trueX            the true X
   * @param toys             toy experiments run
   * @param coverage         fraction with lower ≤ X ≤ upper (the interval's claim)
   * @param upperCoverage    fraction with X ≤ upper (the upper limit alone)
   * @param methods          how many toys each method handled
   */
  public record Point(double onLiveTimeDays, double offLiveTimeDays, double trueXInSigma, double trueX, int toys,
      double coverage, double upperCoverage, Map<Method, Integer> methods) {

    /** Binomial standard error of {@link #coverage}. */
    public double coverageError() {
      return Math.sqrt(coverage * (1 - coverage) / toys);
    }

    /** The method that handled most toys. */
    public Method mainMethod() {
      return methods.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElseThrow();
    }
  }

  private final double[] background;
  private final double[] weak;
  private final double[] signal;
  private final RunningLimits limits;

  /**
   * @param templates the experiment's window templates
   * @param settings  the limit settings the daemon uses
   * @param parameter μν² or qν²
   */
  public CoverageStudy(AnalysisTemplates templates, LimitSettings settings, Parameter parameter) {
    this.background = templates.backgroundPerDay();
    this.weak = templates.weakPerDay();
    this.signal = parameter == Parameter.MU ? templates.muUnitPerDay() : templates.qUnitPerDay();
    this.limits = new RunningLimits(background.length, settings);
    System.arraycopy(weak, 0, limits.weakRatePerDay(), 0, weak.length);
    System.arraycopy(signal, 0, limits.unitSignalRatePerDay(), 0, signal.length);
  }

  /** σ₀ of X for the exposure (formula in the class comment). */
  public double sigmaAtZero(double onLiveTimeDays, double offLiveTimeDays) {
    double information = 0.0;
    for (int i = 0; i < signal.length; i++) {
      if (signal[i] > 0.0) {
        double variance = (background[i] + weak[i]) / onLiveTimeDays + background[i] / offLiveTimeDays;
        information += signal[i] * signal[i] / variance;
      }
    }
    return 1.0 / Math.sqrt(information);
  }

  /** Runs {@code toys} toy experiments at one exposure and true X (in σ₀), seeded by {@code seed}. */
  public Point run(double onLiveTimeDays, double offLiveTimeDays, double trueXInSigma, int toys, long seed) {
    double trueX = trueXInSigma * sigmaAtZero(onLiveTimeDays, offLiveTimeDays);
    RandomDataGenerator random = new RandomDataGenerator(seed);
    long[] on = limits.onCounts();
    long[] off = limits.offCounts();
    Map<Method, Integer> methods = new EnumMap<>(Method.class);
    int covered = 0;
    int belowUpper = 0;
    Instant at = Instant.EPOCH;
    for (int t = 0; t < toys; t++) {
      for (int i = 0; i < on.length; i++) {
        double onMean = onLiveTimeDays * (background[i] + weak[i] + trueX * signal[i]);
        on[i] = onMean > 0 ? random.nextPoisson(onMean) : 0;
        double offMean = offLiveTimeDays * background[i];
        off[i] = offMean > 0 ? random.nextPoisson(offMean) : 0;
      }
      LimitResult r = limits.recompute(onLiveTimeDays, offLiveTimeDays, 0, on.length, at);
      methods.merge(r.method(), 1, Integer::sum);
      if (trueX <= r.upperLimitX()) {
        belowUpper++;
        if (r.lowerLimitX() <= trueX) {
          covered++;
        }
      }
    }
    return new Point(onLiveTimeDays, offLiveTimeDays, trueXInSigma, trueX, toys, covered / (double) toys,
        belowUpper / (double) toys, methods);
  }
}
