package org.nudaq.server.pipeline;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.nudaq.monitor.calibration.Calibration;
import org.nudaq.monitor.calibration.CalibrationStatus;
import org.nudaq.monitor.calibration.EnergyScale;
import org.nudaq.monitor.calibration.LineFit;
import org.nudaq.monitor.calibration.PeakFitter;
import org.nudaq.monitor.config.CalibrationConfig;
import org.nudaq.monitor.config.ConfigLoader;
import org.nudaq.monitor.config.DriftConfig;
import org.nudaq.monitor.config.NudaqConfig;
import org.nudaq.monitor.config.SimulatorConfig;
import org.nudaq.monitor.physics.ConfiguredPhysics;
import org.nudaq.monitor.physics.PhysicsModel;
import org.nudaq.monitor.spectrum.SpectrumSnapshot;
import org.nudaq.server.calibration.CalibrationHistory;
import org.nudaq.server.calibration.OnlineCalibration;
import org.nudaq.sim.generator.EventGenerator;
import org.nudaq.sim.generator.PhysicsRecoilRates;
import org.nudaq.sim.generator.RecoilRates;

/**
 * The acceptance study of issue 17: a simulated year whose HPGe gain drifts (default: +0.5 % over the year,
 * a daily ±0.05 % cycle and a +0.3 % step at day 200) through the real event generator and the daemon's
 * pipeline ({@link EventGenerator} → {@link SimulatorFeed} → {@link EventPipeline}, in process), three ways:
 * drifting with the online calibration (fits inline at each interval, as a replay that recalibrates does),
 * drifting without it, and without drift. For each month (30 days) the after-gates spectrum (ON + OFF) is
 * fitted at the Ga K 10.37 keV line ({@link PeakFitter}, Zn K 9.66 and Cu K 8.98 as tied neighbours); the
 * pull (E_fit − 10.37)/σ_fit of each month, and the FWHM of the line in the year's summed spectrum.
 *
 * <p>Simulator setting as {@link NullRunStudy}'s fast one (NaI singles 0.05 Hz, muons 0.01 Hz, status every
 * 60 s): the HPGe physics is untouched. Usage (from the repository root, after {@code mvn -B -q -o -pl
 * daq-server -am -DskipTests test-compile}):
 * <pre>
 *   java -cp "daq-server/target/test-classes:daq-server/target/classes:monitor/target/classes:hardware-sim/target/classes:$(cat daq-server/target/classpath.txt)" \
 *     org.nudaq.server.pipeline.CalibrationStudy [--config F] [--seed S] [--months M] [--window-days W] \
 *     [--line-scale K] [--max-gain-err PERCENT] [--pulser KEV [--pulser-hz HZ]]
 * </pre>
 */
public final class CalibrationStudy {
  private static final double DAY_NS = 86_400e9;

  /**
   * One month's fit of the 10.37 keV line; energies in keV. {@code scaleErrKeV}: the uncertainty the energy
   * scale in force gave 10.37 keV over the month (the mean of the applied calibrations' gain errors, weighted by
   * the time each was in force; 0 without online calibration).
   */
  public record Month(int month, double energyKeV, double energyErrKeV, double fwhmKeV, double counts, double scaleErrKeV) {
    Month(int month, double energyKeV, double energyErrKeV, double fwhmKeV, double counts) {
      this(month, energyKeV, energyErrKeV, fwhmKeV, counts, 0);
    }

    /** (E − 10.37 keV)/σ_fit: the line's own statistical error only (the acceptance criterion). */
    double pull() {
      return (energyKeV - 10.37) / energyErrKeV;
    }

    /** The pull with the energy scale's uncertainty added in quadrature. */
    double pullWithScale() {
      return (energyKeV - 10.37) / Math.hypot(energyErrKeV, scaleErrKeV);
    }

    Month withScaleErr(double keV) {
      return new Month(month, energyKeV, energyErrKeV, fwhmKeV, counts, keV);
    }
  }

  /** A run: the months, the year's summed fit, and the calibration history (empty without calibration). */
  public record Run(List<Month> months, Month year, CalibrationHistory history) {
    /** Fraction of months whose line sits within k fitted standard errors of 10.37 keV. */
    double fractionWithin(double k) {
      long n = months.stream().filter(m -> Math.abs(m.pull()) <= k).count();
      return (double) n / months.size();
    }
  }

