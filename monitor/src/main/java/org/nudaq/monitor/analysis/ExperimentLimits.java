package org.nudaq.monitor.analysis;

import java.time.Instant;
import java.util.List;
import org.nudaq.monitor.limits.LimitResult;
import org.nudaq.monitor.limits.LimitSettings;
import org.nudaq.monitor.limits.Method;
import org.nudaq.monitor.limits.RunningLimits;
import org.nudaq.monitor.limits.Sensitivity;
import org.nudaq.monitor.limits.SensitivityCalculator;
import org.nudaq.monitor.physics.ThresholdEstimate;
import org.nudaq.monitor.spectrum.Spectrum;

/**
 * Limits on μν and qν for a whole experiment (all detectors) from its ON and OFF spectra: the
 * seed's per-bin estimator combined over the analysis windows, with a Feldman–Cousins (or Bayesian,
 * or, with few counts, profile-likelihood) upper limit, and the expected sensitivity.
 *
 * <p>Detectors are combined by concatenating their window bins. Their live times differ only by
 * their own dead time; the rates of detector d are scaled by its ON live time relative to the first
 * detector's, so the ON side is exact and the OFF side is off by the ratio of the detectors' dead
 * fractions (parts per million). Single writer ({@link #update}); {@link #latest()} from any thread.
 */
public final class ExperimentLimits {
  private final AnalysisTemplates templates;
  private final LimitSettings settings;
  private final double thresholdKeV;
  private final RunningLimits mu;
  private final RunningLimits q;
  private final SensitivityCalculator sensitivity;
  private volatile ExperimentResult latest;

  /**
   * @param templates    expected rates over the analysis windows
   * @param settings     confidence level and methods
   * @param thresholdKeV the threshold for the eq. 6 estimate (the lowest detector threshold)
   */
  public ExperimentLimits(AnalysisTemplates templates, LimitSettings settings, double thresholdKeV) {
    this.templates = templates;
    this.settings = settings;
    this.thresholdKeV = thresholdKeV;
    int n = templates.binCount();
    this.mu = new RunningLimits(n, settings);
    this.q = new RunningLimits(n, settings);
    this.sensitivity = new SensitivityCalculator(settings.confidenceLevel(), n);
  }

  /** The limits of a configuration: its physics model, windows, detectors and limit settings. */
  public static ExperimentLimits forConfig(org.nudaq.monitor.config.NudaqConfig config) {
    AnalysisTemplates templates = AnalysisTemplates.of(config, org.nudaq.monitor.physics.ConfiguredPhysics.model(config));
    return new ExperimentLimits(templates, settings(config.analysis()), lowestThresholdKeV(config));
  }

  /** The limit settings of the configuration's analysis section. */
  public static LimitSettings settings(org.nudaq.monitor.config.AnalysisConfig a) {
    Method method = switch (a.limitMethod()) {
      case FELDMAN_COUSINS -> Method.FELDMAN_COUSINS;
      case BAYESIAN_FLAT -> Method.BAYESIAN_FLAT;
    };
    return new LimitSettings(a.confidenceLevel(), method, LimitSettings.DEFAULT_MIN_COUNTS_PER_BIN_FOR_GAUSSIAN);
  }

  private static double lowestThresholdKeV(org.nudaq.monitor.config.NudaqConfig config) {
    double lowest = Double.POSITIVE_INFINITY;
    for (org.nudaq.monitor.config.DetectorConfig d : config.detectors()) {
      lowest = Math.min(lowest, d.thresholdKeV());
    }
    return lowest;
  }

  public AnalysisTemplates templates() {
    return templates;
  }

  /** The last result, or null before the first. Any thread. */
  public ExperimentResult latest() {
    return latest;
  }

  /**
   * Recomputes from the spectra (one ON and one OFF per detector, in the templates' detector order,
   * with the configured binning). Returns null, and keeps the previous result, while either state
   * has no live time yet.
   */
  public ExperimentResult update(List<? extends Spectrum> on, List<? extends Spectrum> off, Instant computedAt) {
    return update(on, off, null, computedAt);
  }

