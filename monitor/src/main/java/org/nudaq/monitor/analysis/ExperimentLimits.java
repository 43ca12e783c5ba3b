package org.nudaq.monitor.analysis;

import java.time.Instant;
import java.util.List;
import org.nudaq.monitor.limits.LimitResult;
import org.nudaq.monitor.limits.LimitSettings;
import org.nudaq.monitor.limits.LineTreatment;
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
 * <p>Detectors are combined by concatenating their window bins; every bin carries its own
 * detector's ON and OFF live times (after that detector's own gates: data-quality slices are judged
 * per detector), so each detector's ON and OFF counts are normalised by its own live times.
 *
 * <p>The expected sensitivity of a result is {@link #expected(double[], double[])} at the result's
 * per-detector live times: the configured background model, the same computation as
 * {@code nudaq sensitivity} (not the OFF counts, which early in a run are mostly empty bins and would
 * make the expectation too optimistic and growing with exposure).
 *
 * <p>Single writer ({@link #update}); {@link #latest()} and {@link #expected} from any thread
 * ({@code expected} with a Gaussian method touches no shared scratch state).
 */
public final class ExperimentLimits {
  private final AnalysisTemplates templates;
  private final LimitSettings settings;
  private final double thresholdKeV;
  private final RunningLimits mu;
  private final RunningLimits q;
  private final SensitivityCalculator sensitivity;
  /** The templates' arrays, copied once (the templates hand out copies). */
  private final double[] backgroundPerDay;
  private final double[] weakPerDay;
  private final double[] muUnitPerDay;
  private final double[] qUnitPerDay;
  /** Per-bin live times of the current update, days (writer thread). */
  private final double[] onLiveTimeDaysPerBin;
  private final double[] offLiveTimeDaysPerBin;
  private final double[] powerPerBin;
  /** The systematic part (joint fit, nuisances, cross-section models); null: statistics only. */
  private final SystematicFitter systematicFitter;
  private volatile ExperimentResult latest;

  /**
   * @param templates    expected rates over the analysis windows
   * @param settings     confidence level and methods
   * @param thresholdKeV the threshold for the eq. 6 estimate (the lowest detector threshold)
   */
  public ExperimentLimits(AnalysisTemplates templates, LimitSettings settings, double thresholdKeV) {
    this(templates, settings, thresholdKeV, null);
  }

  /**
   * As {@link #ExperimentLimits(AnalysisTemplates, LimitSettings, double)} with the systematic part:
   * every update also runs {@code systematicFitter} (built for these templates) and its result is in
   * {@link ExperimentResult#systematics()}.
   */
  public ExperimentLimits(AnalysisTemplates templates, LimitSettings settings, double thresholdKeV,
      SystematicFitter systematicFitter) {
    this.systematicFitter = systematicFitter;
    this.templates = templates;
    this.settings = settings;
    this.thresholdKeV = thresholdKeV;
    int n = templates.binCount();
    this.mu = new RunningLimits(n, settings);
    this.q = new RunningLimits(n, settings);
    this.sensitivity = new SensitivityCalculator(settings.confidenceLevel(), n);
    this.backgroundPerDay = templates.backgroundPerDay();
    this.weakPerDay = templates.weakPerDay();
    this.muUnitPerDay = templates.muUnitPerDay();
    this.qUnitPerDay = templates.qUnitPerDay();
    this.onLiveTimeDaysPerBin = new double[n];
    this.offLiveTimeDaysPerBin = new double[n];
    this.powerPerBin = new double[n];
  }

  /** The limits of a configuration: its physics model, windows, detectors and limit settings. */
  public static ExperimentLimits forConfig(org.nudaq.monitor.config.NudaqConfig config) {
    return forConfig(config, AnalysisTemplates.lineTreatment(config.analysis()));
  }

  /** As {@link #forConfig(org.nudaq.monitor.config.NudaqConfig)} with another line treatment. */
  public static ExperimentLimits forConfig(org.nudaq.monitor.config.NudaqConfig config, LineTreatment treatment) {
    return forConfig(config, treatment, config.analysis().systematics());
  }

  /**
   * As {@link #forConfig(org.nudaq.monitor.config.NudaqConfig, LineTreatment)} with other nuisance
   * settings (e.g. {@link org.nudaq.monitor.config.SystematicsConfig#none()}).
   */
  public static ExperimentLimits forConfig(org.nudaq.monitor.config.NudaqConfig config, LineTreatment treatment,
      org.nudaq.monitor.config.SystematicsConfig systematics) {
    return forConfig(config, treatment, systematics, LineWidths.configured());
  }

  /**
   * As {@link #forConfig(org.nudaq.monitor.config.NudaqConfig, LineTreatment,
   * org.nudaq.monitor.config.SystematicsConfig)} with the line masks' widths from {@code widths} (issue 17:
   * the online calibration's resolution curves; every result names them, {@link ExperimentResult#lineMasks()}).
   */
  public static ExperimentLimits forConfig(org.nudaq.monitor.config.NudaqConfig config, LineTreatment treatment,
      org.nudaq.monitor.config.SystematicsConfig systematics, LineWidths widths) {
    CrossSectionModels models = CrossSectionModels.of(config);
    AnalysisTemplates templates = AnalysisTemplates.of(config, models.weak(), models.mu(), models.q(), treatment,
        widths);
    LimitSettings settings = settings(config.analysis()).withLineTreatment(treatment);
    SystematicTemplates sys = SystematicTemplates.of(config, models.weak(), models.mu(), models.q(), templates,
        systematics);
    SystematicFitter fitter = new SystematicFitter(sys, models.alternatives(config, templates), models.muLabel(),
        models.qLabel(), templates.binCount(), settings.confidenceLevel());
    return new ExperimentLimits(templates, settings, lowestThresholdKeV(config), fitter);
  }

  /**
   * Issue 17: the costly part of {@link #forConfig} (physics models, the folded templates and nuisance effects:
   * ~1 s), built once, from which the limits with other line-mask widths and energy-scale constraints (the
   * online calibration's) are derived in milliseconds: the same masks and templates as {@code forConfig} with
   * those inputs, the nuisance rows scaled by the ratio of the constraints. Immutable; thread-safe.
   */
  public static final class Model {
    private final org.nudaq.monitor.config.NudaqConfig config;
    private final CrossSectionModels models;
    private final AnalysisTemplates templates;
    private final SystematicTemplates unmaskedSystematics;

    private Model(org.nudaq.monitor.config.NudaqConfig config) {
      this.config = config;
      this.models = CrossSectionModels.of(config);
      this.templates = AnalysisTemplates.of(config, models.weak(), models.mu(), models.q(),
          AnalysisTemplates.lineTreatment(config.analysis()));
      this.unmaskedSystematics = SystematicTemplates.of(config, models.weak(), models.mu(), models.q(),
          templates.withoutMasks(), config.analysis().systematics());
    }

    /** Builds the model of a configuration (its line treatment and nuisance settings). */
    public static Model of(org.nudaq.monitor.config.NudaqConfig config) {
      return new Model(config);
    }

    /**
     * The limits with the line masks' widths from {@code widths} and the nuisance constraints of
     * {@code systematics} (the configuration's, with changed σ's only: see
     * {@link SystematicTemplates#derived}).
     */
    public ExperimentLimits limits(org.nudaq.monitor.config.SystematicsConfig systematics, LineWidths widths) {
      AnalysisTemplates t = templates.withLineWidths(widths);
      SystematicTemplates sys = unmaskedSystematics.derived(t, systematics);
      LimitSettings settings = settings(config.analysis()).withLineTreatment(t.lineTreatment());
      SystematicFitter fitter = new SystematicFitter(sys, models.alternatives(config, t), models.muLabel(),
          models.qLabel(), t.binCount(), settings.confidenceLevel());
      return new ExperimentLimits(t, settings, lowestThresholdKeV(config), fitter);
    }
  }

  /** The limit settings of the configuration's analysis section. */
  public static LimitSettings settings(org.nudaq.monitor.config.AnalysisConfig a) {
    Method method = switch (a.limitMethod()) {
      case FELDMAN_COUSINS -> Method.FELDMAN_COUSINS;
      case BAYESIAN_FLAT -> Method.BAYESIAN_FLAT;
    };
    return new LimitSettings(a.confidenceLevel(), method, LimitSettings.DEFAULT_MIN_COUNTS_PER_BIN_FOR_GAUSSIAN,
        a.minCountsPerMergedBin(), AnalysisTemplates.lineTreatment(a));
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
   * with the configured binning), each detector's counts with its own spectra's live times. Returns
   * null, and keeps the previous result, while some detector has no live time in either state.
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
   * @param onMeanPowerFraction per detector (templates' order), &gt; 0; null means nominal power throughout
   */
  public ExperimentResult update(List<? extends Spectrum> on, List<? extends Spectrum> off, double[] onMeanPowerFraction,
      Instant computedAt) {
    int detectors = templates.detectors().size();
    if (on.size() != detectors || off.size() != detectors) {
      throw new IllegalArgumentException("need one ON and one OFF spectrum per detector (" + detectors
          + "), got on=" + on.size() + " off=" + off.size());
    }
    double[] onDays = new double[detectors];
    double[] offDays = new double[detectors];
    double onExposure = 0;
    double offExposure = 0;
    for (int d = 0; d < detectors; d++) {
      onDays[d] = on.get(d).liveTimeDays();
      offDays[d] = off.get(d).liveTimeDays();
      if (!(onDays[d] > 0) || !(offDays[d] > 0)) {
        return null;
      }
      onExposure += on.get(d).exposureKgDays();
      offExposure += off.get(d).exposureKgDays();
    }
    checkPower(onMeanPowerFraction, detectors);
    long[] onCounts = mu.onCounts();
    long[] offCounts = mu.offCounts();
    // The reactor's rates (weak, μν, qν) at each detector's mean ON power; the background is not scaled.
    double[] weak = mu.weakRatePerDay();
    double[] muRate = mu.unitSignalRatePerDay();
    double[] qRate = q.unitSignalRatePerDay();
    int n = templates.binCount();
    for (int k = 0; k < n; k++) {
      int d = templates.detectorOf(k);
      int bin = templates.spectrumBinOf(k);
      double power = onMeanPowerFraction == null ? 1.0 : onMeanPowerFraction[d];
      onCounts[k] = on.get(d).count(bin);
      offCounts[k] = off.get(d).count(bin);
      onLiveTimeDaysPerBin[k] = onDays[d];
      offLiveTimeDaysPerBin[k] = offDays[d];
      weak[k] = weakPerDay[k] * power;
      muRate[k] = muUnitPerDay[k] * power;
      qRate[k] = qUnitPerDay[k] * power;
      powerPerBin[k] = power;
    }
    System.arraycopy(onCounts, 0, q.onCounts(), 0, n);
    System.arraycopy(offCounts, 0, q.offCounts(), 0, n);
    System.arraycopy(weak, 0, q.weakRatePerDay(), 0, n);
    Method expectedMethod = settings.gaussianMethod();
    Sensitivity muExpected = sensitivity.expected(backgroundPerDay, onLiveTimeDaysPerBin, offLiveTimeDaysPerBin,
        weak, muRate, 0, n, expectedMethod);
    Sensitivity qExpected = sensitivity.expected(backgroundPerDay, onLiveTimeDaysPerBin, offLiveTimeDaysPerBin,
        weak, qRate, 0, n, expectedMethod);
    LimitResult m = mu.recompute(onLiveTimeDaysPerBin, offLiveTimeDaysPerBin, onDays[0], offDays[0], 0, n,
        muExpected, computedAt);
    LimitResult c = q.recompute(onLiveTimeDaysPerBin, offLiveTimeDaysPerBin, onDays[0], offDays[0], 0, n,
        qExpected, computedAt);
    SystematicResult systematic = systematicFitter == null ? null : systematicFitter.fit(onCounts, offCounts,
        onLiveTimeDaysPerBin, offLiveTimeDaysPerBin, weak, muRate, qRate, powerPerBin);
    ExperimentResult r = toResult(computedAt, m, c, onExposure, offExposure, systematic);
    latest = r;
    return r;
  }

  /**
   * Expected limits for an exposure with the same live times for every detector, from the
   * configured background model (no data needed): what {@code nudaq sensitivity} prints.
   */
  public ExpectedLimits expected(double onLiveTimeDays, double offLiveTimeDays) {
    return expected(onLiveTimeDays, offLiveTimeDays, 1.0);
  }

  /**
   * Expected limits for an exposure with the same live times for every detector and the reactor at
   * {@code meanPowerFraction} of nominal over the ON live time (the signal exposure is power × live
   * time: the reactor's weak, μν and qν rates are scaled by it, the background is not).
   */
  public ExpectedLimits expected(double onLiveTimeDays, double offLiveTimeDays, double meanPowerFraction) {
    int detectors = templates.detectors().size();
    double[] onDays = new double[detectors];
    double[] offDays = new double[detectors];
    double[] power = new double[detectors];
    java.util.Arrays.fill(onDays, onLiveTimeDays);
    java.util.Arrays.fill(offDays, offLiveTimeDays);
    java.util.Arrays.fill(power, meanPowerFraction);
    return expected(onDays, offDays, power);
  }

  /**
   * Expected limits for per-detector live times (days, in the templates' detector order), from the
   * configured background model: the running limits' expectation at their exposure. The result's
   * live times are the first detector's.
   */
  public ExpectedLimits expected(double[] onLiveTimeDays, double[] offLiveTimeDays) {
    return expected(onLiveTimeDays, offLiveTimeDays, null);
  }

  /**
   * As {@link #expected(double[], double[])} with each detector's mean ON power as a fraction of
   * nominal (null: nominal throughout).
   */
  public ExpectedLimits expected(double[] onLiveTimeDays, double[] offLiveTimeDays, double[] onMeanPowerFraction) {
    int detectors = templates.detectors().size();
    if (onLiveTimeDays.length != detectors || offLiveTimeDays.length != detectors) {
      throw new IllegalArgumentException("need ON and OFF live times per detector (" + detectors + "), got on="
          + onLiveTimeDays.length + " off=" + offLiveTimeDays.length);
    }
    checkPower(onMeanPowerFraction, detectors);
    Method method = settings.gaussianMethod();
    int n = templates.binCount();
    double[] onPerBin = new double[n];
    double[] offPerBin = new double[n];
    double[] weak = new double[n];
    double[] muRate = new double[n];
    double[] qRate = new double[n];
    for (int k = 0; k < n; k++) {
      int d = templates.detectorOf(k);
      double p = onMeanPowerFraction == null ? 1.0 : onMeanPowerFraction[d];
      onPerBin[k] = onLiveTimeDays[d];
      offPerBin[k] = offLiveTimeDays[d];
      weak[k] = weakPerDay[k] * p;
      muRate[k] = muUnitPerDay[k] * p;
      qRate[k] = qUnitPerDay[k] * p;
    }
    Sensitivity m = sensitivity.expected(backgroundPerDay, onPerBin, offPerBin, weak, muRate, 0, n, method);
    Sensitivity c = sensitivity.expected(backgroundPerDay, onPerBin, offPerBin, weak, qRate, 0, n, method);
    double muUnit = AnalysisTemplates.MU_UNIT_MUB;
    double qUnit = AnalysisTemplates.Q_UNIT_E0;
    double muLimit = m.medianParameter() * muUnit;
    return new ExpectedLimits(method, settings.confidenceLevel(), onLiveTimeDays[0], offLiveTimeDays[0],
        muLimit, m.minus1SigmaParameter() * muUnit, m.plus1SigmaParameter() * muUnit,
        c.medianParameter() * qUnit, c.minus1SigmaParameter() * qUnit, c.plus1SigmaParameter() * qUnit,
        ThresholdEstimate.millichargeBoundE0(thresholdKeV, muLimit));
  }

  private static void checkPower(double[] onMeanPowerFraction, int detectors) {
    if (onMeanPowerFraction == null) {
      return;
    }
    if (onMeanPowerFraction.length != detectors) {
      throw new IllegalArgumentException("need one ON mean power fraction per detector (" + detectors + "), got "
          + onMeanPowerFraction.length);
    }
    for (double p : onMeanPowerFraction) {
      if (!(p > 0) || Double.isInfinite(p)) {
        throw new IllegalArgumentException("ON mean power fraction must be finite and > 0, got " + p);
      }
    }
  }

  /** The systematic part, or null when these limits have none. */
  public SystematicFitter systematicFitter() {
    return systematicFitter;
  }

  private ExperimentResult toResult(Instant at, LimitResult m, LimitResult c, double onExposureKgDays,
      double offExposureKgDays, SystematicResult systematic) {
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
        ThresholdEstimate.millichargeBoundE0(thresholdKeV, muLimit), m, c, onExposureKgDays, offExposureKgDays,
        systematic, templates.lineMasks());
  }
}