  private CalibrationStudy() {}

  /** The acceptance drift of issue 17. */
  static final DriftConfig ACCEPTANCE_DRIFT = new DriftConfig(0.005 * 365.25 / 360, 0.0005, 0, 0, 0,
      List.of(new DriftConfig.Step(200, 0.003, 0)), 0, 0);

  /** The acceptance drift with a pulser line at {@code pulserKeV} (0: none) of {@code pulserHz} in the HPGe. */
  static DriftConfig withPulser(DriftConfig d, double pulserKeV, double pulserHz) {
    return new DriftConfig(d.gainPerYear(), d.gainDailyAmplitude(), d.offsetKeVPerYear(), d.offsetDailyKeV(),
        d.resolutionPerYear(), d.steps(), pulserKeV, pulserKeV > 0 ? pulserHz : 0);
  }

  /** The configuration of a run: the base's detectors and channels, the fast simulator, drift and calibration. */
  static NudaqConfig configFor(NudaqConfig base, long seed, DriftConfig drift, CalibrationConfig calibration) {
    return configFor(base, seed, drift, calibration, 1);
  }

  /** As above with the X-ray lines' intensities multiplied by {@code lineScale}. */
  static NudaqConfig configFor(NudaqConfig base, long seed, DriftConfig drift, CalibrationConfig calibration,
      double lineScale) {
    SimulatorConfig b = base.simulator();
    List<SimulatorConfig.XrayLine> lines = b.xrayLines().stream().map(l -> new SimulatorConfig.XrayLine(l.name(),
        l.energyKeV(), l.halfLifeDays(), l.initialPerKgDay() * lineScale)).toList();
    SimulatorConfig sim = new SimulatorConfig(seed, b.schedule(), 0, 0, b.comptonPerKeVKgDay(), lines,
        b.tritiumPerKgDay(), b.noisePerKgDay(), b.noiseSlopeKeV(), b.burstEveryDays(), b.burstDurationSeconds(),
        b.burstRateHz(), 0.05, 0.01, b.hpgeDeadTimeNs(), b.aggregateMaxEvents(), b.aggregateMaxAgeMs(), 60,
        b.bufferEvents(), drift);
    return base.withSimulator(sim).withCalibration(calibration);
  }

  /** Runs {@code months} months of 30 days; with {@code calibration.enabled()} the online calibration runs inline. */
  public static Run run(NudaqConfig config, int months) {
    PhysicsModel model = ConfiguredPhysics.model(config);
    List<RecoilRates> rates = new ArrayList<>();
    for (int d = 0; d < config.detectors().size(); d++) {
      rates.add(new PhysicsRecoilRates(model, 0, 0));
    }
    EventPipeline pipeline = new EventPipeline(config);
    CalibrationHistory history = new CalibrationHistory();
    if (config.calibration().enabled()) {
      pipeline.onCalibrationIntervals(new OnlineCalibration(config, OnlineCalibration.Mode.INLINE, c -> {
        if (pipeline.applyCalibration(c.boardId(), c.channel(), c.calibration().scale().coefficients())) {
          history.applied(c);
        }
      }, history));
    }
    SimulatorFeed feed = new SimulatorFeed(config, pipeline);
    EventGenerator generator = new EventGenerator(config, rates, feed);
    feed.start(generator);
    List<Month> out = new ArrayList<>();
    long[] previous = null;
    long[] total = null;
    double binWidth = config.analysis().binWidthKeV();
    double low = config.analysis().spectrumLowKeV();
    for (int m = 1; m <= months; m++) {
      generator.generateUntil(Math.round(m * 30 * DAY_NS));
      long[] now = afterGates(pipeline.publish(Instant.EPOCH));
      long[] month = now.clone();
      if (previous != null) {
        for (int i = 0; i < month.length; i++) {
          month[i] -= previous[i];
        }
      }
      previous = now;
      total = now;
      out.add(fit(m, month, low, binWidth).withScaleErr(scaleErrKeV(history, (m - 1) * 30 * DAY_NS, m * 30 * DAY_NS)));
    }
    return new Run(out, fit(0, total, low, binWidth), history);
  }