  /**
   * As {@link #update(List, List, Instant)}, with the reactor's thermal power: the expected reactor
   * signal (weak, μν and qν rates) of detector d in its ON spectrum is scaled by
   * {@code onMeanPowerFraction[d]}, the mean thermal power over its ON live time as a fraction of the
   * configured {@code reactor.thermalPowerMW}. The signal exposure is then power × live time; the
   * background exposure stays the live time.
   *
   * @param onMeanPowerFraction per detector (templates' order), ≥ 0; null means nominal power throughout
   */
  public ExperimentResult update(List<? extends Spectrum> on, List<? extends Spectrum> off, double[] onMeanPowerFraction,
      Instant computedAt) {
    int detectors = templates.detectors().size();
    if (onMeanPowerFraction != null && onMeanPowerFraction.length != detectors) {
      throw new IllegalArgumentException("need one ON mean power fraction per detector (" + detectors + "), got "
          + onMeanPowerFraction.length);
    }
    if (on.size() != detectors || off.size() != detectors) {
      throw new IllegalArgumentException("need one ON and one OFF spectrum per detector (" + detectors
          + "), got on=" + on.size() + " off=" + off.size());
    }
    double onRef = on.get(0).liveTimeDays();
    double offRef = off.get(0).liveTimeDays();
    if (!(onRef > 0) || !(offRef > 0)) {
      return null;
    }
    long[] onCounts = mu.onCounts();
    long[] offCounts = mu.offCounts();
    double[] weak = mu.weakRatePerDay();
    double[] muUnit = mu.unitSignalRatePerDay();
    double[] qUnit = q.unitSignalRatePerDay();
    int n = templates.binCount();
    for (int k = 0; k < n; k++) {
      int d = templates.detectorOf(k);
      int bin = templates.spectrumBinOf(k);
      // Rates relative to detector 0's ON live time; the reactor signal also by the mean power.
      double scale = on.get(d).liveTimeDays() / onRef * (onMeanPowerFraction == null ? 1.0 : onMeanPowerFraction[d]);
      onCounts[k] = on.get(d).count(bin);
      offCounts[k] = off.get(d).count(bin);
      weak[k] = templates.weak(k) * scale;
      muUnit[k] = templates.muUnit(k) * scale;
      qUnit[k] = templates.qUnit(k) * scale;
    }
    System.arraycopy(onCounts, 0, q.onCounts(), 0, n);
    System.arraycopy(offCounts, 0, q.offCounts(), 0, n);
    System.arraycopy(weak, 0, q.weakRatePerDay(), 0, n);
    LimitResult m = mu.recompute(onRef, offRef, 0, n, computedAt);
    LimitResult c = q.recompute(onRef, offRef, 0, n, computedAt);
    ExperimentResult r = toResult(computedAt, m, c);
    latest = r;
    return r;
  }

  /** Expected limits for an exposure, from the configured background model (no data needed). */
  public ExpectedLimits expected(double onLiveTimeDays, double offLiveTimeDays) {
    return expected(onLiveTimeDays, offLiveTimeDays, 1.0);
  }

  /**
   * Expected limits for an exposure with the reactor at {@code meanPowerFraction} of nominal over the
   * ON live time (the signal exposure is power × live time; the reactor's weak, μν and qν rates are
   * scaled by it, the background is not).
   */
  public ExpectedLimits expected(double onLiveTimeDays, double offLiveTimeDays, double meanPowerFraction) {
    if (!(meanPowerFraction > 0) || Double.isInfinite(meanPowerFraction)) {
      throw new IllegalArgumentException("meanPowerFraction must be finite and > 0, got " + meanPowerFraction);
    }
    Method method = settings.gaussianMethod();
    int n = templates.binCount();
    double[] background = templates.backgroundPerDay();
    double[] weak = scaled(templates.weakPerDay(), meanPowerFraction);
    double[] muRate = scaled(templates.muUnitPerDay(), meanPowerFraction);
    double[] qRate = scaled(templates.qUnitPerDay(), meanPowerFraction);
    Sensitivity m = sensitivity.expected(background, onLiveTimeDays, offLiveTimeDays, weak, muRate, 0, n, method);
    Sensitivity c = sensitivity.expected(background, onLiveTimeDays, offLiveTimeDays, weak, qRate, 0, n, method);
    double muUnit = AnalysisTemplates.MU_UNIT_MUB;
    double qUnit = AnalysisTemplates.Q_UNIT_E0;
    double muLimit = m.medianParameter() * muUnit;
    return new ExpectedLimits(method, settings.confidenceLevel(), onLiveTimeDays, offLiveTimeDays,
        muLimit, m.minus1SigmaParameter() * muUnit, m.plus1SigmaParameter() * muUnit,
        c.medianParameter() * qUnit, c.minus1SigmaParameter() * qUnit, c.plus1SigmaParameter() * qUnit,
        ThresholdEstimate.millichargeBoundE0(thresholdKeV, muLimit));
  }

  private static double[] scaled(double[] rates, double factor) {
    if (factor == 1.0) {
      return rates;
    }
    double[] out = rates.clone();
    for (int i = 0; i < out.length; i++) {
      out[i] *= factor;
    }
    return out;
  }

  private ExperimentResult toResult(Instant at, LimitResult m, LimitResult c) {
    double muUnit = AnalysisTemplates.MU_UNIT_MUB;
    double qUnit = AnalysisTemplates.Q_UNIT_E0;
    double muLimit = m.upperLimitParameter() * muUnit;
    return new ExperimentResult(at, m.method(), m.confidenceLevel(), m.onLiveTimeDays(), m.offLiveTimeDays(),
        m.xHat() * muUnit * muUnit, m.xSigma() * muUnit * muUnit, muLimit,
        m.sensitivity().medianParameter() * muUnit, m.sensitivity().minus1SigmaParameter() * muUnit,
        m.sensitivity().plus1SigmaParameter() * muUnit,
        c.xHat() * qUnit * qUnit, c.xSigma() * qUnit * qUnit, c.upperLimitParameter() * qUnit,
        c.sensitivity().medianParameter() * qUnit, c.sensitivity().minus1SigmaParameter() * qUnit,
        c.sensitivity().plus1SigmaParameter() * qUnit,
        ThresholdEstimate.millichargeBoundE0(thresholdKeV, muLimit), m, c);
  }
}