  /** The time-weighted mean uncertainty of 10.37 keV under the calibrations in force in [fromNs, toNs), keV. */
  static double scaleErrKeV(CalibrationHistory history, double fromNs, double toNs) {
    if (history.channels().isEmpty()) {
      return 0;
    }
    List<Calibration> applied = history.applied(history.channels().get(0));
    double sum = 0;
    for (int i = 0; i < applied.size(); i++) {
      double a = Math.max(fromNs, applied.get(i).atNs());
      double b = Math.min(toNs, i + 1 < applied.size() ? applied.get(i + 1).atNs() : toNs);
      if (b > a) {
        EnergyScale s = applied.get(i).scale();
        sum += (b - a) * 10.37 * s.gainErrKeVPerAdc() / s.gainKeVPerAdc();
      }
    }
    return sum / (toNs - fromNs);
  }

  /** The epochs started by a step: "applied at day D (from day F)". */
  static List<double[]> steps(CalibrationHistory history) {
    List<double[]> out = new ArrayList<>();
    if (!history.channels().isEmpty()) {
      for (Calibration c : history.applied(history.channels().get(0))) {
        if (c.status() == CalibrationStatus.STEP) {
          out.add(new double[] {c.atNs() / DAY_NS, c.windowStartNs() / DAY_NS});
        }
      }
    }
    return out;
  }

  private static long[] afterGates(PipelineSnapshot s) {
    PipelineSnapshot.DetectorSnapshot d = s.detectors().get(0);
    SpectrumSnapshot on = d.spectrum(Stage.AFTER_GATES, ReactorState.ON);
    SpectrumSnapshot off = d.spectrum(Stage.AFTER_GATES, ReactorState.OFF);
    long[] c = on.counts().clone();
    long[] o = off.counts();
    for (int i = 0; i < c.length; i++) {
      c[i] += o[i];
    }
    return c;
  }

  /**
   * Fits the 10.37 keV line in a keV spectrum: bin i is [low + i·w, low + (i+1)·w), handed to the fitter
   * as ADC value i, so energy = low + (position + ½)·w.
   */
  static Month fit(int month, long[] counts, double lowKeV, double binWidthKeV) {
    double sigmaBins = 0.425 / binWidthKeV; // GEMMA-I FWHM ≈ 1.0 keV at 10 keV (noise 1.0, Fano 0.13 keV)
    double center = (10.37 - lowKeV) / binWidthKeV - 0.5;
    PeakFitter.Result r = new PeakFitter().fit(counts, 10.37, center, sigmaBins,
        new double[] {(9.66 - 10.37) / binWidthKeV, (8.98 - 10.37) / binWidthKeV, (7.11 - 10.37) / binWidthKeV}, 10);
    if (r.fit() == null) {
      return new Month(month, Double.NaN, Double.NaN, Double.NaN, 0);
    }
    LineFit f = r.fit();
    return new Month(month, lowKeV + (f.positionAdc() + 0.5) * binWidthKeV, f.positionErrAdc() * binWidthKeV,
        2.3548200450309493 * f.sigmaAdc() * binWidthKeV, f.netCounts());
  }

  /** The calibration settings of the study (config's calibration section with enabled on, or the defaults). */
  static CalibrationConfig calibration(NudaqConfig base, double windowDays, double maxGainErrPercent) {
    return calibration(base, windowDays, maxGainErrPercent, base.calibration().pulserKeV());
  }

  /** As above, with a pulser line at {@code pulserKeV} used (0: none). */
  static CalibrationConfig calibration(NudaqConfig base, double windowDays, double maxGainErrPercent, double pulserKeV) {
    CalibrationConfig c = base.calibration();
    return new CalibrationConfig(true, c.linesKeV(), pulserKeV, c.terms(), c.intervalHours(), windowDays,
        c.minLineCounts(), c.minLines(), c.searchPercent(), c.stepDays(), c.stepSigmas(), c.stepMinPercent(),
        c.alarmShiftKeV(), maxGainErrPercent);
  }

  public static void main(String[] args) throws Exception {
    String path = "config/gemma-1.yaml";
    long seed = 1;
    int months = 12;
    double window = 30;
    double lineScale = 1;
    double maxErr = 0.25;
    double pulserKeV = 0;
    double pulserHz = 0.01;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--config" -> path = args[++i];
        case "--seed" -> seed = Long.parseLong(args[++i]);
        case "--months" -> months = Integer.parseInt(args[++i]);
        case "--window-days" -> window = Double.parseDouble(args[++i]);
        case "--line-scale" -> lineScale = Double.parseDouble(args[++i]);
        case "--max-gain-err" -> maxErr = Double.parseDouble(args[++i]);
        case "--pulser" -> pulserKeV = Double.parseDouble(args[++i]);
        case "--pulser-hz" -> pulserHz = Double.parseDouble(args[++i]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    NudaqConfig base = new ConfigLoader().load(java.nio.file.Path.of(path));
    CalibrationConfig on = calibration(base, window, maxErr, pulserKeV);
    DriftConfig drift = withPulser(ACCEPTANCE_DRIFT, pulserKeV, pulserHz);
    long t0 = System.nanoTime();
    Run calibrated = run(configFor(base, seed, drift, on, lineScale), months);
    Run uncalibrated = run(configFor(base, seed, drift, on.withEnabled(false), lineScale), months);
    Run reference = run(configFor(base, seed, withPulser(DriftConfig.NONE, pulserKeV, pulserHz), on.withEnabled(false),
        lineScale), months);
    System.out.printf(Locale.ROOT, "# seed %d, %d months, window %.0f days, lines x%.3g, maxGainErrPercent %.3g, pulser %s, %.0f s%n",
        seed, months, window, lineScale, maxErr, pulserKeV > 0 ? pulserKeV + " keV at " + pulserHz + " Hz" : "none",
        (System.nanoTime() - t0) * 1e-9);
    System.out.println("# month  true-gain  E(online)  err  pull  FWHM  scale-err  pull-with-scale | E(no calibration)  err  pull  FWHM | E(no drift)  err  pull  FWHM");
    for (int m = 0; m < months; m++) {
      Month a = calibrated.months().get(m);
      Month b = uncalibrated.months().get(m);
      Month c = reference.months().get(m);
      double midNs = (m + 0.5) * 30 * DAY_NS;
      System.out.printf(Locale.ROOT, "%2d  %.5f  %.4f %.4f %+5.2f %.3f %.4f %+5.2f | %.4f %.4f %+5.2f %.3f | %.4f %.4f %+5.2f %.3f%n",
          m + 1, drift.gainAt((long) midNs), a.energyKeV(), a.energyErrKeV(), a.pull(), a.fwhmKeV(), a.scaleErrKeV(),
          a.pullWithScale(), b.energyKeV(),
          b.energyErrKeV(), b.pull(), b.fwhmKeV(), c.energyKeV(), c.energyErrKeV(), c.pull(), c.fwhmKeV());
    }
    System.out.printf(Locale.ROOT, "within 2.5 sigma: online %.0f%% (%.0f%% with the scale's error), no calibration %.0f%%, "
        + "no drift %.0f%%%n", 100 * calibrated.fractionWithin(2.5), 100 * calibrated.months().stream()
            .filter(m -> Math.abs(m.pullWithScale()) <= 2.5).count() / (double) months,
        100 * uncalibrated.fractionWithin(2.5), 100 * reference.fractionWithin(2.5));
    System.out.printf(Locale.ROOT, "year: FWHM online %.4f, no calibration %.4f, no drift %.4f keV (ratios %.4f, %.4f); "
        + "E online %.4f, no calibration %.4f, no drift %.4f keV%n", calibrated.year().fwhmKeV(), uncalibrated.year().fwhmKeV(),
        reference.year().fwhmKeV(), calibrated.year().fwhmKeV() / reference.year().fwhmKeV(),
        uncalibrated.year().fwhmKeV() / reference.year().fwhmKeV(), calibrated.year().energyKeV(),
        uncalibrated.year().energyKeV(), reference.year().energyKeV());
    String ch = calibrated.history().channels().isEmpty() ? null : calibrated.history().channels().get(0);
    if (ch != null) {
      System.out.printf(Locale.ROOT, "calibrations applied %d, steps %d, failed attempts %d%n",
          calibrated.history().applied(ch).size(), calibrated.history().steps(ch), calibrated.history().failures(ch));
      for (double[] st : steps(calibrated.history())) {
        System.out.printf(Locale.ROOT, "step epoch applied at day %.1f, from day %.1f%n", st[0], st[1]);
      }
    }
  }
}
